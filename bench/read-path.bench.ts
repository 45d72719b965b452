import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import Docker from 'dockerode';
import { LoadResult, runLoad } from './load';

/**
 * The read path: GET /v1/services (40 services, from the read model) against the engine's own
 * GET /services on its unix socket, same load (10 keep-alive connections, 5 s), alternated
 * twice in one run. Goal: the product >= 3x the engine's rate, p99 <= 20 ms.
 * The product runs as its own process (node dist/main.js), as in production.
 */

const SERVICES = 40;
const PREFIX = 'bench-read-';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const TOKEN = 'bench-viewer-token';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through scripts/bench.sh (npm run bench)`);
  return v;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as any).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function fmt(r: LoadResult): string {
  return `${r.rate.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  max ${r.maxMs.toFixed(1)} ms  (${r.requests} ok, ${r.errors} errors)`;
}

async function main() {
  const dockerHost = env('DOCKER_HOST');
  if (!dockerHost.startsWith('unix://')) throw new Error('the bench compares against the engine on its unix socket');
  const socket = dockerHost.slice('unix://'.length);
  const docker = new Docker({ socketPath: socket });

  const existing: any[] = await docker.listServices();
  await Promise.all(existing.filter((s) => s.Spec.Name.startsWith(PREFIX)).map((s) => docker.getService(s.ID).remove()));
  for (let i = 0; i < SERVICES; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, SERVICES - i) }, (_, k) =>
        docker.createService({
          Name: `${PREFIX}${String(i + k).padStart(2, '0')}`,
          Labels: { bench: 'read-path', team: (i + k) % 2 ? 'a' : 'b' },
          TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' } },
          Mode: { Replicated: { Replicas: (i + k) % 4 === 0 ? 1 : 0 } },
        } as any),
      ),
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'swarm-cp-bench-'));
  const tokens = join(dir, 'tokens.json');
  writeFileSync(tokens, JSON.stringify([{ name: 'bench', token: TOKEN, role: 'viewer' }]));
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_TOKENS_FILE: tokens,
      LOG_LEVEL: 'warn',
      WATCH_INTERVAL_MS: '1000',
      // The bench measures throughput, not the per-token rate limit.
      RATE_LIMIT_PER_MINUTE: '1000000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${TOKEN}` };
  try {
    await until('the product to list the bench services', async () => {
      const r = await fetch(`${base}/v1/services`, { headers: auth });
      const body: any = await r.json();
      return r.ok && body.items.filter((s: any) => s.name.startsWith(PREFIX)).length === SERVICES;
    });
    const engineCount = ((await docker.listServices()) as any[]).length;
    const body: any = await (await fetch(`${base}/v1/services`, { headers: auth })).json();
    console.log(`services: ${body.items.length} in the product, ${engineCount} in the engine; ${CONNECTIONS} connections, ${DURATION_MS} ms per round`);

    // Warm both (JIT, keep-alive sockets, the engine's caches).
    await runLoad({ base: socket, path: '/v1.41/services' }, CONNECTIONS, 1000);
    await runLoad({ base, path: '/v1/services', headers: auth }, CONNECTIONS, 1000);

    const rounds: Array<{ engine: LoadResult; product: LoadResult }> = [];
    for (let i = 0; i < 2; i++) {
      const engine = await runLoad({ base: socket, path: '/v1.41/services' }, CONNECTIONS, DURATION_MS);
      console.log(`round ${i + 1} engine   GET /services     ${fmt(engine)}`);
      const product = await runLoad({ base, path: '/v1/services', headers: auth }, CONNECTIONS, DURATION_MS);
      console.log(`round ${i + 1} product  GET /v1/services  ${fmt(product)}`);
      rounds.push({ engine, product });
    }
    const engineRate = rounds.reduce((a, r) => a + r.engine.rate, 0) / rounds.length;
    const productRate = rounds.reduce((a, r) => a + r.product.rate, 0) / rounds.length;
    const productP99 = Math.max(...rounds.map((r) => r.product.p99Ms));
    const engineP99 = Math.max(...rounds.map((r) => r.engine.p99Ms));
    const ratio = productRate / engineRate;
    const summary = {
      bench: 'read-path',
      services: SERVICES,
      engineRate: Math.round(engineRate),
      productRate: Math.round(productRate),
      ratio: Number(ratio.toFixed(2)),
      engineP99Ms: Number(engineP99.toFixed(2)),
      productP99Ms: Number(productP99.toFixed(2)),
      goal: { ratio: 3, p99Ms: 20 },
      met: ratio >= 3 && productP99 <= 20,
    };
    console.log(`product/engine = ${ratio.toFixed(2)}x (goal >= 3x), product p99 ${productP99.toFixed(2)} ms (goal <= 20 ms): ${summary.met ? 'MET' : 'NOT MET'}`);
    console.log(JSON.stringify(summary));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const all: any[] = await docker.listServices();
    await Promise.all(all.filter((s) => s.Spec.Name.startsWith(PREFIX)).map((s) => docker.getService(s.ID).remove().catch(() => undefined)));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
