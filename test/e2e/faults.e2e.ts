import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, engineCreateService, removeServices, runningTasks, startApp, TestApp, testEnv, TOKENS, waitFor } from '../support/harness';

const ROOT = join(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A Redis of this test's own, so stopping it disturbs nobody else. */
class OwnRedis {
  private proc?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'swarm-cp-redis-'));
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    await waitFor('redis up', async () => {
      try {
        return execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).trim() === 'PONG';
      } catch {
        return false;
      }
    }, 10_000, 50);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

/** Time a call; the bound is a hang guard (the issue asks for an answer within 2 s). */
async function within<T>(ms: number, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  const value = await Promise.race([fn(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms))]);
  return { value, ms: Date.now() - t0 };
}

describe('Redis stopped and restarted under a running app', () => {
  let t: TestApp;
  let redis: OwnRedis;

  before(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    t = await startApp({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    await waitFor('ready', async () => (await client(t.url, null).get('/health/ready')).status === 200, 15_000);
  });

  after(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('answers 503 REDIS_UNAVAILABLE within 2 s, keeps serving reads, and recovers without a restart', async () => {
    await redis.stop();
    const ready = await within(2500, () => client(t.url, null).get('/health/ready'));
    assert.equal(ready.value.status, 503);
    assert.equal(ready.value.body.checks.redis.status, 'down');
    // Reads come from the engine through the read model: Redis being gone doesn't matter.
    assert.equal((await client(t.url).get('/v1/services')).status, 200);
    for (const [method, path, body] of REDIS_ROUTES) {
      const r = await within(2500, () => client(t.url).call(method, path, body, { 'idempotency-key': 'fault-test-key' }));
      assert.equal(r.value.status, 503, `${method} ${path}: ${JSON.stringify(r.value.body)}`);
      assert.equal(r.value.body.code, 'REDIS_UNAVAILABLE');
    }
    await redis.start();
    await waitFor('ready again', async () => (await client(t.url, null).get('/health/ready')).status === 200, 15_000);
  });
});

/** Routes that need Redis to answer (filled in as such routes exist). */
const REDIS_ROUTES: Array<[string, string, unknown]> = [];

describe('the engine stopped and restarted', () => {
  let t: TestApp;
  const lab = (...args: string[]) => execFileSync('bash', [join(ROOT, 'scripts/lab.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

  before(async () => {
    t = await startApp({ WATCH_INTERVAL_MS: '300', ENGINE_TIMEOUT_MS: '2000' });
    await waitFor('ready', async () => (await client(t.url, null).get('/health/ready')).status === 200, 15_000);
  });

  after(async () => {
    try {
      lab('start-node', '1');
    } catch {
      /* already running */
    }
    await t?.close();
  });

  it('readiness fails and reads answer 503 while it is down; both recover on their own', async () => {
    lab('stop-node', '1');
    await waitFor('reads fail', async () => (await client(t.url).get('/v1/services')).status === 503, 10_000, 100);
    const r = await client(t.url).get('/v1/nodes');
    assert.equal(r.status, 503);
    assert.equal(r.body.code, 'DOCKER_UNAVAILABLE');
    assert.equal((await client(t.url, null).get('/health/ready')).status, 503);
    lab('start-node', '1');
    await waitFor('reads recover', async () => (await client(t.url).get('/v1/services')).status === 200, 60_000, 200);
    await waitFor('ready recovers', async () => (await client(t.url, null).get('/health/ready')).status === 200, 30_000, 200);
  });
});

describe('SIGTERM', () => {
  const name = 't-fault-drain';
  before(async () => {
    await removeServices(name);
    await engineCreateService(name, { replicas: 1 });
    await waitFor('a running task', async () => (await runningTasks(name)).length === 1, 60_000);
  });
  after(async () => {
    await removeServices(name);
  });

  it('drains in-flight requests, then exits 0', async () => {
    const port = await freePort();
    const env = { ...process.env, ...testEnv({ PORT: String(port), LOG_LEVEL: 'warn' }) };
    const child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${TOKENS.admin}` };
    await waitFor('child serving the service', async () => (await fetch(`${url}/v1/services/${name}`, { headers })).ok, 30_000, 100);
    // Stats wait on the engine for two CPU samples (about a second): these are in flight
    // when the signal lands.
    const started = Date.now();
    const inflight = Array.from({ length: 8 }, () => fetch(`${url}/v1/services/${name}/stats`, { headers }).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    const statuses = await Promise.all(inflight);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.ok(Date.now() - started >= 300, 'the requests were still running when SIGTERM arrived');
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${url}/health/live`), 'no longer accepting');
  });
});
