import { IncomingMessage, ServerResponse } from 'node:http';
import { bearer, secretMatches } from '../common/shared-secret';
import { AgentError, NodeEngine } from './node-engine';

/**
 * The node agent's HTTP surface. Every request must carry the shared secret
 * (`Authorization: Bearer <secret>`), else 401 whatever it asks for; then only these GETs exist
 * (anything else is 404, nothing is forwarded to the engine as such):
 *
 *   GET /v1/node                          this node: { hostname, nodeId }
 *   GET /v1/containers/{id}/stats         a task container's CPU and memory (ContainerSample)
 *   GET /v1/containers/{id}/logs?tail=&since=&timestamps=&follow=
 *                                         a task container's log, the engine's raw stream
 *   GET /v1/events?since=&until=&event=   container events of task containers, JSON lines
 *
 * Containers that are not Swarm tasks are absent (404).
 */

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ROUTE = /^\/v1\/containers\/([^/]+)\/(stats|logs)$/;
/** Container events a caller may ask for (the engine's names). */
export const CONTAINER_EVENTS = ['create', 'start', 'restart', 'die', 'kill', 'oom', 'stop', 'destroy', 'pause', 'unpause', 'health_status'];

type Query = URLSearchParams;

function bad(param: string, message: string): AgentError {
  return new AgentError(400, 'VALIDATION_FAILED', `${param}: ${message}`);
}

/** Only the parameters a route knows; each validated. */
function only(q: Query, allowed: string[]): void {
  for (const k of q.keys()) if (!allowed.includes(k)) throw bad(k, 'unknown parameter');
}

function flag(q: Query, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw bad(name, 'expected true or false');
}

function seconds(q: Query, name: string): string | null {
  const v = q.get(name);
  if (v === null) return null;
  if (!/^\d{1,12}(\.\d{1,9})?$/.test(v)) throw bad(name, 'expected unix seconds');
  return v;
}

/** The engine path of a task container's log, from the caller's validated query. */
export function logsPath(id: string, q: Query): string {
  only(q, ['tail', 'since', 'timestamps', 'follow']);
  const tail = q.get('tail') ?? 'all';
  if (tail !== 'all' && !/^\d{1,7}$/.test(tail)) throw bad('tail', 'expected a count or "all"');
  const p = new URLSearchParams({ stdout: '1', stderr: '1', tail, timestamps: flag(q, 'timestamps') ? '1' : '0', follow: flag(q, 'follow') ? '1' : '0' });
  const since = seconds(q, 'since');
  if (since) p.set('since', since);
  return `/containers/${id}/logs?${p}`;
}

/** The engine path of the container events of this node's task containers. */
export function eventsPath(q: Query): string {
  only(q, ['since', 'until', 'event']);
  const events = (q.get('event') ?? '').split(',').filter(Boolean);
  for (const e of events) if (!CONTAINER_EVENTS.includes(e)) throw bad('event', `unknown container event "${e}"`);
  const filters: Record<string, string[]> = { type: ['container'], label: ['com.docker.swarm.task.id'] };
  if (events.length) filters.event = events;
  const p = new URLSearchParams({ filters: JSON.stringify(filters) });
  for (const k of ['since', 'until']) {
    const v = seconds(q, k);
    if (v) p.set(k, v);
  }
  return `/events?${p}`;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function fail(res: ServerResponse, e: AgentError): void {
  send(res, e.status, { statusCode: e.status, code: e.code, message: e.message }, e.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
}

export interface AgentHandlerOptions {
  secret: Buffer;
  engine: NodeEngine;
  /** Unexpected failures (not the engine's answers): one line each. */
  onError?: (e: unknown) => void;
}

export function agentHandler(opts: AgentHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  let identity: { hostname: string; nodeId: string } | null = null;

  async function pipeFrom(res: ServerResponse, path: string, notFound: string): Promise<void> {
    const upstream = await opts.engine.stream(path, notFound);
    res.writeHead(200, { 'content-type': String(upstream.headers['content-type'] ?? 'application/octet-stream'), 'cache-control': 'no-cache' });
    res.on('close', () => upstream.destroy());
    upstream.pipe(res);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!secretMatches(opts.secret, bearer(req.headers.authorization))) {
      throw new AgentError(401, 'UNAUTHENTICATED', 'this agent answers only callers presenting its shared secret');
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    const notHere = new AgentError(404, 'NOT_FOUND', `no such route: ${req.method} ${url.pathname}`);
    if (req.method !== 'GET') throw notHere;
    if (url.pathname === '/v1/node') {
      only(url.searchParams, []);
      identity ??= await opts.engine.identity();
      return send(res, 200, identity);
    }
    if (url.pathname === '/v1/events') return pipeFrom(res, eventsPath(url.searchParams), 'no events');
    const m = ROUTE.exec(url.pathname);
    if (!m) throw notHere;
    const id = m[1];
    if (!CONTAINER_ID.test(id)) throw new AgentError(404, 'NOT_FOUND', `no task container ${id.slice(0, 130)} on this node`);
    if (m[2] === 'stats') {
      only(url.searchParams, []);
      await opts.engine.requireTaskContainer(id);
      return send(res, 200, await opts.engine.stats(id));
    }
    const path = logsPath(id, url.searchParams);
    await opts.engine.requireTaskContainer(id);
    return pipeFrom(res, path, `no task container ${id} on this node`);
  }

  return (req, res) => {
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof AgentError) return fail(res, e);
      opts.onError?.(e);
      fail(res, new AgentError(500, 'INTERNAL', 'internal error'));
    });
  };
}
