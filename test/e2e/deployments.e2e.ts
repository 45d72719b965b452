import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, gql, removeServices, runningTasks, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { aliasAnswers, assertNoDuplicateSteps, createNetwork, finished, HELD_HEALTHCHECK, killTasks, letThrough, removeNetwork, TERMINAL, waitDeployment } from '../support/deployments';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-dep-';
/** The engine's default rollback (one task at a time, 5 s watch each) is slow for a test. */
const FAST_ROLLBACK = { top: { RollbackConfig: { Parallelism: 0, Monitor: 1e9, FailureAction: 'pause' } } };

async function imagesRunning(name: string): Promise<string[]> {
  return (await runningTasks(name)).map((t) => String(t.Spec.ContainerSpec.Image).split('@')[0]).sort();
}

async function waitRunning(name: string, n: number, image = 'lab/web:v1'): Promise<void> {
  await waitFor(`${n} ${name} tasks on ${image}`, async () => {
    const imgs = await imagesRunning(name);
    return imgs.length === n && imgs.every((i) => i === image);
  }, 60_000);
}

describe('deployments: rolling and blue-green through the API, checked in the engine', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  const net = uniqueName('dep-net');

  before(async () => {
    await quietCluster();
    t = await startApp({ ROLE: 'all', DEPLOY_POLL_MS: '100', BLUE_GREEN_KEEP_SECONDS: '2' });
    api = client(t.url, 'deployer');
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
    await removeNetwork(net);
  });

  it('rolling v1 -> v2 start-first succeeds with every task on v2 and never fewer running than desired', async () => {
    const name = uniqueName('dep-roll');
    await engineCreateService(name, { replicas: 3, extra: FAST_ROLLBACK });
    await waitRunning(name, 3);
    await waitFor('read model sees the service', async () => (await api.get(`/v1/services/${name}`)).status === 200);

    let sampling = true;
    let minRunning = Infinity;
    let samples = 0;
    const sampler = (async () => {
      while (sampling) {
        const tasks: any[] = await engine().listTasks({ filters: { service: [name] } });
        minRunning = Math.min(minRunning, tasks.filter((x) => x.Status.State === 'running').length);
        samples++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const res = await api.post('/v1/deployments', {
      service: name,
      image: 'lab/web:v2',
      strategy: 'rolling',
      rolling: { order: 'start-first', parallelism: 1, delaySeconds: 0.2, monitorSeconds: 1, failureAction: 'pause' },
      reason: 'e2e rolling',
    });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.status, 'queued');
    assert.equal(typeof res.body.position, 'number');
    assert.equal(res.headers.get('location'), `/v1/deployments/${res.body.id}`);
    assert.equal(res.body.previousImage, 'lab/web:v1');
    assert.equal(res.body.createdBy, 'deployer');

    const d = await finished(api, res.body.id);
    sampling = false;
    await sampler;
    assert.equal(d.status, 'succeeded', JSON.stringify(d));
    assert.deepEqual(d.progress, { updated: 3, total: 3 });
    assertNoDuplicateSteps(d);
    assert.ok(d.startedAt && d.finishedAt && d.position === null);
    assert.deepEqual(await imagesRunning(name), ['lab/web:v2', 'lab/web:v2', 'lab/web:v2']);
    const svc: any = await engine().getService(name).inspect();
    assert.equal(svc.Spec.UpdateConfig.Order, 'start-first', 'the request settings were written with the image');
    assert.equal(svc.Spec.UpdateConfig.Delay, 0.2e9);
    assert.equal(svc.PreviousSpec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1', 'one engine update: previous spec is v1');
    assert.ok(samples > 5, `only ${samples} samples`);
    assert.ok(minRunning >= 3, `fewer running than desired at some moment: ${minRunning}`);

    // The list filters; a viewer can read it; the service rollback goes back to v1 as a deployment.
    const list = await client(t.url, 'viewer').get(`/v1/deployments?service=${name}&status=succeeded`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((x: any) => x.id), [d.id]);
    const rb = await api.post(`/v1/services/${name}/rollback`, { reason: 'e2e' });
    assert.equal(rb.status, 202, rb.text);
    assert.equal(rb.body.strategy, 'rollback');
    assert.equal(rb.body.image, 'lab/web:v1');
    const rbDone = await finished(api, rb.body.id);
    assert.equal(rbDone.status, 'succeeded', JSON.stringify(rbDone));
    await waitRunning(name, 3, 'lab/web:v1');
  });

  it('a broken image with failureAction rollback ends rolled-back or failed, back on v1 and running', async () => {
    const name = uniqueName('dep-broken');
    await engineCreateService(name, { replicas: 2, extra: FAST_ROLLBACK });
    await waitRunning(name, 2);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const res = await api.post('/v1/deployments', {
      service: name,
      image: 'lab/broken:v1',
      strategy: 'rolling',
      rolling: { parallelism: 1, monitorSeconds: 3, failureAction: 'rollback', order: 'stop-first' },
      progressDeadlineSeconds: 60,
    });
    assert.equal(res.status, 202, res.text);
    const d = await finished(api, res.body.id);
    assert.ok(['rolled-back', 'failed'].includes(d.status), JSON.stringify(d));
    assert.ok(d.error, 'the failure is explained');
    assertNoDuplicateSteps(d);
    const svc: any = await engine().getService(name).inspect();
    assert.equal(svc.Spec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1');
    await waitRunning(name, 2, 'lab/web:v1');
  });

  it('a new task failing within the monitor period, after every new task ran, still fails the update (no early success)', async () => {
    const name = uniqueName('dep-monitor');
    await engineCreateService(name, { replicas: 2, extra: FAST_ROLLBACK });
    await waitRunning(name, 2);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    // A five-minute monitor period: both new tasks run long before it ends, so the kill below
    // lands inside it by construction.
    const res = await api.post('/v1/deployments', {
      service: name,
      image: 'lab/web:v2',
      strategy: 'rolling',
      rolling: { parallelism: 0, monitorSeconds: 300, failureAction: 'pause', order: 'start-first' },
    });
    assert.equal(res.status, 202, res.text);
    await waitRunning(name, 2, 'lab/web:v2');
    const mid = await api.get(`/v1/deployments/${res.body.id}`);
    assert.equal(mid.body.status, 'running', 'every new task runs, but the monitor period is not over');
    assert.ok((await killTasks(name)) >= 1, 'a new task was killed');
    const d = await finished(api, res.body.id);
    assert.equal(d.status, 'failed', JSON.stringify(d));
    assert.match(d.error, /paused/);
    assert.ok(!d.steps.some((s: any) => s.name === 'succeeded'), 'never reported succeeded');
    const svc: any = await engine().getService(name).inspect();
    assert.equal(svc.UpdateStatus?.State, 'paused', 'the engine paused the update too');
  });

  it('two deployments to one service run one after the other; the later image wins', async () => {
    const name = uniqueName('dep-two');
    // The first deployment's new tasks are held (health check) until the test lets them
    // through: the second is cancelled while it still waits in line, by construction.
    await engineCreateService(name, { replicas: 2, extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Healthcheck: HELD_HEALTHCHECK } } } });
    await waitRunning(name, 2);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const body = (image: string) => ({ service: name, image, strategy: 'rolling', rolling: { parallelism: 0, monitorSeconds: 0.5 } });
    const a = await api.post('/v1/deployments', body('lab/web:v2'));
    const b = await api.post('/v1/deployments', body('lab/broken:v1'));
    // The second is replaced right away by a third to the first image: it waits behind the first.
    const c = await api.post('/v1/deployments', body('lab/web:v1'));
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    assert.equal(c.status, 202);
    assert.equal(b.body.position, 1, 'one ahead of the second');
    assert.equal(c.body.position, 2, 'two ahead of the third');
    const cancelled = await api.post(`/v1/deployments/${b.body.id}/cancel`);
    assert.equal(cancelled.status, 202, cancelled.text);
    const bDone = await finished(api, b.body.id);
    assert.equal(bDone.status, 'cancelled');
    const waiting = await api.get(`/v1/deployments/${c.body.id}`);
    assert.equal(waiting.body.status, 'queued', 'the third waits while the first is held');
    await letThrough(name, async () => TERMINAL.includes((await api.get(`/v1/deployments/${a.body.id}`)).body?.status));
    const [aDone, cDone] = [await finished(api, a.body.id), await finished(api, c.body.id)];
    assert.equal(aDone.status, 'succeeded', JSON.stringify(aDone));
    assert.equal(cDone.status, 'succeeded', JSON.stringify(cDone));
    assert.ok(Date.parse(cDone.startedAt) >= Date.parse(aDone.finishedAt), 'the second started after the first finished');
    assert.equal(bDone.startedAt, null, 'the cancelled one never ran');
    const svc: any = await engine().getService(name).inspect();
    assert.equal(svc.Spec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1');
    assert.equal(svc.PreviousSpec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v2');
    await waitRunning(name, 2, 'lab/web:v1');
  });

  it('refuses bad requests: unknown service 404, bad image 400, wrong state 409, roles and scope', async () => {
    const name = uniqueName('dep-rules');
    await engineCreateService(name, { replicas: 1, labels: { team: 'b' } });
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const missing = await api.post('/v1/deployments', { service: 'no-such-service', image: 'lab/web:v2', strategy: 'rolling' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'SERVICE_NOT_FOUND');
    const bad = await api.post('/v1/deployments', { service: name, image: 'NOT an image!', strategy: 'rolling' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(bad.body.errors.map((e: any) => e.path), ['image']);
    const mixed = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'rolling', blueGreen: {} });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.errors[0].path, 'blueGreen');
    const viewer = await client(t.url, 'viewer').post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'rolling' });
    assert.equal(viewer.status, 403);
    const outOfScope = await client(t.url, 'teamA').post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'rolling' });
    assert.equal(outOfScope.status, 404, 'another team\'s service is absent');
    const unknown = await api.get('/v1/deployments/d-nope-0000');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'DEPLOYMENT_NOT_FOUND');

    const ok = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'rolling', rolling: { monitorSeconds: 0.5 } });
    assert.equal(ok.status, 202);
    assert.equal((await client(t.url, 'teamAViewer').get(`/v1/deployments/${ok.body.id}`)).status, 404, 'out-of-scope deployments are absent');
    const promote = await api.post(`/v1/deployments/${ok.body.id}/promote`);
    assert.equal(promote.status, 409);
    assert.equal(promote.body.code, 'INVALID_STATE');
    const done = await finished(api, ok.body.id);
    assert.equal(done.status, 'succeeded');
    const again = await api.post(`/v1/deployments/${ok.body.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'INVALID_STATE');

    const g = await gql(t.url, 'mutation($i: DeployInput!) { deploy(input: $i) { id status } }', { i: { service: name, image: 'bad image', strategy: 'rolling' } }, 'deployer');
    assert.equal(g.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED');
    const q = await gql(t.url, 'query($id: String!) { deployment(id: $id) { id status progress { updated total } steps { name } } }', { id: ok.body.id }, 'viewer');
    assert.equal(q.data?.deployment?.status, 'succeeded');
  });

  describe('blue-green on a dnsrr service with a network alias', () => {
    const name = uniqueName('dep-bg');
    const alias = `${name}-alias`;
    const probe = uniqueName('dep-probe');

    before(async () => {
      const netId = await createNetwork(net);
      await engineCreateService(name, {
        replicas: 2,
        labels: { team: 'a' },
        extra: { TaskTemplate: { Networks: [{ Target: netId, Aliases: [alias] }] }, top: { EndpointSpec: { Mode: 'dnsrr' } } },
      });
      await engineCreateService(probe, { replicas: 1, extra: { TaskTemplate: { Networks: [{ Target: netId }] }, top: { EndpointSpec: { Mode: 'dnsrr' } } } });
      await waitRunning(name, 2);
      await waitRunning(probe, 1);
      await waitFor('alias serves v1', async () => {
        const a = await aliasAnswers(probe, alias, 2);
        return a.size === 1 && a.has('v1');
      }, 30_000);
    });

    it('auto-promoted with verification: before v1 only, after v2 only; the stable name follows the live colour', async () => {
      const res = await client(t.url, 'teamA').post('/v1/deployments', {
        service: name,
        image: 'lab/web:v2',
        strategy: 'blue-green',
        blueGreen: { autoPromote: true, verify: { path: '/', expectStatus: 200, expectBody: 'v2', timeoutSeconds: 10 }, keepSeconds: 2 },
      });
      assert.equal(res.status, 202, res.text);
      const d = await finished(api, res.body.id);
      assert.equal(d.status, 'succeeded', JSON.stringify(d));
      assertNoDuplicateSteps(d);
      for (const s of ['prepared', 'green-created', 'green-ready', 'verified', 'green-attached', 'blue-released']) assert.ok(d.steps.some((x: any) => x.name === s), `step ${s}`);
      assert.deepEqual([...(await aliasAnswers(probe, alias))], ['v2']);
      const green: any = await engine().getService(`${name}-green`).inspect();
      assert.equal(green.Spec.Labels['swarm-cp.bluegreen.state'], 'live');
      assert.equal(green.Spec.Labels.team, 'a', 'labels (and scope) carry over');
      await waitFor('read model follows', async () => (await api.get(`/v1/services/${name}`)).body?.image === 'lab/web:v2');
      const detail = await api.get(`/v1/services/${name}`);
      assert.equal(detail.body.name, `${name}-green`);
      // After the keep window the retired blue is removed.
      await waitFor('blue removed after the keep window', async () => !(await engine().listServices()).some((s: any) => s.Spec.Name === name), 30_000);
    });

    it('a broken green aborts: no green left, the alias still serves the old version', async () => {
      const res = await api.post('/v1/deployments', { service: name, image: 'lab/broken:v1', strategy: 'blue-green', progressDeadlineSeconds: 20 });
      assert.equal(res.status, 202, res.text);
      const d = await finished(api, res.body.id);
      assert.equal(d.status, 'failed', JSON.stringify(d));
      assert.ok(d.steps.some((s: any) => s.name === 'green-removed'));
      const left = (await engine().listServices()).filter((s: any) => s.Spec.Labels?.['swarm-cp.bluegreen.of'] === name);
      assert.deepEqual(left.map((s: any) => s.Spec.Name), [`${name}-green`], 'only the live colour remains');
      assert.deepEqual([...(await aliasAnswers(probe, alias))], ['v2']);
    });

    it('manual promotion: awaiting-promotion keeps the old version until promote', async () => {
      const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v1', strategy: 'blue-green', blueGreen: { autoPromote: false, keepSeconds: 60, keepOld: 'running' } });
      assert.equal(res.status, 202, res.text);
      const waiting = await waitDeployment(api, res.body.id, (x) => x.status === 'awaiting-promotion' || TERMINAL_OF(x), 'awaiting promotion');
      assert.equal(waiting.status, 'awaiting-promotion', JSON.stringify(waiting));
      assert.deepEqual([...(await aliasAnswers(probe, alias))], ['v2'], 'no traffic on green before promotion');
      const p = await gql(t.url, 'mutation($id: String!) { promoteDeployment(id: $id) { id pendingRequests } }', { id: res.body.id }, 'deployer');
      assert.equal(p.errors, undefined, JSON.stringify(p.errors));
      const d = await finished(api, res.body.id);
      assert.equal(d.status, 'succeeded', JSON.stringify(d));
      assert.deepEqual([...(await aliasAnswers(probe, alias))], ['v1']);
      const blue: any = await engine().getService(`${name}-green`).inspect();
      assert.equal(blue.Spec.Labels['swarm-cp.bluegreen.state'], 'retired');
      assert.equal(blue.Spec.Mode.Replicated.Replicas, 2, 'keepOld running keeps the old colour running');
    });

    it('cancel while awaiting promotion: green removed, traffic stays', async () => {
      const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'blue-green', blueGreen: { autoPromote: false } });
      assert.equal(res.status, 202, res.text);
      await waitDeployment(api, res.body.id, (x) => x.status === 'awaiting-promotion', 'awaiting promotion');
      const c = await api.post(`/v1/deployments/${res.body.id}/cancel`);
      assert.equal(c.status, 202, c.text);
      const d = await finished(api, res.body.id);
      assert.equal(d.status, 'cancelled', JSON.stringify(d));
      const mine = (await engine().listServices()).filter((s: any) => s.Spec.Labels?.['swarm-cp.bluegreen.deployment'] === res.body.id && s.Spec.Labels?.['swarm-cp.bluegreen.state'] === 'candidate');
      assert.deepEqual(mine, [], 'no candidate left');
      assert.deepEqual([...(await aliasAnswers(probe, alias))], ['v1']);
    });
  });
});

function TERMINAL_OF(d: any): boolean {
  return ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(d.status);
}
