import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { WriteIntent } from '../common/write-intent';
import { AppConfig } from '../config/app-config';
import { EngineService, EngineTask } from '../swarm/engine.types';
import { SwarmRepository } from '../swarm/swarm.repository';
import { ClusterStateService } from './cluster-state.service';

function service(id: string, version: number, replicas = 1): EngineService {
  return { ID: id, Version: { Index: version }, Spec: { Name: id, Labels: {}, Mode: { Replicated: { Replicas: replicas } }, TaskTemplate: { ContainerSpec: { Image: 'x' } } } } as unknown as EngineService;
}

/** An engine whose services the test sets, and which can fail the way a swarm does. */
class FakeEngine {
  services: EngineService[] = [];
  tasks: EngineTask[] = [];
  taskLists: Array<Record<string, string[]> | undefined> = [];
  /** A per-service task list answers this late (what it lists is taken when asked). */
  serviceTasksDelayMs = 0;
  fail: AppError | null = null;
  private check() {
    if (this.fail) throw this.fail;
  }
  async listServices() {
    this.check();
    return structuredClone(this.services);
  }
  async listTasks(filters?: Record<string, string[]>) {
    this.check();
    this.taskLists.push(filters);
    const listed = structuredClone(this.tasks.filter((t) => !filters?.service || filters.service.includes(t.ServiceID)));
    if (filters?.service && this.serviceTasksDelayMs) await new Promise((r) => setTimeout(r, this.serviceTasksDelayMs));
    return listed;
  }
  async listNodes() {
    this.check();
    return [];
  }
  async listNetworks() {
    this.check();
    return [];
  }
  async inspectService(id: string) {
    this.check();
    const s = this.services.find((x) => x.ID === id || x.Spec.Name === id);
    if (!s) throw new AppError('SERVICE_NOT_FOUND', `service "${id}" not found`);
    return structuredClone(s);
  }
}

function setup() {
  const engine = new FakeEngine();
  const state = new ClusterStateService(engine as unknown as SwarmRepository, { watchIntervalMs: 1000 } as AppConfig);
  return { engine, state };
}

