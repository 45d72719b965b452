import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, removeServices, runningTasks, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { engineTasks } from '../support/lab-nodes';
import { assertNoDuplicateSteps, finished, HELD_HEALTHCHECK, killTasks, letThrough, TERMINAL, waitDeployment } from '../support/deployments';
import { ProductProcess, startProduct } from '../support/product';
import { quietCluster } from '../support/quiet';

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
  let worker: ProductProcess;
  const startWorker = () => startProduct({ ROLE: 'worker', ...WORKER_ENV });

  before(async () => {
    await quietCluster();
    t = await startApp({ ROLE: 'api' });
    api = client(t.url, 'deployer');
    worker = await startWorker();
  });

  after(async () => {
    await worker?.kill();
    await t?.close();
    await removeServices(PREFIX);
  });

  async function restart(): Promise<void> {
    await worker.kill();
    worker = await startWorker();
  }

  it('rolling: killed right after starting and again mid-update, it still ends succeeded with one engine update', async () => {
    const name = uniqueName('dep-crash-roll');
    // New tasks stay `starting` until the test lets them through: the update cannot end while
    // the worker is down, so both kills land where they are meant to, whatever the timing.
    await engineCreateService(name, { replicas: 3, extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Healthcheck: HELD_HEALTHCHECK } } } });
    await waitFor('3 running', async () => (await images(name)).length === 3, 60_000);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'rolling', rolling: { parallelism: 1, delaySeconds: 0, monitorSeconds: 0.5, order: 'start-first' } });
    assert.equal(res.status, 202, res.text);
    const id = res.body.id;

    await waitDeployment(api, id, hasStep('started'), 'started');
    await restart(); // kill -9 before or just after the engine update was sent
    // The update was sent and is held at its first new task.
    await waitFor('a held v2 task', async () => (await engineTasks(name)).some((t) => t.Spec.ContainerSpec.Image.startsWith('lab/web:v2') && t.Status.State === 'starting'), 60_000);
    // The restarted worker took the job over (its start is counted) while the update is held.
    const mid = await waitDeployment(api, id, (d) => d.attempts >= 2, 'resumed by the second worker');
    assert.equal(mid.status, 'running', 'killed while the update runs');
    await restart(); // kill -9 mid-update

    const done = async () => TERMINAL.includes((await api.get(`/v1/deployments/${id}`)).body?.status);
    await letThrough(name, done);
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
    // Green's tasks are held `starting` (the health check), and blue's tasks ignore SIGTERM for
    // ten minutes (busybox httpd as PID 1): each phase waits for the test, not for a race.
    await engineCreateService(name, {
      replicas: 2,
      extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Healthcheck: HELD_HEALTHCHECK, StopGracePeriod: 600_000_000_000 } } },
    });
    await waitFor('2 running', async () => (await images(name)).length === 2, 60_000);
    await waitFor('read model', async () => (await api.get(`/v1/services/${name}`)).status === 200);
    const res = await api.post('/v1/deployments', { service: name, image: 'lab/web:v2', strategy: 'blue-green', blueGreen: { keepSeconds: 1 } });
    assert.equal(res.status, 202, res.text);
    const id = res.body.id;

    await waitDeployment(api, id, hasStep('green-created'), 'green created');
    await restart(); // green exists but cannot be ready: before the switch
    const attached = async () => (await api.get(`/v1/deployments/${id}`)).body?.steps?.some((s: any) => s.name === 'green-attached');
    await letThrough(`${name}-green`, attached);
    const mid = await waitDeployment(api, id, hasStep('green-attached'), 'green attached');
    assert.ok(!mid.steps.some((s: any) => s.name === 'blue-released'), 'blue is still being released');
    await restart(); // green took the traffic; blue's tasks still run
    await waitFor('blue told to stop', async () => (await engine().getService(name).inspect() as any).Spec.Mode.Replicated.Replicas === 0, 30_000);
    assert.ok((await killTasks(name)) > 0, 'blue tasks were still running');

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
    worker = await startWorker();
    const d = await finished(api, id);
    assert.equal(d.status, 'cancelled', JSON.stringify(d));
    assertNoDuplicateSteps(d);
    const mine = (await engine().listServices()).filter((s: any) => s.Spec.Name === name || s.Spec.Labels?.['swarm-cp.bluegreen.of'] === name);
    assert.deepEqual(mine.map((s: any) => [s.Spec.Name, s.Spec.Labels['swarm-cp.bluegreen.state']]), [[name, 'live']]);
    assert.deepEqual(await images(name), ['lab/web:v1', 'lab/web:v1']);
  });
});
