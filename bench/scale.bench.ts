import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { client, engine, removeServices, testEnv, TOKENS, uniqueName } from '../test/support/harness';
import { createReplicated } from '../test/support/scale-helpers';
import { cpuMs, loadLine } from './proc-cpu';

/**
 * PUT /v1/services/{name}/replicas against the baseline a client would otherwise use: a direct
 * dockerode inspect + update of the same service, in rotation, in the same run. The PUT is sent
 * with node's http module, the HTTP stack dockerode itself uses (the goal is judged on that),
 * and also through the typed client (openapi-fetch on undici's fetch), to show the client's part. The service is
 * parked (a constraint no node meets), so what is timed is the control path, not container start.
 * The API runs as its own process (dist/main.js), as in production: in-process, the background
 * read-model refresh after each write would share the client's event loop and skew the client.
 * Goal: p50 ratio <= 1.25, p95 ratio <= 1.5. The product's CPU per write is printed beside them
 * (what it needs, whatever the machine's load gives it).
 *
 *   BENCH_NODE_ARGS go to the product's node (e.g. --cpu-prof). BENCH_ITERATIONS (default 200), BENCH_WARMUP (default 20), BENCH_PAUSE_MS (default 40 between
 *   writes; 0 sends the next write at once, so background work after a write competes with it).
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 40);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** The API as a separate process; resolves once it listens. */
async function startServer(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const env = { ...process.env, ...testEnv({ PORT: String(port), RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'error' }) };
  const proc = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), resolve(__dirname, '../../dist/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, fail) => {
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && ok());
    proc.on('exit', (code) => fail(new Error(`API exited with ${code} before listening`)));
  });
  return { url: `http://127.0.0.1:${port}`, proc };
}

async function main(): Promise<void> {
  const name = uniqueName('bench-scale');
  await removeServices('t-bench-scale-');
  await createReplicated(name, 1, { parked: true });
  const server = await startServer();
  const api = client(server.url, 'scaler');
  const docker = engine();
  const product: number[] = [];
  const typed: number[] = [];
  const direct: number[] = [];
  let replicas = 1;
  const target = new URL(`/v1/services/${name}/replicas`, server.url);

  // node:http with its default keep-alive agent, as dockerode sends its calls.
  const viaProduct = () =>
    new Promise<void>((ok, fail) => {
      replicas = replicas === 1 ? 2 : 1;
      const body = JSON.stringify({ replicas });
      const req = request(target, { method: 'PUT', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${TOKENS.scaler}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => (res.statusCode === 200 ? ok() : fail(new Error(`PUT answered ${res.statusCode}: ${text}`))));
      });
      req.on('error', fail);
      req.end(body);
    });
  const viaTypedClient = async () => {
    replicas = replicas === 1 ? 2 : 1;
    const res = await api.put(`/v1/services/${name}/replicas`, { replicas });
    if (res.status !== 200) throw new Error(`PUT answered ${res.status}: ${res.text}`);
  };
  const viaEngine = async () => {
    replicas = replicas === 1 ? 2 : 1;
    const svc = docker.getService(name);
    const s: any = await svc.inspect();
    await svc.update({ ...s.Spec, Mode: { Replicated: { Replicas: replicas } }, version: s.Version.Index });
  };

  let productCpuMs = 0;
  const cpuOf = () => {
    try {
      return server.proc.pid ? cpuMs(server.proc.pid) : 0;
    } catch {
      return 0;
    }
  };
  try {
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      if (i === WARMUP) productCpuMs = -cpuOf();
      // rotate which goes first, so none always follows another's background work
      const paths = [
        [viaProduct, product],
        [viaEngine, direct],
        [viaTypedClient, typed],
      ] as const;
      for (let k = 0; k < paths.length; k++) {
        const [fn, into] = paths[(i + k) % paths.length];
        const ms = await timed(fn);
        if (i >= WARMUP) into.push(ms);
        await sleep(PAUSE_MS);
      }
    }
    productCpuMs += cpuOf();
  } finally {
    server.proc.kill('SIGTERM');
    await removeServices('t-bench-scale-');
  }

  for (const xs of [product, typed, direct]) xs.sort((a, b) => a - b);
  const row = (label: string, xs: number[]) => `${label.padEnd(34)} p50 ${percentile(xs, 50).toFixed(2).padStart(7)} ms   p95 ${percentile(xs, 95).toFixed(2).padStart(7)} ms`;
  const ratio50 = percentile(product, 50) / percentile(direct, 50);
  const ratio95 = percentile(product, 95) / percentile(direct, 95);
  process.stdout.write(
    [
      `scale.bench: ${ITERATIONS} iterations each (after ${WARMUP} warm-up), in rotation`,
      row('PUT /v1/services/{name}/replicas', product),
      row('  the same PUT by the typed client', typed),
      row('dockerode inspect + update', direct),
      `typed client p50 ${(percentile(typed, 50) / percentile(direct, 50)).toFixed(2)}x, p95 ${(percentile(typed, 95) / percentile(direct, 95)).toFixed(2)}x the direct calls`,
      `ratio p50 ${ratio50.toFixed(2)} (goal <= 1.25: ${ratio50 <= 1.25 ? 'met' : 'NOT met'})   ratio p95 ${ratio95.toFixed(2)} (goal <= 1.5: ${ratio95 <= 1.5 ? 'met' : 'NOT met'})`,
      `product CPU per write (all its work, background included): ${((productCpuMs * 1000) / (2 * ITERATIONS)).toFixed(0)} µs; pause ${PAUSE_MS} ms; ${loadLine()}`,
      JSON.stringify({ bench: 'scale', iterations: ITERATIONS, pauseMs: PAUSE_MS, productCpuPerWriteUs: Math.round((productCpuMs * 1000) / (2 * ITERATIONS)), load: loadLine(), productP50: percentile(product, 50), productP95: percentile(product, 95), typedP50: percentile(typed, 50), typedP95: percentile(typed, 95), directP50: percentile(direct, 50), directP95: percentile(direct, 95), ratioP50: ratio50, ratioP95: ratio95 }),
    ].join('\n') + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`scale.bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
