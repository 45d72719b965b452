import 'reflect-metadata';
import { loadavg } from 'node:os';
import { startApp, TOKENS } from '../test/support/harness';
import { EventBus } from '../src/events/event-bus';
import { GraphqlFanout } from '../src/events/graphql-fanout';
import { TaskStateChanged } from '../src/events/event.types';
import { line, now, sleep, spawnSubscribers, stats, SubscriberFleet } from './support';

/**
 * Fan-out of one task event to graphql-ws subscribers on one process. Goals: 5,000 subscribers
 * p99 <= 250 ms, 10,000 p99 <= 1 s, server RSS <= 400 MB at 5,000. The server is this process
 * (in-process app); the subscribers live in a child process.
 *
 * Phases, one run: 5,000 subscribers of one query (one group: one execution and one
 * serialization per event), grown to 10,000; then, as the baseline, 5,000 subscribers each
 * with a document of its own (nothing to share: the work a per-subscriber execution does).
 * Settings: FANOUT_SIZES (5000,10000), FANOUT_BASELINE (5000, 0 to skip), FANOUT_EVENTS (10).
 */
const SIZES = (process.env.FANOUT_SIZES ?? '5000,10000').split(',').map(Number);
const BASELINE = Number(process.env.FANOUT_BASELINE ?? 5000);
const EVENTS = Number(process.env.FANOUT_EVENTS ?? 10);
const GOALS: Record<number, number> = { 5000: 250, 10000: 1000 };

const mb = () => process.memoryUsage().rss / 1024 / 1024;

/**
 * CPU time of the fan-out itself: the bus hands an event to its listeners synchronously, and
 * for graphql-ws groups that includes filtering, execution, serialization and the socket writes.
 */
const fanoutCpu = { ms: 0 };
function measureDelivery(bus: EventBus): void {
  const b = bus as unknown as { deliver(id: string, json: string): void };
  const deliver = b.deliver.bind(bus);
  b.deliver = (id, json) => {
    const c = process.cpuUsage();
    deliver(id, json);
    const d = process.cpuUsage(c);
    if (json.includes('"service":"bench"')) fanoutCpu.ms += (d.user + d.system) / 1000;
  };
}

interface Phase {
  label: string;
  subscribers: number;
  groups: number;
  all: number[];
  last: number[];
  serverCpuMs: number[];
  fanoutCpuMs: number[];
  clientCpuMs: number[];
  rss: number;
  rssPeak: number;
  connectS: number;
}

async function measure(bus: EventBus, fanout: GraphqlFanout, fleet: SubscriberFleet, label: string, subscribers: number, connectS: number, seq0: number): Promise<Phase> {
  global.gc?.();
  const rss = mb();
  let rssPeak = rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, mb())), 20);
  const p: Phase = { label, subscribers, groups: fanout.stats().groups, all: [], last: [], serverCpuMs: [], fanoutCpuMs: [], clientCpuMs: [], rss, rssPeak, connectS };
  for (let i = 1; i <= EVENTS; i++) {
    const seq = seq0 + i;
    const pending = fleet.received(seq, 120_000);
    const cpu = process.cpuUsage();
    fanoutCpu.ms = 0;
    await bus.publish('task', benchEvent(seq), { service: 'bench', labels: {} });
    const r = await pending;
    const c = process.cpuUsage(cpu);
    p.fanoutCpuMs.push(fanoutCpu.ms);
    p.all.push(...r.latencies);
    p.last.push(Math.max(...r.latencies));
    p.serverCpuMs.push((c.user + c.system) / 1000);
    p.clientCpuMs.push(r.cpuMs);
    await sleep(300);
  }
  clearInterval(sampler);
  p.rssPeak = rssPeak;
  return p;
}

/** A task event of the service "bench": `message` carries the publish time, `slot` the sequence. */
function benchEvent(seq: number): TaskStateChanged {
  const at = new Date().toISOString();
  return { taskId: `bench-task-${seq}`, serviceId: 'bench-id', service: 'bench', slot: seq, nodeId: 'n1', nodeName: 'node-1', from: 'starting', to: 'running', desiredState: 'running', message: String(now()), error: null, containerId: null, exitCode: null, at };
}

function report(p: Phase): void {
  const st = stats(p.all);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`${p.label}: ${p.subscribers} subscribers in ${p.groups} group(s), ${EVENTS} events (connected in ${p.connectS.toFixed(1)} s)`);
  console.log(line('  publish -> each subscriber', st));
  console.log(line('  publish -> last subscriber (per event)', stats(p.last)));
  const f = mean(p.fanoutCpuMs);
  console.log(`  CPU per event: fan-out ${f.toFixed(1)} ms (${((f * 1000) / p.subscribers).toFixed(1)} us per subscriber); whole server process ${mean(p.serverCpuMs).toFixed(1)} ms; subscriber process ${mean(p.clientCpuMs).toFixed(1)} ms`);
  console.log(`  server RSS: ${p.rss.toFixed(0)} MB subscribed, peak ${p.rssPeak.toFixed(0)} MB`);
  const goal = GOALS[p.subscribers];
  if (goal && !p.label.startsWith('baseline')) console.log(`  goal p99 <= ${goal} ms: ${st.p99 <= goal ? 'met' : 'NOT met'} (${st.p99.toFixed(1)} ms)`);
  if (p.subscribers === 5000 && !p.label.startsWith('baseline')) console.log(`  goal RSS <= 400 MB at 5,000: ${p.rssPeak <= 400 ? 'met' : 'NOT met'} (${p.rssPeak.toFixed(0)} MB)`);
}

async function main(): Promise<void> {
  const max = Math.max(...SIZES, BASELINE);
  const t = await startApp({ MAX_CONNECTIONS_PER_TOKEN: String(max + 100), RATE_LIMIT_PER_MINUTE: '1000000', SSE_MAX_BUFFER: '1000' });
  const bus = t.app.get(EventBus);
  const fanout = t.app.get(GraphqlFanout);
  measureDelivery(bus);
  global.gc?.();
  console.log(`server RSS idle: ${mb().toFixed(0)} MB; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const phases: Phase[] = [];
  let seq = 0;

  const fleet = await spawnSubscribers(t.url, TOKENS.viewer);
  let have = 0;
  for (const size of SIZES.sort((a, b) => a - b)) {
    const t0 = Date.now();
    await fleet.add(size - have);
    while (bus.listenerCount('task') < size) await sleep(50);
    have = size;
    phases.push(await measure(bus, fanout, fleet, 'one query', size, (Date.now() - t0) / 1000, seq));
    seq += EVENTS;
    report(phases.at(-1)!);
  }
  await fleet.stop();
  while (bus.listenerCount('task') > 0) await sleep(50);

  if (BASELINE > 0) {
    const base = await spawnSubscribers(t.url, TOKENS.viewer);
    const t0 = Date.now();
    await base.add(BASELINE, true);
    while (bus.listenerCount('task') < BASELINE) await sleep(50);
    phases.push(await measure(bus, fanout, base, 'baseline, a document per subscriber', BASELINE, (Date.now() - t0) / 1000, seq));
    report(phases.at(-1)!);
    await base.stop();
  }
  await t.close();
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
