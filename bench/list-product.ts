import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { LoadResult } from './load';

/** Shared by the list benchmarks: the lab's engine, the product as its own process, and how a round is printed. */

export const BENCH_TOKEN = 'bench-viewer-token';
export const AUTH = { authorization: `Bearer ${BENCH_TOKEN}` };

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through scripts/bench.sh (npm run bench)`);
  return v;
}

/** The lab manager's engine on its unix socket (the baseline is measured there, without a proxy). */
export function labEngine(): { docker: Docker; socket: string } {
  const dockerHost = env('DOCKER_HOST');
  if (!dockerHost.startsWith('unix://')) throw new Error('the bench compares against the engine on its unix socket');
  const socket = dockerHost.slice('unix://'.length);
  return { docker: new Docker({ socketPath: socket }), socket };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The product (node dist/main.js) with a viewer token, as in production; BENCH_NODE_ARGS go to node
 * (e.g. --cpu-prof); `extraEnv` on top (e.g. LIST_FAST_PATH=false for the baseline through the pipeline).
 */
export async function startProduct(extraEnv: Record<string, string> = {}): Promise<{ base: string; child: ChildProcess; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-cp-bench-'));
  const tokens = join(dir, 'tokens.json');
  writeFileSync(tokens, JSON.stringify([{ name: 'bench', token: BENCH_TOKEN, role: 'viewer' }]));
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_TOKENS_FILE: tokens,
      LOG_LEVEL: 'warn',
      WATCH_INTERVAL_MS: '1000',
      // The bench measures throughput, not the per-token rate limit.
      RATE_LIMIT_PER_MINUTE: '1000000000',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Creates `count` services named PREFIX + index (0 replicas unless `replicas` says), 8 at a time. */
export async function createServices(docker: Docker, prefix: string, count: number, spec: (i: number) => { labels: Record<string, string>; replicas: number; global?: boolean }): Promise<void> {
  await removeServices(docker, prefix);
  const width = String(count - 1).length;
  for (let i = 0; i < count; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, (_, k) => {
        const s = spec(i + k);
        return docker.createService({
          Name: `${prefix}${String(i + k).padStart(width, '0')}`,
          Labels: s.labels,
          TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' } },
          Mode: s.global ? { Global: {} } : { Replicated: { Replicas: s.replicas } },
        } as any);
      }),
    );
  }
}

export async function removeServices(docker: Docker, prefix: string): Promise<void> {
  const all: any[] = await docker.listServices();
  const mine = all.filter((s) => s.Spec.Name.startsWith(prefix));
  for (let i = 0; i < mine.length; i += 16) {
    await Promise.all(mine.slice(i, i + 16).map((s) => docker.getService(s.ID).remove().catch(() => undefined)));
  }
}

/** One round's line: rate, latency, and the CPU each side spent per request (µs), when known. */
export function fmt(r: LoadResult, cpuPerReq: Record<string, number | null> = {}): string {
  const cpu = Object.entries(cpuPerReq)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v!.toFixed(0)} µs`)
    .join(', ');
  return `${r.rate.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  max ${r.maxMs.toFixed(1)} ms  (${r.requests} ok, ${r.errors} errors)${cpu ? `  CPU/request: ${cpu}` : ''}`;
}

/** CPU milliseconds over a round, per request in µs. */
export function perRequest(cpu: Record<string, number | null>, requests: number): Record<string, number | null> {
  return Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, ms === null || !requests ? null : (ms * 1000) / requests]));
}
