import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { LoadResult, LoadTarget, runLoad } from './load';
import { AUTH, createServices, fmt, labEngine, perRequest, removeServices, startProduct, until } from './list-product';
import { enginePid, loadLine, measured } from './proc-cpu';
import { RawAnswer, rawGet } from '../test/support/raw-http';

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

/** What node's fetch (undici) sends, and browsers send something like: portals and scripts ask for gzip. */
const FETCH_ENCODINGS = { 'accept-encoding': 'gzip, deflate' };

/** Fastify alone answering `answer` (floor-server.ts: the same bytes and headers), in a process of its own. */
async function startFloor(answer: RawAnswer): Promise<{ base: string; pid: number | null; stop(): void }> {
  const child = spawn(process.execPath, [resolve(__dirname, 'floor-server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const keep = ['etag', 'cache-control', 'vary', 'content-type', 'content-encoding'];
  child.stdin!.end(JSON.stringify({ body: answer.body.toString('base64'), headers: Object.fromEntries(keep.filter((k) => answer.headers[k]).map((k) => [k, answer.headers[k]])) }));
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
    // The answer as a fetch client gets it (gzipped), and as one that asks for no encoding gets it.
    const zipped = await rawGet(`${base}/v1/services`, { ...AUTH, ...FETCH_ENCODINGS });
    const plain = await rawGet(`${base}/v1/services`, AUTH);
    const count = JSON.parse(plain.body.toString()).items.length;
    console.log(
      `services: ${count} in the product, ${engineCount} in the engine; answer ${plain.body.length} bytes, ${zipped.body.length} gzipped (${zipped.headers['content-encoding']}); ` +
        `${CONNECTIONS} connections, ${DURATION_MS} ms per round; ${loadLine()}`,
    );

    // Every client sends the Accept-Encoding node's fetch sends (the engine ignores it); the product
    // is also measured asked for no encoding.
    const engineTarget = { base: socket, path: '/v1.41/services', headers: FETCH_ENCODINGS };
    const productTarget = { base, path: '/v1/services', headers: { ...AUTH, ...FETCH_ENCODINGS } };
    const plainTarget = { base, path: '/v1/services', headers: AUTH };
    const pipelineTarget = { base: pipeline.base, path: '/v1/services', headers: { ...AUTH, ...FETCH_ENCODINGS } };
    // Warm both (JIT, keep-alive sockets, the engine's caches).
    await runLoad(engineTarget, CONNECTIONS, 1000);
    await runLoad(productTarget, CONNECTIONS, 1000);
    await runLoad(plainTarget, CONNECTIONS, 1000);
    await runLoad(pipelineTarget, CONNECTIONS, 1000);

    const rounds: Array<{ engine: LoadResult; product: LoadResult; plain: LoadResult; pipeline: LoadResult; engineCpu: number | null; productCpu: number | null; plainCpu: number | null; pipelineCpu: number | null }> = [];
    for (let i = 0; i < 2; i++) {
      const e = await round(engineTarget);
      console.log(`round ${i + 1} engine   GET /services      ${fmt(e.r, { engine: e.cpu.engine, client: e.cpu.client })}`);
      const p = await round(productTarget);
      console.log(`round ${i + 1} product  GET /v1/services   ${fmt(p.r, { product: p.cpu.product, engine: p.cpu.engine, client: p.cpu.client })}`);
      const n = await round(plainTarget);
      console.log(`round ${i + 1} product  no encoding asked  ${fmt(n.r, { product: n.cpu.product, client: n.cpu.client })}`);
      const q = await round(pipelineTarget);
      console.log(`round ${i + 1} pipeline GET /v1/services   ${fmt(q.r, { pipeline: q.cpu.pipeline, client: q.cpu.client })}`);
      rounds.push({ engine: e.r, product: p.r, plain: n.r, pipeline: q.r, engineCpu: e.cpu.engine, productCpu: p.cpu.product, plainCpu: n.cpu.product, pipelineCpu: q.cpu.pipeline });
    }
    const etag = zipped.headers.etag;
    if (!etag) throw new Error('the product sent its list without an ETag');
    const poll = await round({ ...productTarget, headers: { ...productTarget.headers, 'if-none-match': etag }, status: 304 });
    console.log(`pollers  product  If-None-Match -> 304 ${fmt(poll.r, { product: poll.cpu.product, client: poll.cpu.client })}`);
    const pollPipeline = await round({ ...pipelineTarget, headers: { ...pipelineTarget.headers, 'if-none-match': etag }, status: 304 });
    console.log(`pollers  pipeline If-None-Match -> 304 ${fmt(pollPipeline.r, { pipeline: pollPipeline.cpu.pipeline, client: pollPipeline.cpu.client })}`);

    const floor = await startFloor(zipped);
    let floorRound: { r: LoadResult; cpu: Record<string, number | null> };
    try {
      await runLoad({ base: floor.base, path: '/v1/services' }, CONNECTIONS, 1000);
      const { result, cpu } = await measured({ floor: floor.pid, client: process.pid }, () => runLoad({ base: floor.base, path: '/v1/services', headers: FETCH_ENCODINGS }, CONNECTIONS, DURATION_MS));
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
    const plainRatio = avg(rounds.map((r) => r.plain.rate)) / engineRate;
    const plainCpus = rounds.every((r) => r.plainCpu !== null);
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
      answerBytes: { plain: plain.body.length, gzip: zipped.body.length },
      noEncodingRatio: Number(plainRatio.toFixed(2)),
      engineP99Ms: Number(engineP99.toFixed(2)),
      productP99Ms: Number(productP99.toFixed(2)),
      notModifiedRate: Math.round(poll.r.rate),
      pipelineRate: Math.round(avg(rounds.map((r) => r.pipeline.rate))),
      pipelineNotModifiedRate: Math.round(pollPipeline.r.rate),
      floorRate: Math.round(floorRound.r.rate),
      floorOverEngine: Number((floorRound.r.rate / engineRate).toFixed(2)),
      cpuPerRequestUs: {
        product: productCpu === null ? null : Math.round(productCpu),
        noEncoding: plainCpus ? Math.round(avg(rounds.map((r) => r.plainCpu!))) : null,
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
        `; asked for no encoding ${plainRatio.toFixed(2)}x` +
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
