import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, removeServices, runningTasks, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { assertNoDuplicateSteps, finished, waitDeployment, WorkerProcess } from '../support/deployments';

const PREFIX = 't-dep-crash';

/** Short locks so a killed worker's job is recovered within seconds. */
const WORKER_ENV = { QUEUE_LOCK_DURATION_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '1000', DEPLOY_POLL_MS: '100', BLUE_GREEN_KEEP_SECONDS: '1' };

const hasStep = (name: string) => (d: any) => d.steps.some((s: any) => s.name === name) || ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(d.status);

async function images(name: string): Promise<string[]> {
  return (await runningTasks(name)).map((t) => String(t.Spec.ContainerSpec.Image).split('@')[0]);
}

describe('deployments survive kill -9 of the worker', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let worker: WorkerProcess;

  before(async () => {
    await removeServices(PREFIX);
    t = await startApp({ ROLE: 'api' });
    api = client(t.url, 'deployer');
    worker = new WorkerProcess(WORKER_ENV);
    await worker.start();
  });

  after(async () => {
    await worker?.kill();
    await t?.close();
    await removeServices(PREFIX);
  });

  async function restart(): Promise<void> {
    await worker.kill();
    worker = new WorkerProcess(WORKER_ENV);
    await worker.start();
  }

  it('rolling: killed right after starting and again mid-update, it still ends succeeded with one engine update', async () => {
    const name = uniqueName('dep-crash-roll');
    await engineCreateService(name, { replicas: 3 });
    await waitFor('3 running', async () => (await images(name)).length === 3, 60_000);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    // 10 s between tasks: the update outlasts a worker restart (lock expiry + process start,
    // up to ~10 s on a loaded machine), so the second kill really lands mid-update.
    const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'rolling', rolling: { parallelism: 1, delaySeconds: 10, monitorSeconds: 0.5, order: 'start-first' } });
    assert.equal(res.status, 202, res.text);
    const id = res.body.id;

    await waitDeployment(api, id, hasStep('started'), 'started');
    await restart(); // kill -9 before or just after the engine update was sent
    const mid = await waitDeployment(api, id, (d) => d.progress.updated >= 1 || ['succeeded', 'failed', 'rolled-back'].includes(d.status), 'mid-update');
    assert.equal(mid.status, 'running', 'killed while the update runs');
    await restart(); // kill -9 mid-update

    const d = await finished(api, id);
    assert.equal(d.status, 'succeeded', JSON.stringify(d));
    assert.ok(d.attempts >= 3, `resumed by later workers (attempts ${d.attempts})`);
    assertNoDuplicateSteps(d);
    const svc: any = await engine().getService(name).inspect();
    assert.equal(svc.PreviousSpec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1', 'the update was sent once (a second send would make v2 the previous spec)');
    await waitFor('all on v2', async () => {
      const i = await images(name);
      return i.length === 3 && i.every((x) => x === 'lab/web:v2');
    });
  });

  it('blue-green: killed after green was created and again after it took the traffic, it finishes with one green and no orphan', async () => {
    const name = uniqueName('dep-crash-bg');
    await engineCreateService(name, { replicas: 2 });
    await waitFor('2 running', async () => (await images(name)).length === 2, 60_000);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'blue-green', blueGreen: { keepSeconds: 1 } });
    assert.equal(res.status, 202, res.text);
    const id = res.body.id;

    await waitDeployment(api, id, hasStep('green-created'), 'green created');
    await restart(); // before the switch
    await waitDeployment(api, id, hasStep('green-attached'), 'green attached');
    await restart(); // after green took the traffic, before blue is released

    const d = await finished(api, id);
    assert.equal(d.status, 'succeeded', JSON.stringify(d));
    assert.ok(d.attempts >= 3, `attempts ${d.attempts}`);
    assertNoDuplicateSteps(d);
    await waitFor('only the live green remains', async () => {
      const mine: any[] = (await engine().listServices()).filter((s: any) => s.Spec.Name === name || s.Spec.Labels?.['swarm-cp.bluegreen.of'] === name);
      return mine.length === 1 && mine[0].Spec.Name === `${name}-green` && mine[0].Spec.Labels['swarm-cp.bluegreen.state'] === 'live';
    }, 30_000);
    await waitFor('green runs v2', async () => {
      const i = await images(`${name}-green`);
      return i.length === 2 && i.every((x) => x === 'lab/web:v2');
    });
  });

  it('blue-green: killed while awaiting promotion, then cancelled: back on blue, green removed', async () => {
    const name = uniqueName('dep-crash-bgc');
    await engineCreateService(name, { replicas: 2 });
    await waitFor('2 running', async () => (await images(name)).length === 2, 60_000);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'blue-green', blueGreen: { autoPromote: false } });
    const id = res.body.id;
    await waitDeployment(api, id, (d) => d.status === 'awaiting-promotion', 'awaiting promotion');
    await worker.kill();
    const c = await api.post(`/v1/deployments/${id}/cancel`);
    assert.equal(c.status, 202, c.text);
    worker = new WorkerProcess(WORKER_ENV);
    await worker.start();
    const d = await finished(api, id);
    assert.equal(d.status, 'cancelled', JSON.stringify(d));
    assertNoDuplicateSteps(d);
    const mine = (await engine().listServices()).filter((s: any) => s.Spec.Name === name || s.Spec.Labels?.['swarm-cp.bluegreen.of'] === name);
    assert.deepEqual(mine.map((s: any) => [s.Spec.Name, s.Spec.Labels['swarm-cp.bluegreen.state']]), [[name, 'live']]);
    assert.deepEqual(await images(name), ['lab/web:v1', 'lab/web:v1']);
  });
});
