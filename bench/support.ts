import 'reflect-metadata';
import { fork, ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Client } from 'graphql-ws';

/**
 * Shared pieces of the benchmarks: a clock, percentiles, a report line, and a fleet of
 * graphql-ws subscribers run in a child process (so the server's memory is measured alone).
 * Run as `node support.js subscribers URL COUNT TOKEN` it is that child.
 */

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN);
  return { n: s.length, p50: q(50), p95: q(95), p99: q(99), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function line(label: string, st: Stats, extra = ''): string {
  return `${label.padEnd(44)} n=${String(st.n).padStart(6)}  p50=${fmtMs(st.p50).padStart(9)}  p95=${fmtMs(st.p95).padStart(9)}  p99=${fmtMs(st.p99).padStart(9)}  max=${fmtMs(st.max).padStart(9)}${extra ? '  ' + extra : ''}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- graphql-ws subscriber fleet ------------------------------------------------------------

/** The fan-out bench's subscription: the payload's `message` carries the publish time (now()). */
export const FANOUT_QUERY = 'subscription { deploymentProgress(id: "bench-fanout") { id message progress { updated total } } }';

type FromChild = { ready: number; failed: number } | { seq: number; latencies: number[] } | { error: string };

export interface SubscriberFleet {
  child: ChildProcess;
  /** Resolves with the per-subscriber latencies (ms) of event `seq` once all have it. */
  received(seq: number, timeoutMs?: number): Promise<number[]>;
  stop(): Promise<void>;
}

/** Forks a child that opens `count` graphql-ws connections with one FANOUT_QUERY subscription each. */
export async function spawnSubscribers(url: string, count: number, token: string): Promise<SubscriberFleet> {
  const child = fork(__filename, ['subscribers', url, String(count), token], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = new Map<number, (l: number[]) => void>();
  const got = new Map<number, number[]>();
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: FromChild) => {
      if ('ready' in m) {
        if (m.failed) reject(new Error(`${m.failed} of ${count} subscribers failed to connect`));
        else resolve();
      } else if ('seq' in m) {
        got.set(m.seq, m.latencies);
        waiters.get(m.seq)?.(m.latencies);
      } else if ('error' in m) reject(new Error(m.error));
    });
    child.on('exit', (code) => reject(new Error(`subscriber child exited with ${code}`)));
  });
  return {
    child,
    received: (seq, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        if (got.has(seq)) return resolve(got.get(seq)!);
        const t = setTimeout(() => reject(new Error(`event ${seq} did not reach all ${count} subscribers in ${timeoutMs} ms`)), timeoutMs);
        waiters.set(seq, (l) => {
          clearTimeout(t);
          resolve(l);
        });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function runSubscribers(url: string, count: number, token: string): Promise<void> {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const perSeq = new Map<number, number[]>();
  const clients: Client[] = [];
  let failed = 0;
  const connectOne = () =>
    new Promise<void>((resolve) => {
      const c = createClient({
        url: url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: true,
        on: { connected: () => resolve() },
      });
      clients.push(c);
      c.subscribe(
        { query: FANOUT_QUERY },
        {
          next: (v: any) => {
            const t = now();
            const p = v.data?.deploymentProgress;
            if (!p) return;
            const seq = p.progress.updated as number;
            let list = perSeq.get(seq);
            if (!list) perSeq.set(seq, (list = []));
            list.push(t - Number(p.message));
            if (list.length === count) {
              process.send!({ seq, latencies: list });
              perSeq.delete(seq);
            }
          },
          error: () => {
            failed++;
            resolve();
          },
          complete: () => undefined,
        },
      );
    });
  for (let i = 0; i < count; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, count - i) }, connectOne));
  }
  process.send!({ ready: count, failed });
  process.on('SIGTERM', async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    process.exit(0);
  });
}

if (require.main === module && process.argv[2] === 'subscribers') {
  runSubscribers(process.argv[3], Number(process.argv[4]), process.argv[5]).catch((e) => {
    process.send?.({ error: (e as Error).message });
    process.exit(1);
  });
}
