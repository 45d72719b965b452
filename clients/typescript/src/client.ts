import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi';
import { followSse, sleep, type FollowOptions } from './sse';

export type Schemas = components['schemas'];
export type Deployment = Schemas['DeploymentView'];
export type ErrorBody = Schemas['ErrorResponse'];

export interface EventPayloads {
  task: Schemas['TaskStateChanged'];
  service: Schemas['ServiceChanged'];
  node: Schemas['NodeChanged'];
  deployment: Schemas['DeploymentProgressEvent'];
  autoscaling: Schemas['AutoscalingDecisionEvent'];
}
export type EventType = Schemas['EventMessage']['event'];
/** One event of GET /v1/events: `type` says which payload `data` is. */
export type SwarmEvent =
  | { [K in keyof EventPayloads]: { id: string; type: K; data: EventPayloads[K] } }[keyof EventPayloads]
  | { id: string; type: Exclude<EventType, keyof EventPayloads>; data: unknown };

export interface LogLine {
  service: string;
  taskId: string;
  slot: number | null;
  node: string | null;
  stream: 'stdout' | 'stderr';
  timestamp: string | null;
  message: string;
}

export interface SwarmClientOptions {
  /** The control plane, e.g. http://localhost:3000 */
  baseUrl: string;
  /** Bearer token; null or empty sends none. */
  token?: string | null;
  /** An Idempotency-Key on every POST/PUT/PATCH/DELETE that has none (default true). */
  idempotencyKeys?: boolean;
  /** Retries of a call answered 429 or 503 (default 3); Retry-After is honoured, else backoff. */
  retries?: number;
  /** The longest single wait before a retry; a longer Retry-After ends the retries (default 30 s). */
  maxRetryDelayMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  fetch?: (request: Request) => Promise<Response>;
}

