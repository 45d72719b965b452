import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { createSwarmClient } from '../../clients/typescript/src';

/**
 * The e2e harness: the real app (in-process, listening on a free port) against the lab's swarm
 * (DOCKER_HOST) and a real Redis (REDIS_URL), both set up by scripts/test.sh.
 */

export const TOKENS = {
  admin: 'test-admin-token',
  deployer: 'test-deployer-token',
  scaler: 'test-scaler-token',
  viewer: 'test-viewer-token',
  teamA: 'test-team-a-token',
  teamAViewer: 'test-team-a-viewer',
} as const;
export type TokenName = keyof typeof TOKENS;

export function tokensFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-cp-test-'));
  const file = join(dir, 'tokens.json');
  writeFileSync(
    file,
    JSON.stringify([
      { name: 'admin', token: TOKENS.admin, role: 'admin' },
      { name: 'deployer', token: TOKENS.deployer, role: 'deployer' },
      { name: 'scaler', token: TOKENS.scaler, role: 'scaler' },
      { name: 'viewer', token: TOKENS.viewer, role: 'viewer' },
      { name: 'team-a', token: TOKENS.teamA, role: 'deployer', scope: { labels: { team: 'a' } } },
      { name: 'team-a-viewer', token: TOKENS.teamAViewer, role: 'viewer', scope: { labels: { team: 'a' } } },
    ]),
  );
  return file;
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    DOCKER_HOST: required('DOCKER_HOST'),
    REDIS_URL: required('REDIS_URL'),
    NODE_ENGINES: process.env.NODE_ENGINES ?? '',
    AUTH_TOKENS_FILE: tokensFile(),
    WATCH_INTERVAL_MS: '500',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  };
  return env;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through scripts/test.sh (npm test)`);
  return v;
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

export async function startApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig(testEnv(overrides));
  const app = await createApp(config);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  const addr = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { app, url, close: () => app.close() };
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/**
 * A REST client bound to a token: the typed client's `raw` call (the same auth and transport
 * automation uses), with no Idempotency-Key or retry of its own, so each test says what it sends
 * and sees every answer. `rest` is the typed openapi-fetch client for calls that want the types.
 */
export function client(baseUrl: string, token: TokenName | null = 'admin') {
  const api = createSwarmClient({ baseUrl, token: token ? TOKENS[token] : null, idempotencyKeys: false, retries: 0 });
  const call = <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> =>
    api.raw<T>(method, path, { body, headers });
  return {
    get: <T = any>(p: string, h?: Record<string, string>) => call<T>('GET', p, undefined, h),
    post: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => call<T>('POST', p, b ?? {}, h),
    put: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => call<T>('PUT', p, b ?? {}, h),
    patch: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => call<T>('PATCH', p, b ?? {}, h),
    delete: <T = any>(p: string, h?: Record<string, string>) => call<T>('DELETE', p, undefined, h),
    call,
    rest: api.rest,
  };
}

/** GraphQL over HTTP. */
export async function gql<T = any>(baseUrl: string, query: string, variables: Record<string, unknown> = {}, token: TokenName | null = 'admin') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${TOKENS[token]}`;
  const r = await fetch(baseUrl + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: r.status, ...((await r.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, any> }> }) };
}

/** A dockerode client on the lab's manager: tests check results through the engine itself. */
export function engine(host = required('DOCKER_HOST')): Docker {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice(7) });
  const u = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: u.hostname, port: Number(u.port) });
}

/** Engine client for each lab node, from NODE_ENGINES (hostname -> socket). */
export function nodeEngines(): Record<string, Docker> {
  const out: Record<string, Docker> = {};
  for (const pair of (process.env.NODE_ENGINES ?? '').split(',').filter(Boolean)) {
    const i = pair.indexOf('=');
    out[pair.slice(0, i)] = engine(pair.slice(i + 1));
  }
  return out;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

let counter = 0;
/** Service names unique to this test run, prefixed so a suite can clean up after itself. */
export function uniqueName(prefix: string): string {
  return `t-${prefix}-${process.pid.toString(36)}${(counter++).toString(36)}`;
}

/** Removes every service whose name starts with `prefix` (engine-side cleanup). */
export async function removeServices(prefix = 't-'): Promise<void> {
  const docker = engine();
  const services = await docker.listServices();
  await Promise.all(
    services.filter((s: any) => s.Spec?.Name?.startsWith(prefix)).map((s: any) => docker.getService(s.ID).remove().catch(() => undefined)),
  );
}

/** Creates a service directly in the engine (not through the product). */
export async function engineCreateService(name: string, opts: { image?: string; replicas?: number; labels?: Record<string, string>; extra?: any } = {}) {
  const docker = engine();
  const res: any = await docker.createService({
    Name: name,
    Labels: opts.labels ?? {},
    TaskTemplate: { ContainerSpec: { Image: opts.image ?? 'lab/web:v1' }, ...(opts.extra?.TaskTemplate ?? {}) },
    Mode: { Replicated: { Replicas: opts.replicas ?? 1 } },
    ...(opts.extra?.top ?? {}),
  } as any);
  return res.id as string;
}

export async function runningTasks(serviceName: string): Promise<any[]> {
  const tasks = await engine().listTasks({ filters: { service: [serviceName], 'desired-state': ['running'] } });
  return tasks.filter((t: any) => t.Status.State === 'running');
}
