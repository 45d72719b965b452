import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { GqlSubscription, subscribeGql } from '../support/event-clients';
import { client, engine, engineCreateService, gql, removeServices, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';
import { ProductProcess, startProduct } from '../support/product';

const PREFIX = 't-as-';
const CPU_LIMIT = 0.1e9; // NanoCPUs: each burner task burns at most a tenth of a core
const INTERVAL = '1';
const FLAPPING = 'while :; do left=$(( 8 - $(date +%s) % 8 )); if [ $(( $(date +%s) / 8 % 2 )) -eq 0 ]; then yes >/dev/null & p=$!; sleep $left; kill $p; else sleep $left; fi; done';

type Api = ReturnType<typeof client>;

async function specReplicas(name: string): Promise<number> {
  const s: any = await engine().getService(name).inspect();
  return s.Spec.Mode.Replicated.Replicas;
}

function burner(name: string, extra: { command?: string[]; labels?: Record<string, string> } = {}) {
  return engineCreateService(name, {
    image: 'lab/burner:v1',
    replicas: 1,
    labels: extra.labels,
    extra: {
      TaskTemplate: {
        // A busy shell ignores SIGTERM: a short grace period keeps image switches quick.
        ContainerSpec: { Image: 'lab/burner:v1', StopGracePeriod: 1e9, ...(extra.command ? { Command: extra.command } : {}) },
        Resources: { Limits: { NanoCPUs: CPU_LIMIT } },
      },
      top: { UpdateConfig: { Parallelism: 0, Order: 'stop-first' } },
    },
  });
}

async function decisions(api: Api, service: string, limit = 1000): Promise<any[]> {
  const r = await api.get(`/v1/autoscaling/decisions?service=${service}&limit=${limit}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

describe('autoscaling: policies, the evaluator against real load, dry run, flapping, two workers', () => {
  let t: TestApp;
  let api: Api;
  let redis: Redis;
  let second: ProductProcess | undefined;
  const startedAt = Date.now();
  const grow = uniqueName('as-grow');
  const dry = uniqueName('as-dry');
  const flap = uniqueName('as-flap');
  const plain = uniqueName('as-plain');
  const flapReplicas: number[] = [];
  let flapPoll: NodeJS.Timeout | undefined;
  let dryEvents: GqlSubscription | undefined;

  before(async () => {
    await quietCluster();
    redis = new Redis(process.env.REDIS_URL!);
    await Promise.all([
      burner(grow),
      burner(dry),
      // Busy 8 s, idle 8 s, in phase across tasks (wall clock): load that flaps faster than the window.
      burner(flap, { command: ['/bin/sh', '-c', FLAPPING] }),
      engineCreateService(plain, { image: 'lab/web:v1', replicas: 1, labels: { team: 'b' } }),
    ]);
    t = await startApp({ AUTOSCALE_INTERVAL_SECONDS: INTERVAL, MAX_REPLICAS: '20' });
    api = client(t.url);
    // A second worker process sharing the Redis: rounds must still never overlap.
    second = await startProduct({ AUTOSCALE_INTERVAL_SECONDS: INTERVAL, MAX_REPLICAS: '20', ROLE: 'worker' });
    for (const s of [grow, dry, flap, plain]) {
      await waitFor(`${s} running`, async () => (await api.get(`/v1/services/${s}`)).body?.replicas?.running === 1, 60_000);
    }
  });

  after(async () => {
    clearInterval(flapPoll);
    await dryEvents?.close();
    await second?.stop();
    await t?.close();
    await removeServices(PREFIX);
    const mine = (await redis.hkeys('autoscaling:policies')).filter((k) => k.startsWith(PREFIX));
    if (mine.length) await redis.hdel('autoscaling:policies', ...mine);
    redis.disconnect();
  });

  it('policies are validated, role- and scope-checked, the same over REST and GraphQL', async () => {
    const good = { minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 50 };
    const bad = async (body: unknown, path: string) => {
      const r = await api.put(`/v1/services/${grow}/autoscaling`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(r.body.errors.some((e: any) => e.path === path), `${path} not named in ${r.text}`);
    };
    await bad({ ...good, minReplicas: 4 }, 'minReplicas');
    await bad({ ...good, maxReplicas: 21 }, 'maxReplicas');
    await bad({ ...good, targetPercent: 0 }, 'targetPercent');
    await bad({ ...good, targetPercent: 100.5 }, 'targetPercent');
    await bad({ ...good, metric: 'disk' }, 'metric');
    await bad({ ...good, tolerance: -0.1 }, 'tolerance');
    await bad({ ...good, maxStepUp: 0 }, 'maxStepUp');
    await bad({ ...good, scaleUpCooldownSeconds: 1.5 }, 'scaleUpCooldownSeconds');
    await bad({ ...good, surprise: true }, 'surprise');
    const { minReplicas: _m, ...noMin } = good;
    await bad(noMin, 'minReplicas');

    const noLimit = await api.put(`/v1/services/${plain}/autoscaling`, good);
    assert.equal(noLimit.status, 422, noLimit.text);
    assert.equal(noLimit.body.code, 'RESOURCES_REQUIRED');
    assert.match(noLimit.body.message, /no CPU limit or reservation/);
    assert.equal(noLimit.body.errors[0].path, 'metric');

    assert.equal((await api.put('/v1/services/t-as-nope/autoscaling', good)).status, 404);
    assert.equal((await client(t.url, 'viewer').put(`/v1/services/${grow}/autoscaling`, good)).status, 403);
    assert.equal((await client(t.url, 'deployer').put(`/v1/services/${grow}/autoscaling`, good)).status, 403);
    const missing = await api.get(`/v1/services/${grow}/autoscaling`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'POLICY_NOT_FOUND');

    // GraphQL: the same validation and role rules.
    const SET = `mutation($s: String!, $i: AutoscalingPolicyInput!) { setAutoscalingPolicy(service: $s, input: $i) {
      service enabled minReplicas maxReplicas metric targetPercent tolerance scaleUpCooldownSeconds
      scaleDownStabilizationSeconds maxStepUp maxStepDown dryRun basis updatedBy } }`;
    const gBad = await gql(t.url, SET, { s: grow, i: { ...good, minReplicas: 5 } });
    assert.equal(gBad.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED');
    const gRole = await gql(t.url, SET, { s: grow, i: good }, 'scaler');
    assert.equal(gRole.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const gSet = await gql(t.url, SET, { s: grow, i: { ...good, dryRun: true } });
    assert.equal(gSet.errors, undefined, JSON.stringify(gSet.errors));
    assert.deepEqual(gSet.data.setAutoscalingPolicy, {
      service: grow, enabled: true, minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 50, tolerance: 0.1,
      scaleUpCooldownSeconds: 60, scaleDownStabilizationSeconds: 300, maxStepUp: null, maxStepDown: null, dryRun: true,
      basis: 'limit', updatedBy: 'admin',
    });
    const viewerGet = await client(t.url, 'viewer').get(`/v1/services/${grow}/autoscaling`);
    assert.equal(viewerGet.status, 200);
    assert.equal(viewerGet.body.dryRun, true);
    // Scoped tokens see only their team's services, as if the others did not exist.
    assert.equal((await client(t.url, 'teamAViewer').get(`/v1/services/${grow}/autoscaling`)).status, 404);
    const gGet = await gql(t.url, 'query($s: String!) { autoscalingPolicy(service: $s) { maxReplicas } }', { s: grow }, 'viewer');
    assert.equal(gGet.data.autoscalingPolicy.maxReplicas, 3);
    const gNone = await gql(t.url, 'query($s: String!) { autoscalingPolicy(service: $s) { maxReplicas } }', { s: plain }, 'viewer');
    assert.equal(gNone.data.autoscalingPolicy, null);
    const gDel = await gql(t.url, 'mutation($s: String!) { removeAutoscalingPolicy(service: $s) }', { s: grow });
    assert.equal(gDel.data.removeAutoscalingPolicy, true);
    assert.equal((await api.get(`/v1/services/${grow}/autoscaling`)).status, 404);
    assert.equal((await api.delete(`/v1/services/${grow}/autoscaling`)).status, 404);
    const put = await api.put(`/v1/services/${grow}/autoscaling`, good);
    assert.equal(put.status, 200);
    assert.equal((await api.delete(`/v1/services/${grow}/autoscaling`)).status, 204);
  });

  it('a dry-run policy and a flapping load: start them now, checked below', async () => {
    const common = { minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 50, scaleUpCooldownSeconds: 2 };
    dryEvents = subscribeGql(
      t.url,
      'viewer',
      'subscription($s: String) { autoscalingDecision(service: $s) { service action from to held decisionId code applied dryRun metric value target at } }',
      { s: dry },
    );
    assert.equal((await api.put(`/v1/services/${dry}/autoscaling`, { ...common, dryRun: true })).status, 200);
    // The load flaps with a 16 s period; a 30 s window always holds a high recommendation.
    const f = await api.put(`/v1/services/${flap}/autoscaling`, { ...common, scaleDownStabilizationSeconds: 30 });
    assert.equal(f.status, 200, f.text);
    flapPoll = setInterval(() => {
      specReplicas(flap).then((n) => flapReplicas.push(n), () => undefined);
    }, 500);
  });

  it('a burner with a CPU limit grows to max and no further, holds, and returns to min after the window once idle', async () => {
    const policy = {
      minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 50,
      scaleUpCooldownSeconds: 2, scaleDownStabilizationSeconds: 8,
    };
    assert.equal((await api.put(`/v1/services/${grow}/autoscaling`, policy)).status, 200);
    await waitFor('grow at 3 replicas in the engine', async () => (await specReplicas(grow)) === 3, 60_000, 250);
    await waitFor('3 running burner tasks', async () => (await api.get(`/v1/services/${grow}`)).body.replicas.running === 3, 60_000);

    // Holds at max under load: several more rounds, and no decision ever asked for more.
    const atMaxSince = Date.now();
    await waitFor('3 at-max decisions after reaching max', async () => {
      const d = (await decisions(api, grow)).filter((x) => Date.parse(x.at) > atMaxSince && x.code === 'at-max');
      return d.length >= 3;
    }, 30_000, 500);
    assert.equal(await specReplicas(grow), 3);
    const all = await decisions(api, grow);
    assert.ok(all.every((d) => d.desired === null || d.desired <= 3), 'a decision went above maxReplicas');
    const applied = all.filter((d) => d.applied);
    assert.ok(applied.length >= 1 && applied.every((d) => d.action === 'scale-up'));
    const first = applied[applied.length - 1];
    assert.equal(first.current, 1);
    assert.ok(first.inputs.average > 50 * 1.1, `burner average ${first.inputs.average}% did not exceed the target`);
    assert.equal(first.inputs.metric, 'cpu');
    // Applied through the manual scale path, audited as the autoscaler.
    const audit = await api.get(`/v1/audit?actor=autoscaler&service=${grow}`);
    assert.equal(audit.status, 200, audit.text);
    const scaled = audit.body.items.filter((e: any) => e.action === 'service.scale');
    assert.equal(scaled.length, applied.length);
    assert.deepEqual(scaled[scaled.length - 1].before, { replicas: 1 });
    assert.equal(scaled[0].after.replicas, 3);
    assert.equal(scaled[0].via, 'job');
    assert.equal(scaled[0].outcome.status, 'succeeded');
    assert.match(scaled[0].request.reason, /cpu .*% vs target 50%/);

    // Deploy an idle image: autoscaling pauses while the deployment runs, the load disappears,
    // the window keeps 3 replicas for a while, then it goes to min.
    const idleFrom = Date.now();
    const dep = await api.post('/v1/deployments', {
      service: grow, image: 'lab/web:v1', strategy: 'rolling',
      rolling: { parallelism: 1, delaySeconds: 3, monitorSeconds: 0.5, order: 'stop-first' },
    });
    assert.equal(dep.status, 202, dep.text);
    const done = await waitFor('the deployment to end', async () => {
      const d = (await api.get(`/v1/deployments/${dep.body.id}`)).body;
      return ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(d.status) ? d : null;
    }, 90_000, 250);
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    await waitFor('grow back at 1 replica in the engine', async () => (await specReplicas(grow)) === 1, 90_000, 250);
    // The decision is recorded just after the engine accepted the scale.
    const after = await waitFor('the applied scale-down decision', async () => {
      const ds = (await decisions(api, grow)).filter((d) => Date.parse(d.at) >= idleFrom).reverse();
      return ds.some((d) => d.applied && d.action === 'scale-down') ? ds : null;
    }, 10_000, 200);
    const paused = after.filter((d) => d.code === 'deployment-running');
    assert.ok(paused.length >= 1, `no decision paused by the deployment: ${after.map((d) => d.code)}`);
    assert.ok(paused.every((d) => d.action === 'skip' && !d.applied && d.reason.includes(dep.body.id)));
    const [pauseFrom, pauseTo] = [Date.parse(paused[0].at), Date.parse(paused[paused.length - 1].at)];
    assert.ok(!after.some((d) => d.applied && Date.parse(d.at) >= pauseFrom && Date.parse(d.at) <= pauseTo), 'scaled during the deployment');
    const down = after.find((d) => d.applied && d.action === 'scale-down');
    assert.ok(down, 'no applied scale-down decision');
    assert.equal(down.current, 3);
    assert.equal(down.desired, 1);
    const before = after.slice(0, after.indexOf(down));
    assert.ok(before.some((d) => d.code === 'stabilizing'), `no stabilizing decision before the scale-down: ${before.map((d) => d.code)}`);
    assert.ok(!before.some((d) => d.applied), 'scaled before the window passed');
  });

  it('a dry-run policy records decisions and changes nothing', async () => {
    const d = await waitFor('dry-run scale-up decisions', async () => {
      const items = (await decisions(api, dry)).filter((x) => x.action === 'scale-up');
      return items.length >= 2 ? items : null;
    }, 30_000, 500);
    for (const x of d) {
      assert.equal(x.dryRun, true);
      assert.equal(x.applied, false);
      assert.equal(x.current, 1);
      assert.match(x.reason, /dry run/);
    }
    assert.equal(await specReplicas(dry), 1);
    assert.equal((await api.get(`/v1/services/${dry}`)).body.replicas.desired, 1);
    // Each decision was also published as an autoscalingDecision event.
    const ids = new Set((await decisions(api, dry)).map((x) => x.id));
    const events = await waitFor('autoscalingDecision events', async () => (dryEvents!.events.length >= 2 ? dryEvents!.events : null), 20_000);
    assert.equal(dryEvents!.error(), undefined);
    for (const e of events) {
      assert.ok(ids.has(e.decisionId), `event for unknown decision ${e.decisionId}`);
      assert.equal(e.service, dry);
      assert.equal(e.dryRun, true);
      assert.equal(e.applied, false);
      assert.equal(e.from, 1);
      assert.equal(e.to, 1);
      assert.equal(e.metric, 'cpu');
    }
    assert.ok(events.some((e) => e.action === 'scale-up' && e.held === true));
  });

  it('flapping load does not make the replica count flap', async () => {
    // The load has flapped for the whole suite so far; let it flap a few more cycles.
    await waitFor('the flapping service decided at least 20 times', async () => (await decisions(api, flap)).length >= 20, 60_000, 1000);
    clearInterval(flapPoll);
    const ds = await decisions(api, flap);
    const samples = ds.flatMap((d) => (d.inputs.samples ?? []).map((s: any) => s.value)).filter((v: any) => typeof v === 'number');
    assert.ok(samples.some((v) => v > 80) && samples.some((v) => v < 20), `the load did not flap: ${samples.map(Math.round)}`);
    // Engine-side: the replica count only ever went up, and changed at most twice (1 -> 2 -> 3).
    const changes = flapReplicas.filter((n, i) => i > 0 && n !== flapReplicas[i - 1]);
    const downs = flapReplicas.filter((n, i) => i > 0 && n < flapReplicas[i - 1]);
    assert.deepEqual(downs, [], `replicas went down: ${flapReplicas}`);
    assert.ok(changes.length <= 2, `replicas changed ${changes.length} times: ${flapReplicas}`);
    assert.ok(!ds.some((d) => d.applied && d.action === 'scale-down'));
    // The metric did ask for fewer replicas at times; the window held them.
    assert.ok(ds.some((d) => d.code === 'stabilizing' && d.inputs.recommendation < d.current), 'no decision was held by the window');
  });

  it('two worker processes never run a round at the same time', async () => {
    // Belt: while someone holds the round lock, no process starts a round.
    await waitFor('the round lock', async () => (await redis.set('autoscaling:round-lock', 'test', 'PX', 10_000, 'NX')) === 'OK', 20_000, 20);
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 3500));
    const to = Date.now();
    assert.equal(await redis.del('autoscaling:round-lock'), 1);
    const readRounds = async () =>
      (await redis.lrange('autoscaling:rounds', 0, -1))
        .map((x) => JSON.parse(x))
        .filter((r) => r.startedAt >= startedAt)
        .sort((a, b) => a.startedAt - b.startedAt);
    await waitFor('a round after the lock was released', async () => (await readRounds()).some((r) => r.startedAt > to), 30_000, 250);
    const rounds = await readRounds();
    const workers = new Set(rounds.map((r) => r.worker.split(':')[1]));
    assert.ok(workers.size >= 2, `rounds ran in ${workers.size} process(es) only`);
    assert.ok(rounds.length >= 10, `only ${rounds.length} rounds`);
    for (let i = 1; i < rounds.length; i++) {
      assert.ok(rounds[i].startedAt >= rounds[i - 1].endedAt, `rounds overlap: ${JSON.stringify(rounds[i - 1])} and ${JSON.stringify(rounds[i])}`);
    }
    assert.deepEqual(rounds.filter((r) => r.startedAt >= from && r.startedAt <= to), []);
  });

  it('manual scaling outside [min, max] of an enabled policy is refused naming the policy; chatops sets and shows policies', async () => {
    const policy = { minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 50, scaleDownStabilizationSeconds: 600 };
    assert.equal((await api.put(`/v1/services/${grow}/autoscaling`, policy)).status, 200);
    const before = await specReplicas(grow);
    for (const replicas of [4, 0]) {
      const r = await client(t.url, 'scaler').put(`/v1/services/${grow}/replicas`, { replicas });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.body.code, 'OUT_OF_BOUNDS');
      assert.match(r.body.message, new RegExp(`outside 1\\.\\.3 set by the autoscaling policy of service "${grow}"`));
    }
    const g = await gql(t.url, 'mutation($s: String!) { scaleService(name: $s, replicas: 5) { replicas } }', { s: grow }, 'scaler');
    assert.equal(g.errors?.[0]?.extensions?.code, 'OUT_OF_BOUNDS');
    const say = (text: string, token: 'admin' | 'viewer' | 'scaler' = 'admin') => client(t.url, token).post('/v1/chatops/commands', { text });
    const chatScale = await say(`scale ${grow}=6`, 'scaler');
    assert.equal(chatScale.status, 422);
    assert.match(chatScale.body.message, /autoscaling policy/);
    assert.equal(await specReplicas(grow), before);

    // A dry-run policy observes only: it bounds nothing. Chatops sets and shows policies.
    const set = await say(`autoscale ${dry} 1..2 cpu 70 dry-run`);
    assert.equal(set.status, 200, set.text);
    assert.match(set.body.text, /autoscaling: dry run · 1\.\.2 replicas · cpu target 70% of limit/);
    const kept = (await api.get(`/v1/services/${dry}/autoscaling`)).body;
    assert.deepEqual([kept.minReplicas, kept.maxReplicas, kept.targetPercent, kept.dryRun, kept.scaleUpCooldownSeconds], [1, 2, 70, true, 2]);
    assert.equal((await client(t.url, 'scaler').put(`/v1/services/${dry}/replicas`, { replicas: 3 })).status, 200);
    assert.equal(await specReplicas(dry), 3);
    assert.equal((await say(`autoscale ${dry} 1..2 cpu 70`, 'scaler')).status, 403);
    const bad = await say(`autoscale ${dry} 1..99 cpu 70`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /maxReplicas/);
    const status = await say(`status ${grow}`, 'viewer');
    assert.equal(status.status, 200, status.text);
    assert.match(status.body.text, /autoscaling: on · 1\.\.3 replicas · cpu target 50% of limit/);
    assert.match((await say(`status ${plain}`, 'viewer')).body.text, /autoscaling: none/);

    // Disabling the policy lifts the bounds.
    assert.equal((await api.put(`/v1/services/${grow}/autoscaling`, { ...policy, enabled: false })).status, 200);
    assert.equal((await client(t.url, 'scaler').put(`/v1/services/${grow}/replicas`, { replicas: 4 })).status, 200);
    assert.equal(await specReplicas(grow), 4);
    assert.equal((await say(`autoscale ${grow} off`)).status, 200);
    assert.equal((await api.get(`/v1/services/${grow}/autoscaling`)).status, 404);
  });
});
