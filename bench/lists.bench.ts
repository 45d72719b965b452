import { LoadResult, LoadTarget, runLoad } from './load';
import { AUTH, createServices, fmt, labEngine, perRequest, removeServices, startProduct, until } from './list-product';
import { enginePid, loadLine, measured } from './proc-cpu';

/**
 * Lists that scale: 500 services (0 replicas each). The whole GET /v1/services against the
 * engine's own GET /services (16 keep-alive connections, 5 s, alternated twice), then a filtered
 * page of 20 (`label=team=a&limit=20`, and the page after a cursor) at the same load.
 * Goals: the whole list >= 20x the engine's rate; the filtered page p99 <= 10 ms.
 * CPU per request (engine, product, load generator) is printed beside each rate. A second product
 * with LIST_FAST_PATH=false (the same answers through the framework's request pipeline) is measured
 * in the same rounds: the fast path's saving as a same-run figure.
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
  const [product, pipeline] = await Promise.all([startProduct(), startProduct({ LIST_FAST_PATH: 'false' })]);
  const base = product.base;
  const pids = { engine: enginePid(socket), product: product.child.pid ?? null, pipeline: pipeline.child.pid ?? null, client: process.pid };
  const round = async (target: LoadTarget): Promise<{ r: LoadResult; cpu: Record<string, number | null> }> => {
    const { result, cpu } = await measured(pids, () => runLoad(target, CONNECTIONS, DURATION_MS));
    return { r: result, cpu: perRequest(cpu, result.requests) };
  };
  /**
   * The product's event-loop delay during a round (prom-client's, reset at each scrape): a page's
   * tail latency is mostly the loop being busy with something else (read-model refreshes, GC).
   */
  const loopDelay = async (url: string): Promise<string> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const ms = (name: string) => (Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) * 1000).toFixed(1);
    return `event-loop delay p99 ${ms('nodejs_eventloop_lag_p99_seconds')} ms, max ${ms('nodejs_eventloop_lag_max_seconds')} ms`;
  };
  try {
    for (const p of [base, pipeline.base]) {
      await until('the product to list the bench services', async () => {
        const r = await fetch(`${p}/v1/services?name=${PREFIX}`, { headers: AUTH });
        const body: any = await r.json();
        return r.ok && body.items.length === SERVICES;
      });
    }
    // The engine and the product settle after 500 creations (events, refreshes) before anything is timed.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const engineCount = ((await docker.listServices()) as any[]).length;
    const page1: any = await (await fetch(`${base}/v1/services?label=team=a&limit=20`, { headers: AUTH })).json();
    const pagePath = '/v1/services?label=team=a&limit=20';
    const nextPath = `${pagePath}&cursor=${page1.nextCursor}`;
    console.log(`services: ${engineCount} in the engine; ${CONNECTIONS} connections, ${DURATION_MS} ms per round; ${loadLine()}`);

    await runLoad({ base: socket, path: '/v1.41/services' }, CONNECTIONS, 1000);
    await runLoad({ base, path: '/v1/services', headers: AUTH }, CONNECTIONS, 1000);
    await runLoad({ base: pipeline.base, path: '/v1/services', headers: AUTH }, CONNECTIONS, 1000);

    const rounds: Array<{ engine: LoadResult; product: LoadResult; page: LoadResult; next: LoadResult; cpu: Record<string, number | null> }> = [];
    for (let i = 0; i < 2; i++) {
      const e = await round({ base: socket, path: '/v1.41/services' });
      console.log(`round ${i + 1} engine   GET /services (all)          ${fmt(e.r, { engine: e.cpu.engine, client: e.cpu.client })}`);
      const p = await round({ base, path: '/v1/services', headers: AUTH });
      console.log(`round ${i + 1} product  GET /v1/services (all)       ${fmt(p.r, { product: p.cpu.product, engine: p.cpu.engine, client: p.cpu.client })}`);
      await loopDelay(base);
      const g = await round({ base, path: pagePath, headers: AUTH });
      console.log(`round ${i + 1} product  label=team=a&limit=20        ${fmt(g.r, { product: g.cpu.product, client: g.cpu.client })}; ${await loopDelay(base)}`);
      const n = await round({ base, path: nextPath, headers: AUTH });
      console.log(`round ${i + 1} product  ... &cursor= (page 2)        ${fmt(n.r, { product: n.cpu.product, client: n.cpu.client })}`);
      const pa = await round({ base: pipeline.base, path: '/v1/services', headers: AUTH });
      console.log(`round ${i + 1} pipeline GET /v1/services (all)       ${fmt(pa.r, { pipeline: pa.cpu.pipeline, client: pa.cpu.client })}`);
      const pg = await round({ base: pipeline.base, path: pagePath, headers: AUTH });
      console.log(`round ${i + 1} pipeline label=team=a&limit=20        ${fmt(pg.r, { pipeline: pg.cpu.pipeline, client: pg.cpu.client })}`);
      rounds.push({
        engine: e.r,
        product: p.r,
        page: g.r,
        next: n.r,
        cpu: { all: p.cpu.product, page: g.cpu.product, pipelineAll: pa.cpu.pipeline, pipelinePage: pg.cpu.pipeline },
      });
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const engineRate = avg(rounds.map((r) => r.engine.rate));
    const productRate = avg(rounds.map((r) => r.product.rate));
    const ratio = productRate / engineRate;
    const pageP99 = Math.max(...rounds.flatMap((r) => [r.page.p99Ms, r.next.p99Ms]));
    const cpuOf = (k: string) => (rounds.every((r) => r.cpu[k] !== null) ? Math.round(avg(rounds.map((r) => r.cpu[k]!))) : null);
    const cpu = { all: cpuOf('all'), pipelineAll: cpuOf('pipelineAll'), page: cpuOf('page'), pipelinePage: cpuOf('pipelinePage') };
    const summary = {
      bench: 'lists',
      services: engineCount,
      connections: CONNECTIONS,
      engineRate: Math.round(engineRate),
      productRate: Math.round(productRate),
      ratio: Number(ratio.toFixed(2)),
      pageRate: Math.round(avg(rounds.flatMap((r) => [r.page.rate, r.next.rate]))),
      pageP99Ms: Number(pageP99.toFixed(2)),
      cpuPerRequestUs: cpu,
      goal: { ratio: GOAL_RATIO, pageP99Ms: GOAL_PAGE_P99_MS },
      met: ratio >= GOAL_RATIO && pageP99 <= GOAL_PAGE_P99_MS,
      load: loadLine(),
    };
    console.log(
      `whole list product/engine = ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}x); filtered page of 20 p99 ${pageP99.toFixed(2)} ms (goal <= ${GOAL_PAGE_P99_MS} ms): ${summary.met ? 'MET' : 'NOT MET'}` +
        `; CPU per request, fast path vs pipeline: whole list ${cpu.all} / ${cpu.pipelineAll} µs, page of 20 ${cpu.page} / ${cpu.pipelinePage} µs; ${loadLine()}`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await Promise.all([product.stop(), pipeline.stop()]);
    await removeServices(docker, PREFIX);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
