import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, engine, engineCreateService, removeServices, runningTasks, startApp, TestApp, TOKENS, waitFor } from '../support/harness';
import { startProduct } from '../support/product';
import { quietCluster } from '../support/quiet';

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
    await quietCluster();
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

/** Routes that need Redis to answer: deployment records, the audit log, idempotency keys. */
const REDIS_ROUTES: Array<[string, string, unknown]> = [
  ['GET', '/v1/deployments', undefined],
  ['GET', '/v1/audit', undefined],
  ['POST', '/v1/deployments', { service: 'any', image: 'lab/web:v2' }],
  ['PUT', '/v1/services/any/replicas', { replicas: 1 }],
];

describe('the engine stopped and restarted', () => {
  let t: TestApp;
  const lab = (...args: string[]) => execFileSync('bash', [join(ROOT, 'scripts/lab.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

  before(async () => {
    await quietCluster();
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

/** Sends `signal` to node K's dockerd (its lab pidfile): SIGSTOP holds every call to that engine. */
function signalEngine(hostname: string, signal: NodeJS.Signals): void {
  const k = /-node-(\d+)$/.exec(hostname)?.[1];
  const pid = Number(readFileSync(join(process.env.LAB_DIR!, `node-${k}`, 'docker.pid'), 'utf8').trim());
  process.kill(pid, signal);
}

/** Whether a new TCP connection to the port is accepted. */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function inFlight(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^http_requests_in_flight (\d+)/m.exec(text)?.[1] ?? 0);
}

describe('SIGTERM', () => {
  const name = 't-fault-drain';
  let worker = '';
  before(async () => {
    await quietCluster();
    await engineCreateService(name, { replicas: 1, extra: { TaskTemplate: { Placement: { Constraints: ['node.role==worker'] } } } });
    const task = await waitFor('a running task on a worker', async () => (await runningTasks(name))[0], 60_000);
    worker = ((await engine().getNode(task.NodeID).inspect()) as any).Description.Hostname;
  });
  after(async () => {
    if (worker) signalEngine(worker, 'SIGCONT');
    await removeServices(name);
  });

  it('drains in-flight requests, then exits 0', async () => {
    // Bounds far above the test's own steps: the held requests wait for the engine, not a timer.
    const p = await startProduct({ STATS_TIMEOUT_MS: '120000', SHUTDOWN_TIMEOUT_MS: '120000' });
    const headers = { authorization: `Bearer ${TOKENS.admin}` };
    await waitFor('serving the service', async () => (await fetch(`${p.url}/v1/services/${name}`, { headers })).ok, 30_000, 100);
    // The task's node engine is stopped (SIGSTOP): its stats calls cannot answer, so these
    // requests are in flight when SIGTERM lands, by construction; /metrics says they arrived.
    signalEngine(worker, 'SIGSTOP');
    const base = await inFlight(p.url);
    const inflight = Array.from({ length: 8 }, () => fetch(`${p.url}/v1/services/${name}/stats`, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })));
    await waitFor('8 stats requests in flight', async () => (await inFlight(p.url)) >= base + 8, 10_000, 50);
    p.child.kill('SIGTERM');
    const port = Number(new URL(p.url).port);
    await waitFor('new connections refused while draining', async () => !(await connects(port)), 30_000, 50);
    assert.equal(p.child.exitCode, null, 'still running: the held requests are not answered yet');
    signalEngine(worker, 'SIGCONT');
    const answers = await Promise.all(inflight);
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    assert.ok(answers.every((a) => a.body.total.available === 1), `stats were read after the engine resumed: ${JSON.stringify(answers[0].body)}`);
    assert.equal(await p.exited, 0);
  });
});
