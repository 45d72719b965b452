import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, nodeEngines, runningTasks, waitFor } from '../support/harness';
import { assertNoDuplicateSteps, finished, HELD_HEALTHCHECK, letThrough, startHeldRolling, TERMINAL, waitDeployment } from '../support/deployments';
import { openSse, SseClient, SseEvent } from '../support/event-clients';
import { ProductProcess, startProduct } from '../support/product';
import { quietCluster } from '../support/quiet';
import { metricValue as metric } from '../support/prom-text';
import { HA_NAME, haLab, upHaLab } from '../support/ha-lab';

/**
 * Manager failover on a lab of its own (test/support/ha-lab.ts: 3 managers and 1 worker; the
 * lane's lab has a single manager). It is taken down in after(): four idle engines would cost
 * every later suite CPU on a small machine, and bringing it up takes about 30 s;
 * FAILOVER_KEEP_LAB=1 keeps it for a re-run (`lab.sh up` repairs it).
 */
const WEB = 't-fo-web';
type Api = ReturnType<typeof client>;

/** Every answer of reads sent every 200 ms to each process, until stopped. */
class Reader {
  readonly samples: Array<{ at: number; url: string; status: number; stale: boolean | null; code: string }> = [];
  private stopped = false;
  private done?: Promise<void>;

  constructor(private readonly urls: string[]) {}

