import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, nodeEngines, removeServices, runningTasks, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { assertNoDuplicateSteps, finished, HELD_HEALTHCHECK, letThrough, startHeldRolling, TERMINAL, waitDeployment } from '../support/deployments';
import { openSse, SseClient } from '../support/event-clients';
import { ProductProcess, startProduct } from '../support/product';
import { quietCluster } from '../support/quiet';
import { SentinelSet } from '../support/redis-sentinel';
import { metricValue } from '../support/prom-text';

const PREFIX = 't-rha';
type Api = ReturnType<typeof client>;

interface Acked {
  kind: 'create' | 'cancel';
  id: string;
  key: string;
  body: unknown;
  requestId: string;
  at: number;
}

/**
 * Acknowledged writes made without pause until stopped, through the failover: each round asks
 * for a deployment of `service` (it queues behind the running one) and then cancels it, the
 * cancel sent again until acknowledged, so nothing it made is left to run. Every answer other
 * than an acknowledgement is kept, to check it was a 503 REDIS_UNAVAILABLE.
 */
class AckedWrites {
  readonly acked: Acked[] = [];
  readonly refused: Array<{ at: number; status: number; code: string }> = [];
  private stopped = false;
  private done?: Promise<void>;
  private n = 0;
  /** The request in flight (for a failure message). */
  current = '';

  constructor(private readonly api: Api, private readonly service: string) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const i = this.n++;
      const key = `rha-create-${process.pid}-${i}`;
      const body = { service: this.service, image: 'lab/web:v2', strategy: 'rolling', reason: `acknowledged write ${i}` };
      this.current = `create ${key} since ${new Date().toISOString()}`;
      const r = await this.api.post('/v1/deployments', body, { 'idempotency-key': key }).catch(() => null);
      if (r?.status !== 202) {
        this.refusal(r);
        await new Promise((res) => setTimeout(res, 20));
        continue;
      }
      this.ack('create', r.body.id, key, body, r.headers.get('x-request-id')!);
      // Not one write more until this deployment is surely cancelled.
      for (let attempt = 0; ; attempt++) {
        const ck = `rha-cancel-${process.pid}-${i}-${attempt}`;
        this.current = `cancel ${r.body.id} attempt ${attempt} since ${new Date().toISOString()}`;
        const c = await this.api.post(`/v1/deployments/${r.body.id}/cancel`, {}, { 'idempotency-key': ck }).catch(() => null);
        if (c?.status === 202) {
          this.ack('cancel', r.body.id, ck, {}, c.headers.get('x-request-id')!);
          break;
        }
        if (c?.status === 409 && c.body?.code === 'INVALID_STATE' && /cancelled/.test(c.body.message)) break;
        this.refusal(c);
        await new Promise((res) => setTimeout(res, 20));
      }
    }
  }

  private ack(kind: Acked['kind'], id: string, key: string, body: unknown, requestId: string): void {
    this.acked.push({ kind, id, key, body, requestId, at: Date.now() });
  }

  private refusal(r: { status: number; body: any } | null): void {
    this.refused.push({ at: Date.now(), status: r?.status ?? 0, code: r?.body?.code ?? 'no answer' });
  }
}

/**
 * Independent writes fired every `everyMs` without waiting for each other (a write held up by
 * a failover does not hold up the next): each answer with the time it was sent.
 */
class Prober {
  readonly answers: Array<{ sentAt: number; status: number; code: string }> = [];
  private timer?: NodeJS.Timeout;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly send: () => Promise<{ status: number; body: any }>, private readonly everyMs = 100) {}

  start(): void {
    this.timer = setInterval(() => {
      const sentAt = Date.now();
      const p = this.send()
        .then((r) => void this.answers.push({ sentAt, status: r.status, code: r.body?.code ?? '' }))
        .catch(() => void this.answers.push({ sentAt, status: 0, code: 'no answer' }))
        .finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inflight]);
  }
}

/** Lets one held v2 task of `service` through (see HELD_HEALTHCHECK); the next ones stay held. */
async function letOneThrough(service: string): Promise<void> {
  const docker = engine();
  const task: any = await waitFor('a held v2 task', async () => {
    const tasks: any[] = await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
    return tasks.find((t) => t.Status.State === 'starting' && t.Status.ContainerStatus?.ContainerID && String(t.Spec.ContainerSpec.Image).startsWith('lab/web:v2'));
  }, 60_000);
  const node: any = await docker.getNode(task.NodeID).inspect();
  const d = nodeEngines()[node.Description.Hostname] ?? docker;
  const ex = await d.getContainer(task.Status.ContainerStatus.ContainerID).exec({ Cmd: ['touch', '/tmp/go'] });
  await ex.start({ Detach: true });
}

async function images(name: string): Promise<string[]> {
  return (await runningTasks(name)).map((t) => String(t.Spec.ContainerSpec.Image).split('@')[0]);
}

