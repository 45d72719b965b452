import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { client, engine, engineCreateService, waitFor } from '../support/harness';
import { ProductProcess, startProduct } from '../support/product';
import { quietCluster } from '../support/quiet';
import { metricValue } from '../support/prom-text';

/**
 * One reader for the whole control plane: two processes on one Redis; only the watcher leader
 * reads the engine, the other serves the leader's read model (shared through Redis) and makes
 * no engine request of its own for reads; it reloads the whole model after missing changes, and
 * takes over reading when the leader dies.
 */
const SVC = 't-share-web';
const TTL = 5000;

async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

function metric(text: string, name: string): number {
  return metricValue(text, name) ?? 0;
}

async function replicasSeenBy(url: string): Promise<number | undefined> {
  return (await client(url).get(`/v1/services/${SVC}`)).body?.replicas?.desired;
}

describe('one reader: a follower serves the leader\'s read model', () => {
  let p1: ProductProcess;
  let p2: ProductProcess;

  before(async () => {
    await quietCluster();
    const env = { LEADER_LOCK_TTL_MS: String(TTL), LOG_LEVEL: 'warn' };
    // p1 first, and the leader before p2 starts: which process leads is made so, not raced.
    p1 = await startProduct({ ...env, ROLE: 'all' });
    await waitFor('p1 leads', async () => metric(await metrics(p1.url), 'swarm_cp_watcher_leader') === 1, 30_000);
    p2 = await startProduct({ ...env, ROLE: 'api' });
    await waitFor('p2 follows the leader', async () => {
      const m = await metrics(p2.url);
      return metric(m, 'swarm_cp_read_model_following') === 1 && (await client(p2.url).get('/v1/cluster')).body?.readModel?.stale === false;
    }, 30_000);
  });

  after(async () => {
    await Promise.all([p1?.kill(), p2?.kill()]);
  });

  it('changes made in the engine reach the follower through the leader; the follower reads nothing from the engine', async () => {
    const before = metric(await metrics(p2.url), 'swarm_cp_engine_requests_total');
    const leaderBefore = metric(await metrics(p1.url), 'swarm_cp_engine_requests_total');
    const id = await engineCreateService(SVC, { replicas: 1 });
    await waitFor('the follower lists the new service', async () => (await replicasSeenBy(p2.url)) === 1, 30_000);
    const svc = engine().getService(id);
    const cur: any = await svc.inspect();
    await svc.update({ ...cur.Spec, version: cur.Version.Index, Mode: { Replicated: { Replicas: 2 } } });
    await waitFor('the follower sees 2 replicas', async () => (await replicasSeenBy(p2.url)) === 2, 30_000);
    await waitFor('the follower sees the tasks', async () => (await client(p2.url).get(`/v1/services/${SVC}/tasks`)).body?.items?.length === 2, 30_000);
    for (let i = 0; i < 20; i++) {
      assert.equal((await client(p2.url).get('/v1/services')).status, 200);
      assert.equal((await client(p2.url).get('/v1/nodes')).status, 200);
    }
    const after = await metrics(p2.url);
    assert.equal(metric(after, 'swarm_cp_engine_requests_total'), before, 'the follower made no engine request');
    assert.ok(metric(after, 'swarm_cp_read_model_deltas_total') > 0);
    assert.ok(metric(await metrics(p1.url), 'swarm_cp_engine_requests_total') > leaderBefore, 'the leader read the engine');
  });

  it('a write on the follower reads back only what it wrote, and its answer and next read show it', async () => {
    const before = metric(await metrics(p2.url), 'swarm_cp_engine_requests_total');
    const res = await client(p2.url).put(`/v1/services/${SVC}/replicas`, { replicas: 3 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await replicasSeenBy(p2.url), 3);
    const spent = metric(await metrics(p2.url), 'swarm_cp_engine_requests_total') - before;
    // The update, and the service read back (a stale copy refused by the engine costs one more inspect).
    assert.ok(spent >= 1 && spent <= 3, `engine requests for one scale on the follower: ${spent}`);
    await waitFor('the leader sees 3 replicas', async () => (await replicasSeenBy(p1.url)) === 3, 30_000);
  });

  it('a follower that lost its subscription reloads the whole model and misses no change', async () => {
    const resyncs = metric(await metrics(p2.url), 'swarm_cp_read_model_resyncs_total');
    const r = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    try {
      // Every subscriber connection is cut; the change below may happen while p2 is away.
      await r.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    } finally {
      r.disconnect();
    }
    const svc = engine().getService(SVC);
    const cur: any = await svc.inspect();
    await svc.update({ ...cur.Spec, version: cur.Version.Index, Mode: { Replicated: { Replicas: 1 } } });
    await waitFor('the follower reloaded', async () => metric(await metrics(p2.url), 'swarm_cp_read_model_resyncs_total') > resyncs, 30_000);
    await waitFor('the follower sees 1 replica', async () => (await replicasSeenBy(p2.url)) === 1, 30_000);
  });

  it('the leader killed: the follower takes over reading the engine and stays fresh', async () => {
    await p1.kill();
    await waitFor('p2 leads', async () => metric(await metrics(p2.url), 'swarm_cp_watcher_leader') === 1, 6 * TTL + 10_000);
    assert.equal(metric(await metrics(p2.url), 'swarm_cp_read_model_following'), 0);
    const svc = engine().getService(SVC);
    const cur: any = await svc.inspect();
    await svc.update({ ...cur.Spec, version: cur.Version.Index, Mode: { Replicated: { Replicas: 2 } } });
    await waitFor('p2 sees the change from its own reads', async () => (await replicasSeenBy(p2.url)) === 2, 30_000);
    await waitFor('p2 fresh from its own engine reads', async () => (await client(p2.url).get('/v1/cluster')).body?.readModel?.stale === false, 30_000);
  });
});