  start(): void {
    this.done = (async () => {
      while (!this.stopped) {
        await Promise.all(
          this.urls.map(async (url) => {
            const api = client(url);
            const at = Date.now();
            const [s, cl] = await Promise.all([api.get(`/v1/services/${WEB}`).catch(() => null), api.get('/v1/cluster').catch(() => null)]);
            const status = s?.status !== 200 ? (s?.status ?? 0) : (cl?.status ?? 0);
            const code = (s?.status !== 200 ? s?.body?.code : cl?.body?.code) ?? '';
            this.samples.push({ at, url, status, stale: cl?.body?.readModel?.stale ?? null, code });
          }),
        );
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

describe('manager failover: 3 managers, two processes, a deployment and a subscriber', () => {
  const saved = { DOCKER_HOST: process.env.DOCKER_HOST, NODE_ENGINES: process.env.NODE_ENGINES };
  let socks: string[] = [];
  /** Lab node numbers: `leader` is the raft leader at the start (the processes talk to it first), `test` the manager the test reads through, `other` the third. */
  let leader = 0;
  let test = 0;
  let other = 0;
  let p1: ProductProcess;
  let p2: ProductProcess;
  let api1: Api;
  let api2: Api;
  const sse: SseClient[] = [];
  const t0 = Date.now();

  before(async () => {
    await quietCluster();
    const ha = await upHaLab();
    socks = ha.socks;
    assert.equal(socks.length, 3);
    leader = ha.leader;
    [test, other] = [1, 2, 3].filter((k) => k !== leader);
    // The test's own engine calls (quietCluster, letThrough) go through a manager it does not stop first.
    process.env.DOCKER_HOST = socks[test - 1];
    process.env.NODE_ENGINES = ha.nodeEngines;
    await quietCluster();
    // The deployment's tasks run on the worker, so stopping managers does not touch them.
    await engineCreateService(WEB, {
      replicas: 3,
      extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Healthcheck: HELD_HEALTHCHECK }, Placement: { Constraints: ['node.role==worker'] } } },
    });
    // Both processes talk to the raft leader first.
    const env = {
      DOCKER_HOST: [leader, test, other].map((k) => socks[k - 1]).join(','),
      NODE_ENGINES: ha.nodeEngines,
      DEPLOY_POLL_MS: '100',
      LOG_LEVEL: 'warn',
    };
    [p1, p2] = await Promise.all([startProduct({ ...env, ROLE: 'all' }), startProduct({ ...env, ROLE: 'api' })]);
    api1 = client(p1.url);
    api2 = client(p2.url);
    for (const api of [api1, api2]) {
      await waitFor('3 replicas running', async () => (await api.get(`/v1/services/${WEB}`)).body?.replicas?.running === 3, 90_000);
    }
    console.log(`# failover lab up and the processes ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    for (const s of sse) s.close();
    await Promise.all([p1?.kill(), p2?.kill()]);
    process.env.DOCKER_HOST = saved.DOCKER_HOST;
    process.env.NODE_ENGINES = saved.NODE_ENGINES;
    if (process.env.FAILOVER_KEEP_LAB === '1') {
      for (const k of [1, 2, 3]) await haLab('start-node', String(k)).catch(() => undefined);
    } else {
      await haLab('down', '--purge').catch((e) => console.log(`# failover lab down: ${(e as Error).message}`));
    }
    console.log(`# failover suite: ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
  });

  it("the leader's manager stopped mid-deployment: reads go on (stale, then fresh), the deployment ends once, the subscriber misses nothing, tolerance 1 -> 0 -> 1", async () => {
    await waitFor('tolerance 1 in the overview', async () => (await api1.get('/v1/cluster')).body?.quorum?.faultTolerance === 1, 30_000);
    const q0 = (await api1.get('/v1/cluster')).body.quorum;
    assert.equal(q0.managers, 3);
    assert.equal(q0.hasQuorum, true);
    assert.equal(q0.leader.hostname, `${HA_NAME}-node-${leader}`);

    const cluster: SseEvent[] = [];
    sse.push(await openSse(p1.url, 'admin', 'types=cluster', undefined, (e) => cluster.push(e)));
    const tasks: SseEvent[] = [];
    const first = await openSse(p2.url, 'admin', `types=task&service=${WEB}`, undefined, (e) => tasks.push(e));
    sse.push(first);
    assert.equal(first.status, 200);

    const id = await startHeldRolling(api1, WEB);
    // Held by construction: the v2 tasks stay `starting` until let through.
    await waitDeployment(api1, id, (d) => d.status === 'running', 'running');

    const reader = new Reader([p1.url, p2.url]);
    reader.start();
    const stoppedAt = Date.now();
    await haLab('stop-node', String(leader));
    // The subscriber drops off in the outage and comes back later with Last-Event-ID.
    await waitFor('reads marked stale (no leader yet)', async () => reader.samples.some((s) => s.at > stoppedAt && s.stale === true), 30_000, 50);
    first.close();
    const lastId = tasks.at(-1)?.id;
    await waitFor(
      'fresh reads from a new leader',
      async () => {
        const r = await api1.get('/v1/cluster');
        return r.body?.readModel?.stale === false && r.body.quorum?.leader && r.body.quorum.leader.hostname !== `${HA_NAME}-node-${leader}`;
      },
      60_000,
      100,
    );
    const freshAt = Date.now();
    console.log(`# manager ${leader} (the raft leader) stopped: fresh reads again after ${((freshAt - stoppedAt) / 1000).toFixed(1)} s`);
    await waitFor('tolerance 0 in the overview', async () => (await api2.get('/v1/cluster')).body?.quorum?.faultTolerance === 0, 30_000);
    await reader.stop();
    const bad = reader.samples.filter((s) => s.status !== 200);
    assert.deepEqual(bad, [], 'every read answered throughout');

    // The process moved to another manager, and says so.
    const ready = await client(p1.url, null).get('/health/ready');
    assert.equal(ready.status, 200, ready.text);
    assert.notEqual(ready.body.details.docker.endpoint, socks[leader - 1]);
    assert.ok(ready.body.details.docker.failovers >= 1);
    const text = await (await fetch(`${p1.url}/metrics`)).text();
    assert.ok((metric(text, 'swarm_cp_engine_failovers_total') ?? 0) >= 1);
    assert.equal(metric(text, 'swarm_cp_engine_endpoint_current', { endpoint: socks[leader - 1] }), 0);

    const resumed = await openSse(p2.url, 'admin', `types=task&service=${WEB}`, lastId, (e) => tasks.push(e));
    sse.push(resumed);
    assert.equal(resumed.status, 200);

    await haLab('start-node', String(leader));
    await waitFor('tolerance 1 again', async () => (await api1.get('/v1/cluster')).body?.quorum?.faultTolerance === 1, 90_000);
    await waitFor('ManagerQuorumChanged to 0, then back to 1', async () => {
      const ft = cluster.filter((e) => e.data?.kind === 'ManagerQuorumChanged').map((e) => e.data.faultTolerance);
      const zero = ft.indexOf(0);
      return zero >= 0 && ft.indexOf(1, zero) > zero;
    }, 30_000);

    // The deployment ends once, from where it was.
    await letThrough(WEB, async () => TERMINAL.includes((await api1.get(`/v1/deployments/${id}`)).body?.status));
    const d = await finished(api1, id, 120_000);
    assert.equal(d.status, 'succeeded', JSON.stringify(d));
    assertNoDuplicateSteps(d);
    const svc: any = await engine().getService(WEB).inspect();
    assert.equal(svc.PreviousSpec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1', 'the engine update was sent once');

    // Every task's state the engine recorded is the last the subscriber saw of that task.
    await waitFor(
      'the subscriber saw every task of the service reach its recorded state',
      async () => {
        const recorded: any[] = await engine().listTasks({ filters: { service: [WEB] } });
        const last = new Map<string, string>();
        for (const e of tasks) last.set(e.data.taskId, e.data.to);
        return recorded.every((t) => last.get(t.ID) === t.Status.State);
      },
      30_000,
    );
    const ids = tasks.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'each event once');
    assert.ok((await runningTasks(WEB)).every((t) => String(t.Spec.ContainerSpec.Image).startsWith('lab/web:v2')));
  });

  it('two of three managers stopped: writes answer 503 SWARM_NO_QUORUM, reads the stale snapshot; it recovers on its own', async () => {
    const scale = (api: Api) => api.put(`/v1/services/${WEB}/replicas`, { replicas: 2 });
    await Promise.all([haLab('stop-node', String(leader)), haLab('stop-node', String(other))]);
    const stoppedAt = Date.now();
    for (const api of [api1, api2]) {
      const r = await waitFor('a write refused with SWARM_NO_QUORUM', async () => {
        const w = await scale(api);
        return w.status === 503 && w.body.code === 'SWARM_NO_QUORUM' ? w : null;
      }, 60_000, 250);
      assert.match(r.body.message, /leader/);
      // No engine read can succeed now: the snapshot goes stale (after WATCH_INTERVAL_MS x 3 at
      // the latest) and reads go on from it.
      const cl = await waitFor('the overview marked stale, without a quorum', async () => {
        const x = await api.get('/v1/cluster');
        assert.equal(x.status, 200, x.text);
        return x.body.readModel.stale === true && x.body.quorum.hasQuorum === false ? x : null;
      }, 30_000);
      assert.ok(cl.body.readModel.ageSeconds > 0);
      const read = await api.get(`/v1/services/${WEB}`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.replicas.desired, 3);
    }
    await Promise.all([haLab('start-node', String(leader)), haLab('start-node', String(other))]);
    for (const api of [api1, api2]) {
      await waitFor('a write accepted again', async () => (await scale(api)).status === 200, 120_000, 500);
      await waitFor('fresh reads, tolerance 1', async () => {
        const cl = (await api.get('/v1/cluster')).body;
        return cl?.readModel?.stale === false && cl.quorum?.faultTolerance === 1;
      }, 60_000);
    }
    console.log(`# two managers stopped and started: writes and fresh reads again ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the stop`);
  });
});
