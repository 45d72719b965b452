import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { JsonLogger } from './common/json-logger';
import { createValidationPipe } from './common/validation';
import { errorBody, toAppError } from './common/error.filter';
import { AppError } from './common/errors';
import { RateLimiter } from './common/limits/rate-limiter';
import { registerHttpMetrics } from './monitoring/http-metrics';
import { SseWriter } from './common/sse';
import { ErrorResponse } from './common/openapi/api-errors';
import { describeErrors } from './common/openapi/describe-errors';
import { AuthGuard } from './common/auth/auth.guard';
import { AuthService } from './common/auth/auth.service';
import { Caller } from './common/auth/roles';
import { registerFastReads } from './common/http/fast-reads';
import { listReads } from './list-reads';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Swarm control plane')
    .setDescription('Scale, place, deploy and watch Docker Swarm services. GraphQL at /graphql.')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('{scheme}://{host}:{port}', 'a control plane (PORT defaults to 3000)', {
      scheme: { default: 'http', enum: ['http', 'https'] },
      host: { default: 'localhost' },
      port: { default: '3000' },
    })
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Slack-Signature', description: 'Slack request signing (v0 HMAC of the body with SLACK_SIGNING_SECRET, with X-Slack-Request-Timestamp)' }, 'slackSignature')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  // Every mutation honours Idempotency-Key (MutationInterceptor): say so on each of them.
  for (const item of Object.values(doc.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      (op.parameters ??= []).push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'the same key with the same body replays the first answer without acting again (per caller, 24 h)',
        schema: { type: 'string', maxLength: 255 },
      });
    }
  }
  describeErrors(doc);
  return doc;
}

const draining = new WeakMap<NestFastifyApplication, { on: boolean }>();

/**
 * Graceful stop: refuse new connections, let in-flight requests finish (their connections
 * then close), and only then tear the modules down (Redis, queues, the read model).
 */
export async function drainAndClose(app: NestFastifyApplication): Promise<void> {
  const d = draining.get(app);
  if (d) d.on = true;
  // Event streams never finish by themselves: end them now, so clients move on at once.
  SseWriter.endAll();
  await app.getHttpAdapter().getInstance().close();
  await app.close();
}

/** Builds the application (not listening). Used by main.ts, the tests and the OpenAPI generator. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = new JsonLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Long ids reach the handlers (and answer 404 there) instead of Fastify's bare 414.
    routerOptions: { maxParamLength: 1024 },
    logger: false,
    // A request that reaches a draining process (on a connection accepted just before the stop)
    // is answered as usual, with `Connection: close`, not with a bare 503: the app is fully up
    // until the server has closed.
    return503OnClosing: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { logger, rawBody: true });
  const fastify = app.getHttpAdapter().getInstance();
  // A DELETE (or any call) with Content-Type: application/json and no body is not a bad body:
  // many clients send the header on every call. Fastify's own parser (with its __proto__ and
  // constructor guards) handles every non-empty body.
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, (req, body: Buffer, done) => {
    if (body.length === 0 || body.toString('utf8').trim() === '') return done(null, undefined);
    json(req as never, body as unknown as string, done);
  });
  // Errors raised by Fastify itself (body limit, content type, malformed JSON) get the same shape.
  fastify.setErrorHandler((err, req, reply) => {
    const e = toAppError(err);
    reply.status(e.status).send(errorBody(e, req.id));
  });
  const limiter = new RateLimiter(config.rateLimitPerMinute);
  const auth = app.get(AuthService);
  // Hooks in callback form: they run on every request, and a promise each costs more than their work.
  fastify.addHook('onRequest', (req, reply, done) => {
    if (req.url.startsWith('/health') || req.url === '/metrics') return done();
    // The token is looked up once per request, here: the guard then finds its caller on the request.
    const token = auth.identify(req.headers.authorization);
    if (token) (req as FastifyRequest & { caller?: Caller }).caller = token.caller;
    const wait = limiter.take(token ? token.key : 'ip:' + req.ip);
    if (wait <= 0) return done();
    const e = new AppError('RATE_LIMITED', `rate limit of ${config.rateLimitPerMinute} requests a minute exceeded; retry in ${wait} s`);
    reply.header('Retry-After', String(wait)).status(e.status).send(errorBody(e, req.id));
  });
  const drain = { on: false };
  draining.set(app, drain);
  fastify.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    // While draining, answered connections close instead of idling in keep-alive, so the
    // server's close() can finish once the in-flight requests are done.
    if (drain.on) reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    if (logger.logsRequests && !req.url.startsWith('/health')) logger.request({ requestId: req.id, method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
    done();
  });
  registerHttpMetrics(fastify);
  const pipe = createValidationPipe();
  app.useGlobalPipes(pipe);
  // Kept list answers go out before the framework's pipeline (same decisions, same code; the rest falls through).
  if (config.listFastPath) registerFastReads(fastify, listReads(app), new AuthGuard(app.get(Reflector), auth), pipe);
  // Built on the first request to /docs (then kept): an idle process never holds the document.
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
