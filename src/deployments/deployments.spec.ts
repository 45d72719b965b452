import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Caller, inScope } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { Operation, OperationRecord } from '../mutations/operation-context';
import { DelayedError, Job, QueueService } from '../queue/queue.service';
import { EngineService, EngineServiceSpec, EngineTask } from '../swarm/engine.types';
import { DEPLOYMENT_LABEL } from '../swarm/labels';
import { SwarmRepository } from '../swarm/swarm.repository';
import { DeployInput } from './deploy.input';
import { DeploymentEvents } from './deployment-events';
import { DeploymentLine } from './deployment-line';
import { DeploymentProcessor } from './deployment.processor';
import { DeploymentStore } from './deployment.store';
import { DeploymentRecord, isTerminal, StepRecord } from './deployment.types';
import { DeploymentsService } from './deployments.service';

// The processor logs resumes and retries; the tests check them through the records instead.
Logger.overrideLogger(false);

const CONFIG = { deployRetentionHours: 168, deployProgressDeadlineSeconds: 600, deployPollMs: 1 } as AppConfig;
const DEPLOYER: Caller = { name: 'ci', role: 'deployer' };
const TEAM_B: Caller = { name: 'team-b', role: 'deployer', scope: { labels: { team: 'b' } } };

/** DeploymentStore in memory: records written compare-and-set free, a line per service that a terminal record leaves. */
class FakeStore {
  readonly records = new Map<string, DeploymentRecord>();
  readonly lines = new Map<string, string[]>();

  async create(d: DeploymentRecord): Promise<void> {
    this.records.set(d.id, structuredClone(d));
    this.lines.set(d.service, [...(this.lines.get(d.service) ?? []), d.id]);
  }
  async get(id: string): Promise<DeploymentRecord | null> {
    const d = this.records.get(id);
    return d ? structuredClone(d) : null;
  }
  async mustGet(id: string): Promise<DeploymentRecord> {
    const d = await this.get(id);
    if (!d) throw new AppError('DEPLOYMENT_NOT_FOUND', `deployment "${id}" not found`);
    return d;
  }
  async update(id: string, change: (d: DeploymentRecord) => void | false): Promise<DeploymentRecord> {
    const cur = await this.mustGet(id);
    const next = structuredClone(cur);
    if (change(next) === false) return cur;
    next.rev = cur.rev + 1;
    this.records.set(id, structuredClone(next));
    if (isTerminal(next.status)) await this.leaveLine(next.service, id);
    return next;
  }
  async line(service: string): Promise<string[]> {
    return [...(this.lines.get(service) ?? [])];
  }
  async leaveLine(service: string, id: string): Promise<void> {
    this.lines.set(service, (this.lines.get(service) ?? []).filter((x) => x !== id));
  }
  /** In memory there is no replica to wait for. */
  async replicated(): Promise<void> {}
  async list(filter: { service?: string; status?: string; limit?: number }): Promise<DeploymentRecord[]> {
    return [...this.records.values()]
      .reverse()
      .filter((d) => (!filter.service || d.service === filter.service) && (!filter.status || d.status === filter.status))
      .slice(0, filter.limit ?? 100);
  }
}

/** QueueService as deployments use it: jobs added, removed and woken are recorded; adding can be made to fail. */
class FakeQueue {
  readonly added: Array<{ name: string; data: unknown; opts: Record<string, unknown> }> = [];
  readonly removed: string[] = [];
  readonly promoted: string[] = [];
  failAdd = false;
  async add(_queue: string, name: string, data: unknown, opts: Record<string, unknown>): Promise<void> {
    if (this.failAdd) throw new Error('Connection is closed');
    this.added.push({ name, data, opts });
  }
  async remove(_queue: string, id: string): Promise<void> {
    this.removed.push(id);
  }
  async promote(_queue: string, id: string): Promise<void> {
    this.promoted.push(id);
  }
  async depth(): Promise<number> {
    return this.added.length;
  }
}

