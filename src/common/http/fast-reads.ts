import { PipeTransform, Type } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import { Caller } from '../auth/roles';
import { Answer, sendAnswer } from './cached-answer';

/**
 * A GET route whose answer is kept (serialized once per read-model version, scope and query): the
 * controller method that declares it, and the same domain call that method makes.
 */
export interface FastRead<Q extends object = object> {
  /** the route's path as Fastify has it (`/v1/services/:name/tasks`) */
  url: string;
  /** the controller and its method: their @RequireRole / @Public decide, as for the framework's guard */
  controller: Type<unknown>;
  method: string;
  /** the method's @Query() class, validated by the application's validation pipe */
  query: Type<Q>;
  /** what the method answers with `sendAnswer` (at once when the read model is there to take) */
  answer(q: Q, caller: Caller, params: Record<string, string>): Answer | Promise<Answer>;
}

/** Validated queries kept per route and query string (pollers repeat theirs): at most this many. */
const MAX_QUERIES = 512;

interface Bound {
  read: FastRead;
  targets: [Function, Function];
  queries: Map<string, object>;
}

/**
 * Sends kept list answers from a route-level preHandler: after Fastify's onRequest hooks (request
 * id, rate limit, HTTP metrics) and before the framework's pipeline (guard, interceptors, pipes,
 * controller, exception filter), whose work is what a kept answer costs otherwise. It makes the
 * same decisions with the same code: the guard's `admit` for the token and role, the validation
 * pipe for the query, the domain call the controller makes, `sendAnswer` for ETag/304 and headers;
 * onSend/onResponse (x-request-id, access log, metrics) run as for any answer. Whatever it cannot
 * answer - any error (401, 403, 400, 404, 503), a HEAD, an empty path parameter - goes on to the
 * controller untouched, which answers it as always. Throws at start if a route is not a GET route.
 */
export function registerFastReads(fastify: FastifyInstance, reads: FastRead[], guard: AuthGuard, pipe: PipeTransform): void {
  const byUrl = new Map<string, Bound>();
  for (const read of reads) {
    const handler = (read.controller.prototype as Record<string, unknown>)[read.method];
    if (typeof handler !== 'function') throw new Error(`fast read ${read.url}: ${read.controller.name}.${read.method} is not a method`);
    byUrl.set(read.url, { read, targets: [handler, read.controller], queries: new Map() });
  }
  const bound = new Set<string>();

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const b = route.method === 'GET' ? byUrl.get(route.url) : undefined;
    if (!b) return;
    bound.add(b.read.url);
    const pre = route.preHandler;
    // Callback form, and no promise at all when the query was seen before and the read model is
    // there to take: this runs for every poll.
    const hook = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      const answer = answerOf(b, req, guard, pipe);
      if (!answer) return done();
      if (!(answer instanceof Promise)) return sendAnswer(req, reply, answer);
      answer.then((a) => (a ? sendAnswer(req, reply, a) : done())).catch(done);
    };
    route.preHandler = pre ? [...(Array.isArray(pre) ? pre : [pre]), hook] : hook;
  });

  fastify.addHook('onReady', async () => {
    const missing = [...byUrl.keys()].filter((url) => !bound.has(url));
    if (missing.length) throw new Error(`fast reads without a GET route: ${missing.join(', ')}`);
  });
}

/** The kept answer, or undefined when the controller is to answer (its pipeline then decides again, the same way). */
function answerOf(b: Bound, req: FastifyRequest, guard: AuthGuard, pipe: PipeTransform): Answer | undefined | Promise<Answer | undefined> {
  if (req.method !== 'GET') return undefined;
  const params = (req.params ?? {}) as Record<string, string>;
  // The framework's route answers an empty path parameter with its own 404.
  for (const k in params) if (params[k] === '') return undefined;
  try {
    const r = req as FastifyRequest & { caller?: Caller };
    guard.admit(b.targets, () => r);
    const i = req.url.indexOf('?');
    const raw = i < 0 ? '' : req.url.slice(i + 1);
    const kept = b.queries.get(raw);
    const answer = kept ? b.read.answer(kept, r.caller!, params) : validated(b, raw, req, pipe).then((q) => b.read.answer(q, r.caller!, params));
    return answer instanceof Promise ? answer.catch(() => undefined) : answer;
  } catch {
    return undefined;
  }
}

async function validated(b: Bound, raw: string, req: FastifyRequest, pipe: PipeTransform): Promise<object> {
  const q = (await pipe.transform(req.query, { type: 'query', metatype: b.read.query, data: undefined })) as object;
  // Shared by the requests with this query string: nothing downstream may change it.
  Object.freeze(q);
  if (b.queries.size >= MAX_QUERIES) b.queries.delete(b.queries.keys().next().value!);
  b.queries.set(raw, q);
  return q;
}
