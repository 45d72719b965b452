import 'reflect-metadata';
import { createServer, connect, Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, TOKENS, waitFor } from '../test/support/harness';
import { startProduct, ProductProcess } from '../test/support/product';
import { haLab, raftLeader, upHaLab } from '../test/support/ha-lab';
import { runLoad } from './load';
import { fmtMs, sleep, stats } from './support';

/**
 * Manager failover (not a test).
 * 1. The engine's request rate from 1 and from 3 API processes, idle and under read load
 *    (GET /v1/services, 10 connections), in the same run: requests are counted at the engine by
 *    a unix-socket proxy in front of the manager's socket. Goal: 3 replicas within 1.1x of one.
 * 2. Failover time over FAILOVER_TRIES (5) tries on a 3-manager lab: the raft leader's engine
 *    stopped (the process talks to it first) -> the first fresh read (readModel.stale false,
 *    a new leader), p50/p95; then it is started again and the next try waits for tolerance 1.
 */
const TRIES = Number(process.env.FAILOVER_TRIES ?? 5);
const WINDOW_MS = Number(process.env.FAILOVER_WINDOW_MS ?? 10_000);
const REQUEST_LINE = /(?:GET|POST|PUT|DELETE|HEAD) \/[^ \r\n]* HTTP\/1\.[01]\r\n/g;

/** A unix socket that forwards to the engine's and counts the HTTP requests sent through it. */
async function countingProxy(target: string): Promise<{ url: string; count(): number; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fo-proxy-'));
  const path = join(dir, 'engine.sock');
  let n = 0;
  const server: Server = createServer((down) => {
    const up = connect(target.replace('unix://', ''));
    down.on('data', (d) => (n += (d.toString('latin1').match(REQUEST_LINE) ?? []).length));
    down.pipe(up).pipe(down);
    const end = () => {
      down.destroy();
      up.destroy();
    };
    up.on('error', end);
    down.on('error', end);
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    url: `unix://${path}`,
    count: () => n,
    close: () => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function engineRate(replicas: number): Promise<{ idle: number; loaded: number }> {
  const proxy = await countingProxy(process.env.DOCKER_HOST!);
  const procs: ProductProcess[] = [];
  try {
    for (let i = 0; i < replicas; i++) {
      procs.push(await startProduct({ DOCKER_HOST: proxy.url, ROLE: i === 0 ? 'all' : 'api', RATE_LIMIT_PER_MINUTE: '100000000' }));
    }
    for (const p of procs) await waitFor('ready', async () => (await client(p.url).get('/v1/services')).status === 200, 60_000);
    await sleep(3000);
    let c0 = proxy.count();
    await sleep(WINDOW_MS);
    const idle = ((proxy.count() - c0) * 1000) / WINDOW_MS;
    c0 = proxy.count();
    const token = 'Bearer ' + TOKENS.admin;
    await Promise.all(procs.map((p) => runLoad({ base: p.url, path: '/v1/services', headers: { authorization: token } }, Math.ceil(10 / replicas), WINDOW_MS)));
    const loaded = ((proxy.count() - c0) * 1000) / WINDOW_MS;
    return { idle, loaded };
  } finally {
    await Promise.all(procs.map((p) => p.kill()));
    proxy.close();
  }
}

/**
 * When a surviving manager first names a new raft leader: each is asked directly every 100 ms,
 * in parallel, with a 1 s timeout (a manager without a leader may not answer at all).
 */
async function electedAt(socks: string[], stopped: number): Promise<number> {
  return new Promise((resolve) => {
    let done = false;
    for (const s of socks) {
      void (async () => {
        while (!done) {
          const leader = await raftLeader([s], 1000).catch(() => 0);
          if (leader && leader !== stopped && !done) {
            done = true;
            resolve(Date.now());
          }
          await sleep(100);
        }
      })();
    }
  });
}

async function failoverTimes(): Promise<{ times: number[]; afterElection: number[] }> {
  const lab = await upHaLab();
  const times: number[] = [];
  const afterElection: number[] = [];
  let proc: ProductProcess | undefined;
  try {
    for (let i = 1; i <= TRIES; i++) {
      const leader = lab.leader;
      const others = [1, 2, 3].filter((k) => k !== leader);
      await proc?.kill();
      proc = await startProduct({ DOCKER_HOST: [leader, ...others].map((k) => lab.socks[k - 1]).join(','), NODE_ENGINES: lab.nodeEngines, ROLE: 'api' });
      const api = client(proc.url);
      await waitFor('tolerance 1, fresh', async () => {
        const b = (await api.get('/v1/cluster')).body;
        return b?.quorum?.faultTolerance === 1 && b.readModel?.stale === false;
      }, 120_000);
      const stoppedAt = Date.now();
      await haLab('stop-node', String(leader));
      const elected = electedAt(others.map((k) => lab.socks[k - 1]), leader);
      await waitFor('a fresh read from a new leader', async () => {
        const b = (await api.get('/v1/cluster')).body;
        return b?.readModel?.stale === false && b.quorum?.leader && b.quorum.leader.hostname !== lab.hostname(leader);
      }, 120_000, 50);
      const freshAt = Date.now();
      times.push(freshAt - stoppedAt);
      afterElection.push(Math.max(0, freshAt - (await elected)));
      console.log(`try ${i}: manager ${leader} stopped -> first fresh read ${fmtMs(times.at(-1)!)} (${fmtMs(afterElection.at(-1)!)} after the managers named a new leader)`);
      await haLab('start-node', String(leader));
      await waitFor('the stopped manager back', async () => {
        const b = (await api.get('/v1/cluster')).body;
        return b?.quorum?.faultTolerance === 1;
      }, 120_000);
      lab.leader = await raftLeader(lab.socks);
    }
  } finally {
    await proc?.kill();
    if (process.env.FAILOVER_KEEP_LAB !== '1') await haLab('down', '--purge').catch(() => undefined);
  }
  return { times, afterElection };
}

async function main(): Promise<void> {
  const one = await engineRate(1);
  const three = await engineRate(3);
  console.log(`engine requests/s, 1 process: idle ${one.idle.toFixed(1)}, under read load ${one.loaded.toFixed(1)}`);
  console.log(`engine requests/s, 3 processes: idle ${three.idle.toFixed(1)}, under read load ${three.loaded.toFixed(1)}`);
  console.log(`ratio 3:1 idle ${(three.idle / one.idle).toFixed(2)}x, loaded ${(three.loaded / one.loaded).toFixed(2)}x (goal <= 1.1x)`);
  const f = await failoverTimes();
  const t = stats(f.times);
  const e = stats(f.afterElection);
  console.log(`failover (leader's manager stopped -> first fresh read), ${t.n} tries: p50 ${fmtMs(t.p50)}, p95 ${fmtMs(t.p95)}, max ${fmtMs(t.max)}`);
  console.log(`new leader named by the managers -> first fresh read: p50 ${fmtMs(e.p50)}, p95 ${fmtMs(e.p95)}, max ${fmtMs(e.max)} (goal 5 s)`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