class FakeEvents {
  readonly progress: Array<[string, string, string | null]> = [];
  progressOf(id: string): string[] {
    return this.progress.filter(([x]) => x === id).map(([, status, step]) => `${status}${step ? `:${step}` : ''}`);
  }
}
const eventsOf = (f: FakeEvents) =>
  ({
    progress: (d: DeploymentRecord, step: StepRecord | null = null) => f.progress.push([d.id, d.status, step?.name ?? null]),
    queueDepth: () => undefined,
  }) as unknown as DeploymentEvents;

/**
 * The engine as deployments see it: services by name, an update that completes at once (every
 * task then runs the new image), and a count of the updates it was sent.
 */
class FakeEngine {
  readonly services = new Map<string, EngineService>();
  updates = 0;
  unreachableFor = 0;

  add(name: string, opts: { replicas?: number | null; labels?: Record<string, string>; previous?: boolean } = {}): EngineService {
    const replicas = opts.replicas === undefined ? 2 : opts.replicas;
    const spec = {
      Name: name,
      Labels: opts.labels ?? {},
      Mode: replicas === null ? { Global: {} } : { Replicated: { Replicas: replicas } },
      TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' } },
    } as EngineServiceSpec;
    const s: EngineService = { ID: `id-${name}`, Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', Spec: spec };
    if (opts.previous) s.PreviousSpec = structuredClone(spec);
    this.services.set(name, s);
    return s;
  }
  private byId(id: string): EngineService {
    const s = [...this.services.values()].find((x) => x.ID === id || x.Spec.Name === id);
    if (!s) throw new AppError('SERVICE_NOT_FOUND', `service "${id}" not found`);
    return s;
  }
  async listServices(): Promise<EngineService[]> {
    if (this.unreachableFor > 0) {
      this.unreachableFor--;
      throw new AppError('DOCKER_UNAVAILABLE', 'the engine is unreachable');
    }
    return [...this.services.values()].map((s) => structuredClone(s));
  }
  async inspectService(id: string): Promise<EngineService> {
    return structuredClone(this.byId(id));
  }
  async listTasks(filter: { service?: string[] }): Promise<EngineTask[]> {
    const s = this.byId(filter.service![0]);
    const n = s.Spec.Mode?.Replicated?.Replicas ?? 0;
    const image = s.Spec.TaskTemplate.ContainerSpec?.Image;
    return Array.from({ length: n }, (_, i) => ({ ID: `t${i}`, ServiceID: s.ID, DesiredState: 'running', Status: { State: 'running' }, Spec: { ContainerSpec: { Image: image } } }) as unknown as EngineTask);
  }
  async mutateService(id: string, change: (spec: EngineServiceSpec, current: EngineService) => EngineServiceSpec, opts: { expectedVersion?: number } = {}) {
    const before = structuredClone(this.byId(id));
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== before.Version.Index) throw new AppError('VERSION_CONFLICT', 'out of sequence');
    const spec = change(structuredClone(before.Spec), before);
    this.updates++;
    this.services.set(before.Spec.Name!, { ...before, Version: { Index: before.Version.Index + 1 }, Spec: spec, PreviousSpec: before.Spec, UpdateStatus: { State: 'completed' } });
    return { before, spec, warnings: [] };
  }
}

/** The read model as deployments use it: a service the caller may see, by name; its labels. */
function fakeCluster(engine: FakeEngine) {
  return {
    async serviceRecord(name: string, caller?: Caller): Promise<EngineService> {
      const s = engine.services.get(name);
      if (!s || !inScope(caller, s.Spec.Labels)) throw new AppError('SERVICE_NOT_FOUND', `service "${name}" not found`);
      return structuredClone(s);
    },
    labelsOf: (name: string) => engine.services.get(name)?.Spec.Labels ?? null,
  } as unknown as ClusterStateService;
}