/** A non-2xx answer of the control plane: its status and the error body's code and fields. */
export class ApiError extends Error {
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: Array<{ path: string; message: string }>;

  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const b = (body && typeof body === 'object' ? body : {}) as Partial<ErrorBody>;
    super(typeof b.message === 'string' ? b.message : `HTTP ${status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'ApiError';
    this.code = typeof b.code === 'string' ? b.code : `HTTP_${status}`;
    this.requestId = typeof b.requestId === 'string' ? b.requestId : undefined;
    this.errors = Array.isArray(b.errors) ? (b.errors as ApiError['errors']) : [];
  }
}

export interface RawResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text. */
  body: T;
  text: string;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TERMINAL = new Set(['succeeded', 'failed', 'rolled-back', 'cancelled']);

/** Milliseconds to wait before retrying, or null when the server asks for longer than `max`. */
export function retryDelay(retryAfter: string | null, attempt: number, max: number, now = Date.now()): number | null {
  let ms: number | undefined;
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) ms = Number(retryAfter.trim()) * 1000;
  else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) ms = Math.max(0, Date.parse(retryAfter) - now);
  if (ms === undefined) return Math.min(500 * 2 ** attempt, max);
  return ms > max ? null : ms;
}

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/** The typed client: `rest` is openapi-fetch over openapi.yaml; the rest is what REST alone does not give. */
export function createSwarmClient(opts: SwarmClientOptions) {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const base = opts.fetch ?? ((r: Request) => fetch(r));
  const retries = opts.retries ?? 3;
  const maxDelay = opts.maxRetryDelayMs ?? 30_000;

  function prepare(request: Request): Request {
    const h = new Headers(request.headers);
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (!h.has(k)) h.set(k, v);
    if (opts.token && !h.has('authorization')) h.set('authorization', `Bearer ${opts.token}`);
    if ((opts.idempotencyKeys ?? true) && MUTATING.has(request.method) && !h.has('idempotency-key')) h.set('idempotency-key', randomUUID());
    return new Request(request, { headers: h });
  }

  /** Every request goes through here: auth, one Idempotency-Key kept across retries, bounded retries. */
  async function send(request: Request): Promise<Response> {
    const req = prepare(request);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      const res = await base(last ? req : req.clone());
      if (last || (res.status !== 429 && res.status !== 503)) return res;
      const wait = retryDelay(res.headers.get('retry-after'), attempt, maxDelay);
      if (wait === null) return res;
      await res.body?.cancel().catch(() => undefined);
      await sleep(wait, req.signal);
      if (req.signal.aborted) return res;
    }
  }

  const rest: Client<paths> = createClient<paths>({ baseUrl, fetch: send });

  /** Any method and path, any body (a string is sent as is): for scripts and tests. */
  async function raw<T = any>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<RawResponse<T>> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let payload: string | undefined;
    if (init.body !== undefined) {
      payload = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const res = await send(new Request(baseUrl + path, { method, headers, body: payload, signal: init.signal }));
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body, text };
  }

  async function refused(res: Response, failures: number): Promise<void> {
    const text = await res.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    if (res.status === 429 || res.status >= 500) {
      const wait = retryDelay(res.headers.get('retry-after'), failures, maxDelay);
      if (wait !== null) return sleep(wait);
    }
    throw new ApiError(res.status, body);
  }

  function stream(path: string, follow: FollowOptions) {
    return followSse(
      (lastEventId, signal) => {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (lastEventId) headers['last-event-id'] = lastEventId;
        return send(new Request(baseUrl + path, { headers, signal }));
      },
      refused,
      follow,
    );
  }

  /**
   * GET /v1/events, followed across reconnects (Last-Event-ID resume). `lastEventId: '0-0'`
   * replays every kept event first; `untilReplayed` stops at the end of that replay.
   */
  async function* events(o: FollowOptions & { types?: EventType[]; service?: string; untilReplayed?: boolean } = {}): AsyncGenerator<SwarmEvent> {
    const q = new URLSearchParams();
    if (o.types?.length) q.set('types', o.types.join(','));
    if (o.service) q.set('service', o.service);
    let replayed = false;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const messages = stream(`/v1/events${q.size ? `?${q}` : ''}`, {
        ...o,
        signal: inner.signal,
        onComment: (c) => {
          if (c === 'replayed') {
            replayed = true;
            if (o.untilReplayed) inner.abort();
          }
          o.onComment?.(c);
        },
      });
      for await (const m of messages) {
        yield { id: m.id ?? '', type: m.event as EventType, data: JSON.parse(m.data) } as SwarmEvent;
      }
      if (o.untilReplayed && !replayed && !o.signal?.aborted) throw new Error('the event stream ended before its replay did');
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** GET /v1/services/{name}/logs?follow=true: log lines until the service goes away or `signal` aborts. */
  async function* followLogs(service: string, o: { tail?: number | 'all'; since?: string; timestamps?: boolean; signal?: AbortSignal } = {}): AsyncGenerator<LogLine> {
    const q = new URLSearchParams({ follow: 'true' });
    if (o.tail !== undefined) q.set('tail', String(o.tail));
    if (o.since) q.set('since', o.since);
    if (o.timestamps) q.set('timestamps', 'true');
    // Log lines carry no resumable id: a dropped stream ends the iteration instead of repeating lines.
    for await (const m of stream(`/v1/services/${encodeURIComponent(service)}/logs?${q}`, { signal: o.signal, reconnect: false })) {
      if (m.event === 'log') yield JSON.parse(m.data) as LogLine;
      else if (m.event === 'end') return;
      else if (m.event === 'error') throw new Error(`log stream failed: ${m.data}`);
    }
  }

  async function getDeployment(id: string, signal?: AbortSignal): Promise<Deployment> {
    return data(await rest.GET('/v1/deployments/{id}', { params: { path: { id } }, signal }));
  }

  /**
   * Follows a deployment until it is finished or awaiting promotion: deployment events (SSE) for
   * live progress, and a read every `pollMs` so a lost event costs at most that long.
   * Rejects with an AbortError when `signal` aborts (e.g. a timeout).
   */
  async function waitForDeployment(
    id: string,
    o: { signal?: AbortSignal; onUpdate?: (d: Deployment) => void; pollMs?: number; until?: (d: Deployment) => boolean } = {},
  ): Promise<Deployment> {
    const done = o.until ?? ((d: Deployment) => isTerminal(d.status) || d.status === 'awaiting-promotion');
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    let latest = await getDeployment(id, o.signal);
    let seen = '';
    const update = (d: Deployment) => {
      latest = d;
      const key = JSON.stringify([d.status, d.progress, d.steps.length, d.error]);
      if (key !== seen) {
        seen = key;
        o.onUpdate?.(d);
      }
    };
    try {
      let opened!: () => void;
      const open = new Promise<void>((r) => (opened = r));
      const fromEvents = (async () => {
        try {
          for await (const e of events({ types: ['deployment'], service: latest.service, signal: stop.signal, onOpen: () => opened() })) {
            if (e.type !== 'deployment' || e.data.id !== id) continue;
            const p = e.data;
            update({ ...latest, status: p.status as Deployment['status'], progress: p.progress ?? latest.progress, error: p.error ?? latest.error });
            if (done(latest)) return;
          }
        } catch {
          /* the reads below carry on without events */
        } finally {
          opened();
        }
      })();
      await Promise.race([open, sleep(5000, stop.signal)]);
      update(await getDeployment(id, o.signal));
      while (!done(latest) && !stop.signal.aborted) {
        await Promise.race([fromEvents, sleep(o.pollMs ?? 5000, stop.signal)]);
        if (o.signal?.aborted) break;
        update(await getDeployment(id, o.signal));
      }
      stop.abort();
      await fromEvents;
      if (o.signal?.aborted && !done(latest)) throw Object.assign(new Error('waiting for the deployment was aborted'), { name: 'AbortError', deployment: latest });
      return latest;
    } finally {
      stop.abort();
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  return { baseUrl, rest, raw, send, events, followLogs, getDeployment, waitForDeployment };
}

export type SwarmClient = ReturnType<typeof createSwarmClient>;

/** The data of an openapi-fetch result, or the ApiError of its answer. */
export function data<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.response.ok && r.error === undefined) return r.data as T;
  throw new ApiError(r.response.status, r.error);
}