describe('ClusterStateService', () => {
  it('a written service read back is a new version, and an older engine read does not undo it', async () => {
    const { engine, state } = setup();
    engine.services = [service('web', 10)];
    const v1 = (await state.refresh()).version;
    engine.services = [service('web', 11, 3)];
    await state.readBack('web');
    const afterWrite = state.lastSnapshot!;
    assert.ok(afterWrite.version > v1);
    assert.equal(afterWrite.findService('web')?.Spec.Mode?.Replicated?.Replicas, 3);
    // A refresh that reads a lagging manager (the old version) keeps the write: nothing changed, same version.
    engine.services = [service('web', 10)];
    const lagging = await state.refresh();
    assert.equal(lagging.version, afterWrite.version);
    assert.equal(lagging.findService('web')?.Version.Index, 11);
    // Once the engine has moved past it, the engine's data wins.
    engine.services = [service('web', 12, 5)];
    assert.equal((await state.refresh()).findService('web')?.Spec.Mode?.Replicated?.Replicas, 5);
    // An older read-back changes nothing.
    const v = state.lastSnapshot!.version;
    assert.equal(state.applyService(service('web', 11, 3))?.version, v);
  });

  it('a removed service is gone at once, and stays gone while a lagging read still lists it', async () => {
    const { engine, state } = setup();
    engine.services = [service('web', 1), service('db', 1)];
    await state.refresh();
    state.applyServiceRemoved('web');
    assert.equal(state.lastSnapshot!.findService('web'), undefined);
    assert.equal((await state.refresh()).findService('web'), undefined);
  });

  it('no leader: reads go on from the last snapshot, marked stale; back to fresh after a good read', async () => {
    const { engine, state } = setup();
    engine.services = [service('web', 1)];
    await state.refresh();
    assert.equal(state.freshness().stale, false);
    engine.fail = new AppError('SWARM_NO_QUORUM', 'the swarm does not have a leader');
    await assert.rejects(state.refresh(), (e: AppError) => e.code === 'SWARM_NO_QUORUM');
    assert.equal((await state.services()).length, 1);
    assert.deepEqual({ stale: state.freshness().stale, engine: state.freshness().engine }, { stale: true, engine: 'no-quorum' });
    engine.fail = null;
    await state.refresh();
    assert.deepEqual({ stale: state.freshness().stale, engine: state.freshness().engine }, { stale: false, engine: 'ok' });
  });

  it('one engine endpoint, unreachable: reads fail at once', async () => {
    const { engine, state } = setup();
    await state.refresh();
    engine.fail = new AppError('DOCKER_UNAVAILABLE', 'Docker Engine unreachable (ECONNREFUSED)');
    await assert.rejects(state.refresh());
    await assert.rejects(state.services(), (e: AppError) => e.code === 'DOCKER_UNAVAILABLE');
    assert.equal(state.freshness().engine, 'unavailable');
  });

  it('with several managers in DOCKER_HOST, none answering: the last snapshot, marked stale', async () => {
    const engine = new FakeEngine();
    const state = new ClusterStateService(engine as unknown as SwarmRepository, { watchIntervalMs: 1000, dockerHosts: ['unix:///m1', 'unix:///m2'] } as AppConfig);
    engine.services = [service('web', 1)];
    await state.refresh();
    engine.fail = new AppError('DOCKER_UNAVAILABLE', 'Docker Engine did not answer in time');
    await assert.rejects(state.refresh());
    assert.equal((await state.services()).length, 1);
    assert.deepEqual({ stale: state.freshness().stale, engine: state.freshness().engine }, { stale: true, engine: 'unavailable' });
  });

  it("a service's update event lists that service's tasks again (one call), nothing else; a full read that began later wins", async () => {
    const { engine, state } = setup();
    const task = (id: string, svc: string, v: number) => ({ ID: id, ServiceID: svc, Version: { Index: v }, Status: { State: 'running' }, DesiredState: 'running' }) as unknown as EngineTask;
    engine.services = [service('web', 1), service('db', 1)];
    engine.tasks = [task('w1', 'web', 1), task('d1', 'db', 1)];
    await state.refresh();
    engine.tasks = [task('w1', 'web', 1), task('w2', 'web', 2), task('d1', 'db', 5)];
    engine.taskLists = [];
    await (state as any).relistTasks(['web']);
    assert.deepEqual(engine.taskLists, [{ service: ['web'] }]);
    const snap = state.lastSnapshot!;
    assert.deepEqual(snap.tasks.map((t) => `${t.ID}@${t.Version.Index}`).sort(), ['d1@1', 'w1@1', 'w2@2'], "only web's tasks were listed again");
    // A list that started before a full read did is older than it: it changes nothing.
    engine.serviceTasksDelayMs = 30;
    const slow = (state as any).relistTasks(['db']);
    engine.tasks = [task('w1', 'web', 1), task('w2', 'web', 2), task('d1', 'db', 6)];
    await new Promise((r) => setTimeout(r, 5));
    await state.refresh();
    assert.equal(state.lastSnapshot!.tasks.find((t) => t.ID === 'd1')?.Version.Index, 6);
    await slow;
    assert.equal(state.lastSnapshot!.tasks.find((t) => t.ID === 'd1')?.Version.Index, 6);
  });

  it('a miss inside a write is read through from the engine; a read answers from the read model', async () => {
    const { engine, state } = setup();
    await state.refresh();
    engine.services = [service('cli-made', 3)];
    await assert.rejects(state.serviceRecord('cli-made'), (e: AppError) => e.code === 'SERVICE_NOT_FOUND');
    const s = await WriteIntent.run(() => state.serviceRecord('cli-made'));
    assert.equal(s.ID, 'cli-made');
    // and it is in the read model from then on
    assert.equal((await state.serviceRecord('cli-made')).ID, 'cli-made');
    await assert.rejects(
      WriteIntent.run(() => state.serviceRecord('nothing')),
      (e: AppError) => e.code === 'SERVICE_NOT_FOUND',
    );
  });
});