function setup() {
  const store = new FakeStore();
  const queue = new FakeQueue();
  const events = new FakeEvents();
  const engine = new FakeEngine();
  const line = new DeploymentLine(store as unknown as DeploymentStore, queue as unknown as QueueService, eventsOf(events), CONFIG);
  const api = new DeploymentsService(store as unknown as DeploymentStore, fakeCluster(engine), line, eventsOf(events), CONFIG);
  const worker = new DeploymentProcessor(store as unknown as DeploymentStore, engine as unknown as SwarmRepository, eventsOf(events), line, CONFIG);
  return { store, queue, events, engine, line, api, worker };
}

const rolling = (service: string, image = 'lab/web:v2', extra: Partial<DeployInput> = {}) => ({ service, image, strategy: 'rolling', ...extra }) as DeployInput;

async function noted<T>(fn: () => Promise<T>): Promise<{ result: T; op: OperationRecord }> {
  const op: OperationRecord = { caller: DEPLOYER };
  return { result: await Operation.run(op, fn), op };
}

/** A job as BullMQ hands it to the processor; moveToDelayed is recorded. */
function job(id: string) {
  const j = { name: 'deploy', data: { id }, delayedUntil: 0, async moveToDelayed(ts: number) { j.delayedUntil = ts; } };
  return j;
}
const run = (w: DeploymentProcessor, j: ReturnType<typeof job>) => w.handle(j as unknown as Job, 'token');

