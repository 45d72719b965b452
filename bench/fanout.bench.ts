import 'reflect-metadata';
import { startApp, TOKENS } from '../test/support/harness';
import { EventBus } from '../src/events/event-bus';
import { line, now, sleep, spawnSubscribers, stats } from './support';

/**
 * Fan-out of one event to 5,000 graphql-ws subscribers on one process (goal: p99 <= 1 s,
 * RSS <= 400 MB). The server is this process; the subscribers run in a child process.
 */
const COUNT = Number(process.env.FANOUT_SUBSCRIBERS ?? 5000);
const EVENTS = Number(process.env.FANOUT_EVENTS ?? 10);

async function main(): Promise<void> {
  const t = await startApp({ MAX_CONNECTIONS_PER_TOKEN: String(COUNT + 100), RATE_LIMIT_PER_MINUTE: '1000000', SSE_MAX_BUFFER: '1000' });
  const bus = t.app.get(EventBus);
  const mb = () => process.memoryUsage().rss / 1024 / 1024;
  global.gc?.();
  const rssIdle = mb();
  const t0 = Date.now();
  const fleet = await spawnSubscribers(t.url, COUNT, TOKENS.viewer);
  while (bus.listenerCount('deployment') < COUNT) await sleep(50);
  const connectS = (Date.now() - t0) / 1000;
  const rssConnected = mb();
  let rssPeak = rssConnected;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, mb())), 20);

  const all: number[] = [];
  const lastPerEvent: number[] = [];
  for (let seq = 1; seq <= EVENTS; seq++) {
    const pending = fleet.received(seq, 60_000);
    await bus.publish('deployment', { id: 'bench-fanout', service: 'bench', status: 'running', message: String(now()), progress: { updated: seq, total: EVENTS }, at: new Date().toISOString() }, { service: 'bench', labels: {} });
    const lat = await pending;
    all.push(...lat);
    lastPerEvent.push(Math.max(...lat));
    await sleep(300);
  }
  clearInterval(sampler);
  await fleet.stop();
  await t.close();

  console.log(`fan-out: ${COUNT} graphql-ws subscribers (one connection each) on one process, ${EVENTS} events`);
  console.log(`  connected in ${connectS.toFixed(1)} s`);
  console.log(line('  publish -> each subscriber', stats(all)));
  console.log(line('  publish -> last subscriber (per event)', stats(lastPerEvent)));
  console.log(`  server RSS: idle ${rssIdle.toFixed(0)} MB, ${COUNT} subscribed ${rssConnected.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB (goal <= 400 MB)`);
  const p99 = stats(all).p99;
  console.log(`  goal p99 <= 1 s: ${p99 <= 1000 ? 'met' : 'NOT met'} (${(p99 / 1000).toFixed(3)} s); RSS goal: ${rssPeak <= 400 ? 'met' : 'NOT met'}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
