import { LoadResult, LoadTarget, runLoad } from './load';
import { AUTH, createServices, fmt, labEngine, perRequest, removeServices, startProduct, until } from './list-product';
import { enginePid, loadLine, measured } from './proc-cpu';

/**
 * Lists that scale: 500 services (0 replicas each). The whole GET /v1/services against the
 * engine's own GET /services (16 keep-alive connections, 5 s, alternated twice), then a filtered
 * page of 20 (`label=team=a&limit=20`, and the page after a cursor) at the same load.
 * Goals: the whole list >= 20x the engine's rate; the filtered page p99 <= 10 ms.
 * CPU per request (engine, product, load generator) is printed beside each rate.
 */

const SERVICES = Number(process.env.BENCH_SERVICES ?? 500);
const PREFIX = 'bench-list-';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
const GOAL_RATIO = 20;
const GOAL_PAGE_P99_MS = 10;

async function main() {
  const { docker, socket } = labEngine();
  await createServices(docker, PREFIX, SERVICES, (i) => ({ labels: { bench: 'lists', team: ['a', 'b', 'c', 'd'][i % 4], tier: i % 2 ? 'web' : 'api' }, replicas: 0 }));
  const product = await startProduct();
  const base = product.base;
  const pids = { engine: enginePid(socket), product: product.child.pid ?? null, client: process.pid };
  const round = async (target: LoadTarget): Promise<{ r: LoadResult; cpu: Record<string, number | null> }> => {
    const { result, cpu } = await measured(pids, () => runLoad(target, CONNECTIONS, DURATION_MS));
    return { r: result, cpu: perRequest(cpu, result.requests) };
  };
  try {
    await until('the product to list the bench services', async () => {
      const r = await fetch(`${base}/v1/services?name=${PREFIX}`, { headers: AUTH });
      const body: any = await r.json();
      return r.ok && body.items.length === SERVICES;
    });
    // The engine and the product settle after 500 creations (events, refreshes) before anything is timed.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const engineCount = ((await docker.listServices()) as any[]).length;
    const page1: any = await (await fetch(`${base}/v1/services?label=team=a&limit=20`, { headers: AUTH })).json();
    const pagePath = '/v1/services?label=team=a&limit=20';
    const nextPath = `${pagePath}&cursor=${page1.nextCursor}`;
    console.log(`services: ${engineCount} in the engine; ${CONNECTIONS} connections, ${DURATION_MS} ms per round; ${loadLine()}`);

    await runLoad({ base: socket, path: '/v1.41/services' }, CONNECTIONS, 1000);
    await runLoad({ base, path: '/v1/services', headers: AUTH }, CONNECTIONS, 1000);

    const rounds: Array<{ engine: LoadResult; product: LoadResult; page: LoadResult; next: LoadResult }> = [];
    for (let i = 0; i < 2; i++) {
      const e = await round({ base: socket, path: '/v1.41/services' });
      console.log(`round ${i + 1} engine   GET /services (all)          ${fmt(e.r, { engine: e.cpu.engine, client: e.cpu.client })}`);
      const p = await round({ base, path: '/v1/services', headers: AUTH });
      console.log(`round ${i + 1} product  GET /v1/services (all)       ${fmt(p.r, { product: p.cpu.product, engine: p.cpu.engine, client: p.cpu.client })}`);
      const g = await round({ base, path: pagePath, headers: AUTH });
      console.log(`round ${i + 1} product  label=team=a&limit=20        ${fmt(g.r, { product: g.cpu.product, client: g.cpu.client })}`);
      const n = await round({ base, path: nextPath, headers: AUTH });
      console.log(`round ${i + 1} product  ... &cursor= (page 2)        ${fmt(n.r, { product: n.cpu.product, client: n.cpu.client })}`);
      rounds.push({ engine: e.r, product: p.r, page: g.r, next: n.r });
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const engineRate = avg(rounds.map((r) => r.engine.rate));
    const productRate = avg(rounds.map((r) => r.product.rate));
    const ratio = productRate / engineRate;
    const pageP99 = Math.max(...rounds.flatMap((r) => [r.page.p99Ms, r.next.p99Ms]));
    const summary = {
      bench: 'lists',
      services: engineCount,
      connections: CONNECTIONS,
      engineRate: Math.round(engineRate),
      productRate: Math.round(productRate),
      ratio: Number(ratio.toFixed(2)),
      pageRate: Math.round(avg(rounds.flatMap((r) => [r.page.rate, r.next.rate]))),
      pageP99Ms: Number(pageP99.toFixed(2)),
      goal: { ratio: GOAL_RATIO, pageP99Ms: GOAL_PAGE_P99_MS },
      met: ratio >= GOAL_RATIO && pageP99 <= GOAL_PAGE_P99_MS,
      load: loadLine(),
    };
    console.log(
      `whole list product/engine = ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}x); filtered page of 20 p99 ${pageP99.toFixed(2)} ms (goal <= ${GOAL_PAGE_P99_MS} ms): ${summary.met ? 'MET' : 'NOT MET'}; ${loadLine()}`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await product.stop();
    await removeServices(docker, PREFIX);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