describe('DeploymentsService', () => {
  it('a deploy is recorded queued at the end of its service line, its job enqueued, its progress published', async () => {
    const { api, engine, queue, events, store } = setup();
    engine.add('web');
    const { result: first, op } = await noted(() => api.deploy(rolling('web', 'lab/web:v2', { rolling: { parallelism: 1 } }), DEPLOYER));
    const { result: second } = await noted(() => api.deploy(rolling('web', 'lab/web:v3'), DEPLOYER));
    assert.deepEqual([first.status, first.position, second.position], ['queued', 0, 1]);
    assert.deepEqual(await store.line('web'), [first.id, second.id]);
    assert.deepEqual(queue.added.map((a) => [a.name, a.opts.jobId, a.opts.attempts]), [['deploy', first.id, 1], ['deploy', second.id, 1]]);
    assert.deepEqual(events.progressOf(first.id), ['queued:queued']);
    assert.deepEqual((await store.get(first.id))?.rolling, { parallelism: 1 });
    assert.deepEqual([op.action, op.target, op.before, op.after], ['deployment.create', 'web', { image: 'lab/web:v1' }, { deployment: first.id, image: 'lab/web:v2', strategy: 'rolling' }]);
  });

  it('when the job cannot be enqueued the record is failed, never left queued holding the line (503)', async () => {
    const { api, engine, queue, store } = setup();
    engine.add('web');
    queue.failAdd = true;
    await assert.rejects(api.deploy(rolling('web'), DEPLOYER), (e: AppError) => e.code === 'REDIS_UNAVAILABLE');
    const [d] = await store.list({});
    assert.equal(d.status, 'failed');
    assert.deepEqual(await store.line('web'), []);
  });

  it('refuses mismatched settings (400), blue-green of a global service (409) and services out of scope (404)', async () => {
    const { api, engine } = setup();
    engine.add('web', { labels: { team: 'a' } });
    engine.add('agent', { replicas: null });
    await assert.rejects(api.deploy(rolling('web', 'lab/web:v2', { blueGreen: {} }), DEPLOYER), (e: AppError) => e.code === 'VALIDATION_FAILED' && e.errors?.[0].path === 'blueGreen');
    await assert.rejects(api.deploy({ service: 'agent', image: 'lab/web:v2', strategy: 'blue-green' } as DeployInput, DEPLOYER), (e: AppError) => e.code === 'INVALID_STATE');
    await assert.rejects(api.deploy(rolling('web'), TEAM_B), (e: AppError) => e.code === 'SERVICE_NOT_FOUND');
  });

  it('cancelling a queued deployment takes it out of the line, removes its job and wakes the next one', async () => {
    const { api, engine, queue, store } = setup();
    engine.add('web');
    const a = await api.deploy(rolling('web', 'lab/web:v2'), DEPLOYER);
    const b = await api.deploy(rolling('web', 'lab/web:v3'), DEPLOYER);
    const cancelled = await api.cancel(a.id, DEPLOYER);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(queue.removed, [a.id]);
    assert.deepEqual(await store.line('web'), [b.id]);
    assert.deepEqual(queue.promoted, [b.id]);
    assert.equal((await api.get(b.id, DEPLOYER)).position, 0);
  });

  it('cancel or rollback of a running deployment is a request its worker acts on; promote only while awaiting promotion', async () => {
    const { api, engine, store } = setup();
    engine.add('web');
    const d = await api.deploy(rolling('web'), DEPLOYER);
    await store.update(d.id, (x) => void (x.status = 'running'));
    assert.equal((await api.cancel(d.id, DEPLOYER)).status, 'running');
    await api.rollback(d.id, DEPLOYER);
    assert.deepEqual((await store.get(d.id))?.requests, ['cancel', 'rollback']);
    await assert.rejects(api.promote(d.id, DEPLOYER), (e: AppError) => e.code === 'INVALID_STATE');
  });

  it('rolling back a succeeded deployment is a new deployment of its previous image', async () => {
    const { api, engine, store } = setup();
    engine.add('web');
    const d = await api.deploy(rolling('web', 'lab/web:v2', { rolling: { parallelism: 2 } }), DEPLOYER);
    await store.update(d.id, (x) => void ((x.status = 'succeeded'), (x.finishedAt = new Date().toISOString())));
    const back = await api.rollback(d.id, DEPLOYER);
    assert.notEqual(back.id, d.id);
    const rec = await store.get(back.id);
    assert.deepEqual([rec?.image, rec?.rollbackOf, rec?.rolling, rec?.status], ['lab/web:v1', d.id, { parallelism: 2 }, 'queued']);
  });

  it('a scoped caller sees only deployments of services in its scope', async () => {
    const { api, engine } = setup();
    engine.add('web', { labels: { team: 'a' } });
    engine.add('api', { labels: { team: 'b' } });
    const hidden = await api.deploy(rolling('web'), DEPLOYER);
    const visible = await api.deploy(rolling('api'), DEPLOYER);
    assert.deepEqual((await api.list({}, TEAM_B)).map((d) => d.id), [visible.id]);
    await assert.rejects(api.get(hidden.id, TEAM_B), (e: AppError) => e.code === 'DEPLOYMENT_NOT_FOUND');
    assert.equal(await api.activeDeployments(TEAM_B), 1);
    assert.equal(await api.activeDeployments(), 2);
  });
});