function metric(text: string, name: string): number {
  return metricValue(text, name) ?? 0;
}

async function leaders(urls: string[]): Promise<number> {
  let sum = 0;
  for (const url of urls) sum += metric(await (await fetch(`${url}/metrics`)).text(), 'swarm_cp_watcher_leader');
  return sum;
}

describe('Redis through Sentinel: kill -9 of the master in the middle of a rolling deployment', () => {
  const ha = new SentinelSet({ downAfterMs: 1000, failoverTimeoutMs: 5000 });
  let t: TestApp;
  let api: Api;
  let worker: ProductProcess;
  let sse: SseClient | undefined;
  const web = uniqueName('rha-web');
  const scaled = uniqueName('rha-scaled');

  before(async () => {
    await quietCluster();
    await ha.start();
    await Promise.all([
      // New (v2) tasks stay `starting` until the test lets them through: the update is held in
      // its middle for as long as the failover takes.
      engineCreateService(web, { replicas: 3, extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Healthcheck: HELD_HEALTHCHECK } } } }),
      engineCreateService(scaled, { replicas: 1, extra: { TaskTemplate: { Resources: { Limits: { NanoCPUs: 0.1e9 } } } } }),
    ]);
    const env = { ...ha.env(), AUTOSCALE_INTERVAL_SECONDS: '1', DEPLOY_POLL_MS: '100' };
    // The API here, the worker (deployments, autoscaling rounds) as a process of its own: two
    // candidates for the watcher lock.
    t = await startApp({ ...env, ROLE: 'api' });
    api = client(t.url, 'admin');
    worker = await startProduct({ ...env, ROLE: 'worker' });
    for (const s of [web, scaled]) {
      await waitFor(`${s} running`, async () => (await api.get(`/v1/services/${s}`)).body?.replicas?.running === (s === web ? 3 : 1), 60_000);
    }
  });

  after(async () => {
    sse?.close();
    await worker?.kill();
    await t?.close();
    await ha.stop();
    await removeServices(PREFIX);
  });

  it('a new master is elected; the deployment ends once, acknowledged writes survive, the subscriber resumes, one leader', async () => {
    const policy = await api.put(`/v1/services/${scaled}/autoscaling`, { minReplicas: 1, maxReplicas: 2, metric: 'cpu', targetPercent: 50 });
    assert.equal(policy.status, 200, policy.text);
    await waitFor('an autoscaling decision', async () => (await api.get(`/v1/autoscaling/decisions?service=${scaled}&limit=1`)).body?.items?.length > 0, 30_000);

    const received: Array<{ id: string; deployment: string; status: string; at: number }> = [];
    sse = await openSse(t.url, 'admin', `types=deployment&service=${web}`, undefined, (e) => {
      received.push({ id: e.id, deployment: e.data.id, status: e.data.status, at: Date.now() });
    });
    assert.equal(sse.status, 200);

    const id = await startHeldRolling(api, web);
    // One task through; the second new one is held: the record shows the step, the update waits.
    await letOneThrough(web);
    await waitDeployment(api, id, (d) => d.status === 'running' && d.progress.updated >= 1, 'one task updated');

    // Both processes see the replica: protected writes wait for it (WAIT).
    for (const url of [t.url, worker.url]) {
      await waitFor(`${url} sees one replica`, async () => metric(await (await fetch(`${url}/metrics`)).text(), 'swarm_cp_redis_replicas') === 1, 10_000);
    }

    const writes = new AckedWrites(api, web);
    writes.start();
    const policyBody = { minReplicas: 1, maxReplicas: 2, metric: 'cpu', targetPercent: 50 };
    const probe = new Prober(() => api.put(`/v1/services/${scaled}/autoscaling`, policyBody));
    probe.start();
    await waitFor('acknowledged writes before the kill', async () => writes.acked.length >= 6, 30_000, 20);

    const oldMaster = await ha.killMaster();
    const killedAt = Date.now();
    const ackedBeforeKill = writes.acked.length;
    await waitFor('a new master named by the Sentinels', async () => (await ha.masterPort()) !== oldMaster, 30_000, 100);
    await waitFor('writes acknowledged again, without a restart', async () => writes.acked.length >= ackedBeforeKill + 4, 30_000, 50).catch((e) => {
      throw new Error(`${e.message}; in flight: ${writes.current}; last refusals: ${JSON.stringify(writes.refused.slice(-5))}`);
    });
    await waitFor('a policy write accepted after the failover', async () => probe.answers.some((a) => a.status === 200 && a.sentAt > killedAt + 1000), 30_000, 50);
    await Promise.all([writes.stop(), probe.stop()]);

    // While no master was elected, writes were refused with 503 REDIS_UNAVAILABLE, and only so
    // (the Sentinels cannot elect one before down-after-milliseconds: 1 s of refusals at least).
    assert.ok(probe.answers.some((a) => a.sentAt > killedAt && a.status === 503), 'writes were refused during the failover');
    const kinds = new Set([...probe.answers.map((a) => `${a.status} ${a.code}`), ...writes.refused.map((r) => `${r.status} ${r.code}`)]);
    kinds.delete('200 ');
    assert.deepEqual([...kinds], ['503 REDIS_UNAVAILABLE']);

    // A deployment asked for whose 202 never came may exist or not: it must not run after this one.
    const left = await api.get(`/v1/deployments?service=${web}&status=queued`);
    for (const d of left.body.items ?? []) await api.post(`/v1/deployments/${d.id}/cancel`);

    // The deployment continues from its last recorded step and ends once.
    assert.equal((await api.get(`/v1/deployments/${id}`)).body.status, 'running', 'the failover happened in the middle of the update');
    await letThrough(web, async () => TERMINAL.includes((await api.get(`/v1/deployments/${id}`)).body?.status));
    const d = await finished(api, id, 120_000);
    assert.equal(d.status, 'succeeded', JSON.stringify(d));
    assertNoDuplicateSteps(d);
    const svc: any = await engine().getService(web).inspect();
    assert.equal(svc.PreviousSpec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1', 'the engine update was sent once');
    await waitFor('all on v2', async () => {
      const i = await images(web);
      return i.length === 3 && i.every((x) => x === 'lab/web:v2');
    });

    // Nothing the API acknowledged is missing: deployment records and their transitions...
    for (const a of writes.acked.filter((x) => x.kind === 'create')) {
      const r = await api.get(`/v1/deployments/${a.id}`);
      assert.equal(r.status, 200, `acknowledged deployment ${a.id} is gone`);
      assert.equal(r.body.status, 'cancelled', `${a.id}: its acknowledged cancel is lost (${r.body.status})`);
    }
    // ...their idempotency records (the same key and body replay the first answer)...
    for (const a of writes.acked.filter((x) => x.kind === 'create')) {
      const r = await api.post('/v1/deployments', a.body, { 'idempotency-key': a.key });
      assert.equal(r.headers.get('idempotent-replayed'), 'true', `${a.key} acted again: ${r.status} ${r.text}`);
      assert.equal(r.body.id, a.id);
    }
    // ...and the audit entries.
    const audit = await api.get(`/v1/audit?service=${web}&limit=1000`);
    assert.equal(audit.status, 200, audit.text);
    assert.ok(audit.body.items.length < 1000, 'every entry about the service fits in one page');
    const audited = new Set((audit.body.items as any[]).map((e) => e.requestId));
    const missing = writes.acked.filter((a) => !audited.has(a.requestId));
    assert.deepEqual(missing.map((a) => `${a.kind} ${a.id}`), [], 'acknowledged writes without their audit entry');

    // The subscriber resumed: it saw the end, each event once, and every event of this
    // deployment the new master's stream holds.
    await waitFor('the subscriber saw the deployment succeed', async () => received.some((e) => e.deployment === id && e.status === 'succeeded'), 30_000);
    const ids = received.map((e) => e.id);
    assert.deepEqual(ids, [...new Set(ids)].sort(compareIds), 'in order, each once');
    assert.ok(received.some((e) => e.deployment === id && e.at > killedAt), 'events of the deployment arrived after the failover');
    const m = await ha.master();
    try {
      const stream = (await m.xrange('swarm-cp:events', '-', '+')) as Array<[string, string[]]>;
      const mine = stream.filter(([, f]) => {
        const e = JSON.parse(f[1]);
        return e.type === 'deployment' && e.payload?.id === id;
      });
      const got = new Set(ids);
      assert.deepEqual(mine.map(([sid]) => sid).filter((sid) => !got.has(sid)), [], 'stream entries the subscriber missed');

      // Autoscaling rounds go on after the failover, and never overlap.
      await waitFor('an autoscaling decision after the failover', async () => {
        const r = await api.get(`/v1/autoscaling/decisions?service=${scaled}&limit=5`);
        return (r.body?.items ?? []).some((x: any) => Date.parse(x.at) > killedAt);
      }, 30_000);
      const rounds = ((await m.lrange('autoscaling:rounds', 0, -1)) as string[]).map((x) => JSON.parse(x)).sort((a, b) => a.startedAt - b.startedAt);
      for (let i = 1; i < rounds.length; i++) assert.ok(rounds[i].startedAt >= rounds[i - 1].endedAt, `rounds overlap: ${JSON.stringify(rounds.slice(i - 1, i + 1))}`);

      // Exactly one watcher leader, and the lock names it.
      await waitFor('exactly one watcher leader', async () => (await leaders([t.url, worker.url])) === 1 && (await m.get('swarm-cp:watcher:leader')) !== null, 30_000);
    } finally {
      m.disconnect();
    }
  });
});

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}
