import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { LoadResult, LoadTarget, runLoad } from './load';
import { AUTH, createServices, fmt, labEngine, perRequest, removeServices, startProduct, until } from './list-product';
import { enginePid, loadLine, measured } from './proc-cpu';

/**
 * The read path: GET /v1/services (40 services, answered from the read model, serialized once
 * per read-model version) against the engine's own GET /services on its unix socket, same load
 * (16 keep-alive connections, 5 s), alternated twice in one run; then pollers that send the
 * ETag back (If-None-Match -> 304). Goal: the product >= 10x the engine's rate, p99 <= 10 ms.
 * Beside each rate, the CPU each process spent per request (engine, product, and this load
 * generator): on a loaded machine the rate says how much CPU a process got, this says how much
 * it needed. The product runs as its own process (node dist/main.js), as in production; a second
 * one with LIST_FAST_PATH=false (the same answers through the framework's request pipeline) is
 * measured in the same rounds, so the fast path's saving is a same-run figure. Last, the floor:
 * Fastify alone answering the same bytes (floor-server.ts), which no process of the product can
 * beat on this machine; what the product spends above it is its own lifecycle per request.
 */

const SERVICES = 40;
const PREFIX = 'bench-read-';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const GOAL_RATIO = 10;
const GOAL_P99_MS = 10;