describe('DeploymentProcessor', () => {
  it('runs the first in line to the end with one engine update carrying the image, the settings and its label; then wakes the next', async () => {
    const { api, worker, engine, store, queue, events, line } = setup();
    engine.add('web');
    const a = await api.deploy(rolling('web', 'lab/web:v2', { rolling: { parallelism: 1, order: 'start-first' } }), DEPLOYER);
    const b = await api.deploy(rolling('web', 'lab/web:v3'), DEPLOYER);
    assert.equal(await run(worker, job(a.id)), 'succeeded');
    const svc = engine.services.get('web')!;
    assert.equal(engine.updates, 1);
    assert.equal(svc.Spec.TaskTemplate.ContainerSpec?.Image, 'lab/web:v2');
    assert.deepEqual([svc.Spec.UpdateConfig?.Parallelism, svc.Spec.UpdateConfig?.Order], [1, 'start-first']);
    assert.equal(svc.Spec.Labels?.[DEPLOYMENT_LABEL], a.id);
    const done = await store.get(a.id);
    assert.deepEqual([done?.status, done?.attempts, done?.progress], ['succeeded', 1, { updated: 2, total: 2 }]);
    assert.deepEqual(events.progressOf(a.id), ['queued:queued', 'running:started', 'running:update-submitted', 'running', 'succeeded:succeeded']);
    assert.deepEqual(await store.line('web'), [b.id]);
    assert.ok(queue.promoted.includes(b.id), 'the next one is woken');
    assert.equal(await line.activeDeployment('web'), null, 'b is queued, not running');
  });

  it('a deployment behind another waits: its job is delayed and it stays queued', async () => {
    const { api, worker, engine, store } = setup();
    engine.add('web');
    const a = await api.deploy(rolling('web', 'lab/web:v2'), DEPLOYER);
    const b = await api.deploy(rolling('web', 'lab/web:v3'), DEPLOYER);
    await store.update(a.id, (x) => void (x.status = 'running'));
    const j = job(b.id);
    await assert.rejects(run(worker, j), (e) => e instanceof DelayedError);
    assert.ok(j.delayedUntil > Date.now());
    assert.equal((await store.get(b.id))?.status, 'queued');
    assert.equal(engine.updates, 0);
  });

  it('a head that already finished is dropped from the line, so the one behind it runs', async () => {
    const { api, worker, engine, store } = setup();
    engine.add('web');
    const a = await api.deploy(rolling('web', 'lab/web:v2'), DEPLOYER);
    const b = await api.deploy(rolling('web', 'lab/web:v3'), DEPLOYER);
    // Finished, but its line entry survived (the write that frees it never happened).
    store.records.set(a.id, { ...(await store.mustGet(a.id)), status: 'failed' });
    assert.equal(await run(worker, job(b.id)), 'succeeded');
    assert.deepEqual(await store.line('web'), []);
  });

  it('resumed after a crash with the update already sent, it does not send it again', async () => {
    const { api, worker, engine, store } = setup();
    engine.add('web');
    const d = await api.deploy(rolling('web', 'lab/web:v2'), DEPLOYER);
    // The first worker started it and sent the update, then died before recording that.
    await store.update(d.id, (x) => void ((x.status = 'running'), (x.attempts = 1), (x.state.serviceId = 'id-web')));
    await engine.mutateService('id-web', (spec) => {
      spec.Labels = { ...spec.Labels, [DEPLOYMENT_LABEL]: d.id };
      spec.TaskTemplate.ContainerSpec = { Image: 'lab/web:v2' };
      return spec;
    });
    assert.equal(await run(worker, job(d.id)), 'succeeded');
    assert.equal(engine.updates, 1, 'only the first worker update');
    assert.equal((await store.get(d.id))?.attempts, 2);
  });

  it('a finished deployment is not run again; a service that vanished fails the deployment', async () => {
    const { api, worker, engine, store } = setup();
    engine.add('web');
    const d = await api.deploy(rolling('web'), DEPLOYER);
    await api.cancel(d.id, DEPLOYER);
    assert.equal(await run(worker, job(d.id)), 'cancelled');
    const e = await api.deploy(rolling('web'), DEPLOYER);
    engine.services.delete('web');
    assert.equal(await run(worker, job(e.id)), 'failed');
    assert.match((await store.get(e.id))?.error ?? '', /no longer exists/);
    assert.equal(engine.updates, 0);
  });

  it('an unreachable engine is waited out: the run starts again from the top and finishes', async () => {
    const { api, worker, engine } = setup();
    engine.add('web');
    const d = await api.deploy(rolling('web', 'lab/web:v2'), DEPLOYER);
    engine.unreachableFor = 1;
    assert.equal(await run(worker, job(d.id)), 'succeeded');
    assert.equal(engine.updates, 1);
  });
});
