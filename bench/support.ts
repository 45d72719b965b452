import 'reflect-metadata';
import { fork, ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Shared pieces of the benchmarks: a clock, percentiles, a report line, and a fleet of
 * graphql-ws subscribers run in a child process (so the server's memory is measured alone).
 * Run as `node support.js subscribers URL TOKEN` it is that child.
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

/** The fan-out bench's subscription: a task event whose `message` carries the publish time (now()) and `slot` the sequence. */
const FANOUT_FIELDS = 'taskStateChanged(service: "bench") { taskId service slot nodeName from to desiredState message at }';
export const FANOUT_QUERY = `subscription { ${FANOUT_FIELDS} }`;

/** The same subscription under a field alias of its own: a document no other subscriber shares. */
export function distinctQuery(n: number): string {
  return `subscription { s${n}: ${FANOUT_FIELDS} }`;
}

type ToChild = { add: number; distinct: boolean };
type FromChild =
  | { ready: number; failed: number }
  | { seq: number; latencies: number[]; cpuMs: number }
  | { error: string };

export interface SubscriberFleet {
  child: ChildProcess;
  /** Opens `count` more connections, one subscription each (a shared or a distinct document). */
  add(count: number, distinct?: boolean): Promise<void>;
  /** Resolves with the per-subscriber latencies (ms) of event `seq` once all have it, and the child's CPU time for it. */
  received(seq: number, timeoutMs?: number): Promise<{ latencies: number[]; cpuMs: number }>;
  stop(): Promise<void>;
}

/**
 * Forks a child process holding graphql-ws subscribers (one connection and one subscription
 * each). The child speaks the graphql-transport-ws protocol directly on `ws` sockets and stamps
 * each `next` message when it arrives, so the latency is the server's delivery, not a client
 * library's processing.
 */
export async function spawnSubscribers(url: string, token: string): Promise<SubscriberFleet> {
  const child = fork(__filename, ['subscribers', url, token], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = new Map<number, (r: { latencies: number[]; cpuMs: number }) => void>();
  const got = new Map<number, { latencies: number[]; cpuMs: number }>();
  let ready: { resolve: () => void; reject: (e: Error) => void } | null = null;
  child.on('message', (m: FromChild) => {
    if ('ready' in m) {
      if (m.failed) ready?.reject(new Error(`${m.failed} subscribers failed to connect`));
      else ready?.resolve();
    } else if ('seq' in m) {
      got.set(m.seq, m);
      waiters.get(m.seq)?.(m);
    } else if ('error' in m) ready?.reject(new Error(m.error));
  });
  child.on('exit', (code) => ready?.reject(new Error(`subscriber child exited with ${code}`)));
  return {
    child,
    add: (count, distinct = false) =>
      new Promise<void>((resolve, reject) => {
        ready = { resolve, reject };
        child.send({ add: count, distinct } satisfies ToChild);
      }),
    received: (seq, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        if (got.has(seq)) return resolve(got.get(seq)!);
        const t = setTimeout(() => reject(new Error(`event ${seq} did not reach every subscriber in ${timeoutMs} ms`)), timeoutMs);
        waiters.set(seq, (r) => {
          clearTimeout(t);
          resolve(r);
        });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function runSubscribers(url: string, token: string): Promise<void> {
  const { default: WebSocket } = await import('ws');
  const sockets: Array<InstanceType<typeof WebSocket>> = [];
  const perSeq = new Map<number, { latencies: number[]; cpu: NodeJS.CpuUsage }>();
  let total = 0;
  const onNext = (t: number, data: Record<string, { message: string; slot: number }>) => {
    const p = Object.values(data)[0];
    if (!p) return;
    const seq = p.slot;
    let s = perSeq.get(seq);
    if (!s) perSeq.set(seq, (s = { latencies: [], cpu: process.cpuUsage() }));
    s.latencies.push(t - Number(p.message));
    if (s.latencies.length === total) {
      const c = process.cpuUsage(s.cpu);
      process.send!({ seq, latencies: s.latencies, cpuMs: (c.user + c.system) / 1000 });
      perSeq.delete(seq);
    }
  };
  const connectOne = (query: string) =>
    new Promise<boolean>((resolve) => {
      const ws = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
      sockets.push(ws);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (raw) => {
        const t = now();
        const m = JSON.parse(String(raw));
        if (m.type === 'next') onNext(t, m.payload.data ?? {});
        else if (m.type === 'connection_ack') {
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
          resolve(true);
        } else if (m.type === 'error') process.stderr.write(`subscription error: ${JSON.stringify(m.payload)}\n`);
      });
      ws.on('error', () => resolve(false));
      ws.on('close', () => resolve(false));
    });
  process.on('message', async (m: ToChild) => {
    let failed = 0;
    for (let i = 0; i < m.add; i += 250) {
      const batch = Array.from({ length: Math.min(250, m.add - i) }, (_, j) => connectOne(m.distinct ? distinctQuery(total + i + j) : FANOUT_QUERY));
      failed += (await Promise.all(batch)).filter((ok) => !ok).length;
    }
    total += m.add - failed;
    process.send!({ ready: total, failed });
  });
  process.on('SIGTERM', () => {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  });
}

if (require.main === module && process.argv[2] === 'subscribers') {
  runSubscribers(process.argv[3], process.argv[4]).catch((e) => {
    process.send?.({ error: (e as Error).message });
    process.exit(1);
  });
}