/** Fastify alone answering `body` (floor-server.ts), in a process of its own. */
async function startFloor(body: string, etag: string): Promise<{ base: string; pid: number | null; stop(): void }> {
  const child = spawn(process.execPath, [resolve(__dirname, 'floor-server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify({ body, etag }));
  const port = await new Promise<string>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) ok(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`floor server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, pid: child.pid ?? null, stop: () => child.kill() };
}

async function main() {
  const { docker, socket } = labEngine();
  await createServices(docker, PREFIX, SERVICES, (i) => ({ labels: { bench: 'read-path', team: i % 2 ? 'a' : 'b' }, replicas: i % 4 === 0 ? 1 : 0 }));
  const [product, pipeline] = await Promise.all([startProduct(), startProduct({ LIST_FAST_PATH: 'false' })]);
  const base = product.base;
  const pids = { engine: enginePid(socket), product: product.child.pid ?? null, pipeline: pipeline.child.pid ?? null, client: process.pid };
  const round = async (target: LoadTarget): Promise<{ r: LoadResult; cpu: Record<string, number | null> }> => {
    const { result, cpu } = await measured(pids, () => runLoad(target, CONNECTIONS, DURATION_MS));
    return { r: result, cpu: perRequest(cpu, result.requests) };
  };
  try {
    for (const p of [base, pipeline.base]) {
      await until('the product to list the bench services', async () => {
        const r = await fetch(`${p}/v1/services?name=${PREFIX}`, { headers: AUTH });
        const body: any = await r.json();
        return r.ok && body.items.length === SERVICES;
      });
    }
    const engineCount = ((await docker.listServices()) as any[]).length;
    const first = await fetch(`${base}/v1/services`, { headers: AUTH });
    const text = await first.text();
    const body: any = JSON.parse(text);
    const etag = first.headers.get('etag')!;
    console.log(`services: ${body.items.length} in the product, ${engineCount} in the engine; ${CONNECTIONS} connections, ${DURATION_MS} ms per round; ${loadLine()}`);

    // Warm both (JIT, keep-alive sockets, the engine's caches).
    await runLoad({ base: socket, path: '/v1.41/services' }, CONNECTIONS, 1000);
    await runLoad({ base, path: '/v1/services', headers: AUTH }, CONNECTIONS, 1000);
    await runLoad({ base: pipeline.base, path: '/v1/services', headers: AUTH }, CONNECTIONS, 1000);

    const rounds: Array<{ engine: LoadResult; product: LoadResult; pipeline: LoadResult; engineCpu: number | null; productCpu: number | null; pipelineCpu: number | null }> = [];
    for (let i = 0; i < 2; i++) {
      const e = await round({ base: socket, path: '/v1.41/services' });
      console.log(`round ${i + 1} engine   GET /services      ${fmt(e.r, { engine: e.cpu.engine, client: e.cpu.client })}`);
      const p = await round({ base, path: '/v1/services', headers: AUTH });
      console.log(`round ${i + 1} product  GET /v1/services   ${fmt(p.r, { product: p.cpu.product, engine: p.cpu.engine, client: p.cpu.client })}`);
      const q = await round({ base: pipeline.base, path: '/v1/services', headers: AUTH });
      console.log(`round ${i + 1} pipeline GET /v1/services   ${fmt(q.r, { pipeline: q.cpu.pipeline, client: q.cpu.client })}`);
      rounds.push({ engine: e.r, product: p.r, pipeline: q.r, engineCpu: e.cpu.engine, productCpu: p.cpu.product, pipelineCpu: q.cpu.pipeline });
    }
    const poll = await round({ base, path: '/v1/services', headers: { ...AUTH, 'if-none-match': etag }, status: 304 });
    console.log(`pollers  product  If-None-Match -> 304 ${fmt(poll.r, { product: poll.cpu.product, client: poll.cpu.client })}`);
    const pollPipeline = await round({ base: pipeline.base, path: '/v1/services', headers: { ...AUTH, 'if-none-match': etag }, status: 304 });
    console.log(`pollers  pipeline If-None-Match -> 304 ${fmt(pollPipeline.r, { pipeline: pollPipeline.cpu.pipeline, client: pollPipeline.cpu.client })}`);

    const floor = await startFloor(text, etag);
    let floorRound: { r: LoadResult; cpu: Record<string, number | null> };
    try {
      await runLoad({ base: floor.base, path: '/v1/services' }, CONNECTIONS, 1000);
      const { result, cpu } = await measured({ floor: floor.pid, client: process.pid }, () => runLoad({ base: floor.base, path: '/v1/services' }, CONNECTIONS, DURATION_MS));
      floorRound = { r: result, cpu: perRequest(cpu, result.requests) };
    } finally {
      floor.stop();
    }
    console.log(`floor    Fastify alone, same bytes ${fmt(floorRound.r, { floor: floorRound.cpu.floor, client: floorRound.cpu.client })}`);

    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const engineRate = avg(rounds.map((r) => r.engine.rate));
    const productRate = avg(rounds.map((r) => r.product.rate));
    const productP99 = Math.max(...rounds.map((r) => r.product.p99Ms));
    const engineP99 = Math.max(...rounds.map((r) => r.engine.p99Ms));
    const ratio = productRate / engineRate;
    const cpus = rounds.every((r) => r.engineCpu !== null && r.productCpu !== null);
    const cpuRatio = cpus ? avg(rounds.map((r) => r.engineCpu!)) / avg(rounds.map((r) => r.productCpu!)) : null;
    const pipelineCpus = rounds.every((r) => r.productCpu !== null && r.pipelineCpu !== null);
    const productCpu = pipelineCpus ? avg(rounds.map((r) => r.productCpu!)) : null;
    const pipelineCpu = pipelineCpus ? avg(rounds.map((r) => r.pipelineCpu!)) : null;
    const summary = {
      bench: 'read-path',
      services: SERVICES,
      connections: CONNECTIONS,
      engineRate: Math.round(engineRate),
      productRate: Math.round(productRate),
      ratio: Number(ratio.toFixed(2)),
      engineP99Ms: Number(engineP99.toFixed(2)),
      productP99Ms: Number(productP99.toFixed(2)),
      notModifiedRate: Math.round(poll.r.rate),
      pipelineRate: Math.round(avg(rounds.map((r) => r.pipeline.rate))),
      pipelineNotModifiedRate: Math.round(pollPipeline.r.rate),
      floorRate: Math.round(floorRound.r.rate),
      floorOverEngine: Number((floorRound.r.rate / engineRate).toFixed(2)),
      cpuPerRequestUs: {
        product: productCpu === null ? null : Math.round(productCpu),
        pipeline: pipelineCpu === null ? null : Math.round(pipelineCpu),
        floor: floorRound.cpu.floor === null ? null : Math.round(floorRound.cpu.floor),
      },
      engineCpuPerRequestOverProduct: cpuRatio === null ? null : Number(cpuRatio.toFixed(1)),
      goal: { ratio: GOAL_RATIO, p99Ms: GOAL_P99_MS },
      met: ratio >= GOAL_RATIO && productP99 <= GOAL_P99_MS,
      load: loadLine(),
    };
    console.log(
      `product/engine = ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}x), product p99 ${productP99.toFixed(2)} ms (goal <= ${GOAL_P99_MS} ms): ${summary.met ? 'MET' : 'NOT MET'}` +
        (cpuRatio === null ? '' : `; CPU per request: the engine spends ${cpuRatio.toFixed(1)}x what the product does`) +
        (productCpu === null || pipelineCpu === null ? '' : `; the fast path ${productCpu.toFixed(0)} µs vs ${pipelineCpu.toFixed(0)} µs through the pipeline (${(pipelineCpu / productCpu).toFixed(2)}x)`) +
        `; Fastify alone ${(floorRound.r.rate / engineRate).toFixed(2)}x the engine's rate` +
        (floorRound.cpu.floor === null ? '' : `, ${floorRound.cpu.floor.toFixed(0)} µs a request`) +
        `; ${loadLine()}`,
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
