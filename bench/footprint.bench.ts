import 'reflect-metadata';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, engineCreateService, removeServices, waitFor } from '../test/support/harness';
import { openSse, subscribeGql } from '../test/support/event-clients';
import { startProduct } from '../test/support/product';
import { heapGrowth, slopeMbPerHour, summarizeHeap } from './heap-compare';
import { sleep } from './support';

/**
 * Footprint of one `ROLE=all` process (`node dist/main.js`, product defaults) on the lab:
 *   idle  FOOTPRINT_IDLE_MINUTES (10) with no client: RSS at the end (goal <= 150 MB) and its slope;
 *   soak  FOOTPRINT_SOAK_MINUTES (30) with a graphql-ws subscriber (autoscaling decisions), an SSE
 *         client (every event type) and an autoscaling policy evaluated every 15 s: heap snapshots
 *         at the start (after a 2-minute warm-up) and at the end compared by kind, RSS and heap
 *         slopes in MB/h (goal: no growth).
 * Samples every FOOTPRINT_SAMPLE_SECONDS (30): RSS from /proc, V8 heap from the product's /metrics.
 * A heap snapshot leaves V8's object-id map and string copies behind for the life of the
 * process, so the soak's RSS slope is taken after the first snapshot, and the idle figures
 * before any.
 */
const IDLE_MIN = Number(process.env.FOOTPRINT_IDLE_MINUTES ?? 10);
const SOAK_MIN = Number(process.env.FOOTPRINT_SOAK_MINUTES ?? 30);
const SAMPLE_S = Number(process.env.FOOTPRINT_SAMPLE_SECONDS ?? 30);
const WARMUP_S = 120;
const SERVICE = 't-bench-soak';

interface Sample {
  t: number;
  rss: number;
  heapUsed: number;
  external: number;
}

const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function sample(pid: number, url: string, t0: number): Promise<Sample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return { t: (Date.now() - t0) / 1000, rss: rssOf(pid), heapUsed: metric('nodejs_heap_size_used_bytes'), external: metric('nodejs_external_memory_bytes') };
}

/** Sends SIGUSR2 (--heapsnapshot-signal) and waits for the new snapshot file to be complete. */
async function snapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const file = await waitFor('heap snapshot file', async () => readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)), 120_000, 500);
  let size = -1;
  for (let stable = 0; stable < 3; ) {
    await sleep(1000);
    const now = statSync(join(dir, file)).size;
    stable = now === size && now > 0 ? stable + 1 : 0;
    size = now;
  }
  return join(dir, file);
}

async function phase(pid: number, url: string, t0: number, seconds: number, out: Sample[]): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    out.push(await sample(pid, url, t0));
    await sleep(Math.min(SAMPLE_S * 1000, Math.max(0, end - Date.now())));
  }
}

/** The lowest heap use of each 5-minute window: what survives GC, not what waits for it. */
function gcFloor(samples: Sample[]): Array<{ t: number; v: number }> {
  const windows = new Map<number, Sample>();
  for (const s of samples) {
    const w = Math.floor(s.t / 300);
    const cur = windows.get(w);
    if (!cur || s.heapUsed < cur.heapUsed) windows.set(w, s);
  }
  return [...windows.values()].map((s) => ({ t: s.t, v: s.heapUsed }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-cp-footprint-'));
  const product = await startProduct({
    ROLE: 'all',
    WATCH_INTERVAL_MS: '1000',
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`.trim(),
  });
  const t0 = Date.now();
  console.log(`footprint of ${product.url} (pid ${product.pid}); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  try {
    const idle: Sample[] = [];
    await phase(product.pid, product.url, t0, IDLE_MIN * 60, idle);
    const last = await sample(product.pid, product.url, t0);
    idle.push(last);
    const idleSlope = slopeMbPerHour(idle.filter((s) => s.t >= 120).map((s) => ({ t: s.t, v: s.rss })));
    console.log(`idle ROLE=all process after ${IDLE_MIN} min: RSS ${mb(last.rss)} MB (goal <= 150 MB: ${last.rss <= 150 * 1024 * 1024 ? 'met' : 'NOT met'}), V8 heap used ${mb(last.heapUsed)} MB, external ${mb(last.external)} MB`);
    console.log(`  RSS slope from minute 2: ${idleSlope.toFixed(2)} MB/h; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

    // The soak: a service with a CPU limit, an autoscaling policy on it, a subscriber and an SSE client.
    await removeServices(SERVICE);
    await engineCreateService(SERVICE, { replicas: 1, extra: { TaskTemplate: { Resources: { Limits: { NanoCPUs: 500_000_000 } } } } });
    const admin = client(product.url, 'admin');
    await waitFor('read model sees the soak service', async () => (await admin.get(`/v1/services/${SERVICE}`)).status === 200, 60_000);
    const policy = await admin.put(`/v1/services/${SERVICE}/autoscaling`, { minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 50 });
    if (policy.status !== 200) throw new Error(`autoscaling policy: ${policy.status} ${policy.text}`);
    let decisions = 0;
    const sub = subscribeGql(product.url, 'viewer', 'subscription { autoscalingDecision { service action from to reason at } }', {}, () => decisions++);
    const sse = await openSse(product.url, 'viewer', '');
    if (sse.status !== 200) throw new Error(`SSE: ${sse.status}`);

    const soak: Sample[] = [];
    const s0 = Date.now();
    await phase(product.pid, product.url, t0, WARMUP_S, soak);
    const a = await snapshot(product.pid, dir);
    const afterA: Sample[] = [];
    await phase(product.pid, product.url, t0, Math.max(60, SOAK_MIN * 60 - (Date.now() - s0) / 1000), afterA);
    const b = await snapshot(product.pid, dir);
    const soakMin = (Date.now() - s0) / 60_000;
    sub.close();
    sse.close();

    const [ha, hb] = [summarizeHeap(a), summarizeHeap(b)];
    const all = [...soak, ...afterA];
    console.log(`soak ${soakMin.toFixed(0)} min with a graphql-ws subscriber (${decisions} decisions heard), an SSE client (${sse.events.length} events) and an autoscaling policy:`);
    console.log(`  RSS ${mb(afterA[0].rss)} -> ${mb(afterA.at(-1)!.rss)} MB after the first snapshot, slope ${slopeMbPerHour(afterA.map((s) => ({ t: s.t, v: s.rss }))).toFixed(2)} MB/h`);
    console.log(`  V8 heap used: slope ${slopeMbPerHour(all.map((s) => ({ t: s.t, v: s.heapUsed }))).toFixed(2)} MB/h, slope of its 5-minute minima ${slopeMbPerHour(gcFloor(all)).toFixed(2)} MB/h`);
    console.log(`  heap snapshots (live objects after a full GC): ${mb(ha.totalBytes)} MB, ${ha.objects} objects at minute 2 -> ${mb(hb.totalBytes)} MB, ${hb.objects} objects at the end (${((hb.totalBytes - ha.totalBytes) / 1024).toFixed(0)} KB)`);
    console.log('  grew or shrank most (bytes, objects):');
    for (const g of heapGrowth(ha, hb)) console.log(`    ${(g.bytes / 1024).toFixed(1).padStart(9)} KB ${String(g.count).padStart(7)}  ${g.kind}`);
    await admin.delete(`/v1/services/${SERVICE}/autoscaling`);
  } finally {
    await product.stop();
    await removeServices(SERVICE);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
