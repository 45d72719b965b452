import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppConfig } from '../config/app-config';
import { Caller } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { Operation, OperationRecord } from '../mutations/operation-context';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineService, EngineServiceSpec } from '../swarm/engine.types';
import { ScaleBoundsRegistry } from './scale-bounds.registry';
import { ScalingService } from './scaling.service';

const ADMIN: Caller = { name: 'ops', role: 'admin' };
const TEAM_A: Caller = { name: 'team-a', role: 'scaler', scope: { labels: { team: 'a' } } };

/**
 * The engine as ScalingService uses it: inspect and mutateService (re-read, change, write with
 * the version). Writes can be refused per service; concurrent writes per service are counted.
 */
class FakeEngine {
  readonly services = new Map<string, EngineService>();
  readonly writes: Array<{ name: string; replicas: number | undefined }> = [];
  readonly refuse = new Set<string>();
  private inFlight = new Map<string, number>();
  maxInFlight = 0;

  add(name: string, replicas: number | null, labels: Record<string, string> = {}): void {
    const Mode = replicas === null ? { Global: {} } : { Replicated: { Replicas: replicas } };
    this.services.set(name, {
      ID: `id-${name}`,
      Version: { Index: 1 },
      CreatedAt: '',
      UpdatedAt: '',
      Spec: { Name: name, Labels: labels, Mode, TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' } } } as EngineServiceSpec,
    });
  }

  replicas(name: string): number | undefined {
    return this.services.get(name)?.Spec.Mode?.Replicated?.Replicas;
  }

  async inspectService(name: string): Promise<EngineService> {
    const s = this.services.get(name);
    if (!s) throw new AppError('SERVICE_NOT_FOUND', `service "${name}" not found`);
    return structuredClone(s);
  }

  async mutateService(name: string, change: (spec: EngineServiceSpec, current: EngineService) => EngineServiceSpec | Promise<EngineServiceSpec>) {
    const n = (this.inFlight.get(name) ?? 0) + 1;
    this.inFlight.set(name, n);
    this.maxInFlight = Math.max(this.maxInFlight, n);
    try {
      const before = await this.inspectService(name);
      await new Promise((r) => setImmediate(r));
      const spec = await change(structuredClone(before.Spec), before);
      if (this.refuse.has(name)) throw new AppError('CONFLICT', `the engine refused to update ${name}`);
      this.services.set(name, { ...before, Version: { Index: before.Version.Index + 1 }, Spec: spec });
      this.writes.push({ name, replicas: spec.Mode?.Replicated?.Replicas });
      return { before, spec, warnings: [] };
    } finally {
      this.inFlight.set(name, n - 1);
    }
  }
}

/** The read model as ScalingService uses it: snapshots (names, suggestions) and "a write happened". */
function fakeState(engine: FakeEngine) {
  const snapshot = () => {
    const services = [...engine.services.values()];
    return { services, findService: (n: string) => services.find((s) => s.Spec.Name === n) };
  };
  const state = {
    writtenCalls: 0,
    writtenIds: [] as string[],
    get lastSnapshot() {
      return snapshot();
    },
    async snapshot() {
      return snapshot();
    },
    async refresh() {
      return snapshot();
    },
    written(...ids: string[]) {
      state.writtenCalls++;
      state.writtenIds.push(...ids);
    },
  };
  return state;
}

function setup() {
  const engine = new FakeEngine();
  const state = fakeState(engine);
  const bounds = new ScaleBoundsRegistry();
  const scaling = new ScalingService(engine as unknown as SwarmRepository, state as unknown as ClusterStateService, bounds, { maxReplicas: 100 } as AppConfig);
  return { engine, state, bounds, scaling };
}

async function inOperation<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: AppError; op: OperationRecord }> {
  const op: OperationRecord = { caller: ADMIN };
  try {
    return { result: await Operation.run(op, fn), op };
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return { error: e, op };
  }
}

describe('ScalingService.scale', () => {
  it('writes the count to the engine, answers before and after, notes the operation and refreshes the read model', async () => {
    const { engine, state, scaling } = setup();
    engine.add('web', 2, { team: 'a' });
    const { result, op } = await inOperation(() => scaling.scale('web', 5, ADMIN));
    assert.deepEqual(result, { service: 'web', previous: 2, replicas: 5 });
    assert.equal(engine.replicas('web'), 5);
    assert.deepEqual(
      { action: op.action, target: op.target, before: op.before, after: op.after, services: op.services },
      { action: 'service.scale', target: 'web', before: { replicas: 2 }, after: { replicas: 5 }, services: [{ name: 'web', labels: { team: 'a' } }] },
    );
    assert.equal(state.writtenCalls, 1);
    assert.deepEqual(state.writtenIds, ['id-web'], 'the read model reads back the service written');
  });

  it('refuses a count outside 0..MAX_REPLICAS before touching the engine (400 naming replicas)', async () => {
    const { engine, scaling } = setup();
    engine.add('web', 2);
    for (const bad of [-1, 101, 1.5]) {
      const { error } = await inOperation(() => scaling.scale('web', bad, ADMIN));
      assert.equal(error?.code, 'VALIDATION_FAILED');
      assert.deepEqual(error?.errors?.map((e) => e.path), ['replicas']);
    }
    assert.equal(engine.writes.length, 0);
  });

  it('a registered bound refuses with 422 OUT_OF_BOUNDS naming it, and changes nothing', async () => {
    const { engine, bounds, scaling } = setup();
    engine.add('web', 2);
    bounds.register(async (name) => (name === 'web' ? { min: 2, max: 4, reason: 'autoscaling policy of web' } : null));
    const { error } = await inOperation(() => scaling.scale('web', 6, ADMIN));
    assert.equal(error?.code, 'OUT_OF_BOUNDS');
    assert.match(error!.message, /2\.\.4 set by autoscaling policy of web/);
    assert.equal(engine.replicas('web'), 2);
  });

  it('a missing service is 404 with the closest name; an out-of-scope one is 404 as if absent; a global one cannot be scaled', async () => {
    const { engine, scaling } = setup();
    engine.add('web', 1, { team: 'b' });
    engine.add('agent', null);
    const missing = await inOperation(() => scaling.scale('wep', 2, ADMIN));
    assert.equal(missing.error?.code, 'SERVICE_NOT_FOUND');
    assert.equal(missing.error?.details?.suggestion, 'web');
    const hidden = await inOperation(() => scaling.scale('web', 2, TEAM_A));
    assert.equal(hidden.error?.code, 'SERVICE_NOT_FOUND');
    assert.equal(hidden.error?.details?.suggestion, undefined, 'no hint of a service outside the scope');
    const global = await inOperation(() => scaling.scale('agent', 2, ADMIN));
    assert.equal(global.error?.code, 'GLOBAL_SERVICE');
    assert.equal(engine.writes.length, 0);
  });

  it('concurrent scales of one service are written one at a time, in order', async () => {
    const { engine, scaling } = setup();
    engine.add('web', 1);
    await Promise.all([3, 4, 5, 6].map((n) => scaling.scale('web', n, ADMIN)));
    assert.equal(engine.maxInFlight, 1);
    assert.deepEqual(engine.writes.map((w) => w.replicas), [3, 4, 5, 6]);
    assert.equal(engine.replicas('web'), 6);
  });
});

describe('ScalingService.scaleBatch', () => {
  it('atomic: a refusal part-way restores what changed (409 BATCH_FAILED, a status per service)', async () => {
    const { engine, scaling } = setup();
    engine.add('a', 1);
    engine.add('b', 1);
    engine.add('c', 1);
    engine.refuse.add('b');
    const { error } = await inOperation(() => scaling.scaleBatch({ services: { a: 3, b: 3, c: 3 } }, ADMIN));
    assert.equal(error?.code, 'BATCH_FAILED');
    const results = error?.details?.results as Array<{ service: string; status: string }>;
    assert.deepEqual(results.map((r) => [r.service, r.status]), [['a', 'restored'], ['b', 'failed'], ['c', 'skipped']]);
    assert.deepEqual([engine.replicas('a'), engine.replicas('b'), engine.replicas('c')], [1, 1, 1]);
  });

  it('atomic: a missing service changes nothing (404, each target reported)', async () => {
    const { engine, scaling } = setup();
    engine.add('a', 1);
    const { error } = await inOperation(() => scaling.scaleBatch({ services: { a: 3, nope: 2 } }, ADMIN));
    assert.equal(error?.code, 'SERVICE_NOT_FOUND');
    const results = error?.details?.results as Array<{ service: string; status: string }>;
    assert.deepEqual(results.map((r) => [r.service, r.status]), [['a', 'skipped'], ['nope', 'failed']]);
    assert.equal(engine.writes.length, 0);
  });

  it('not atomic: each target on its own, failures reported beside successes', async () => {
    const { engine, scaling } = setup();
    engine.add('a', 1);
    engine.add('b', 2);
    const { result } = await inOperation(() => scaling.scaleBatch({ services: { a: 3, b: 2, nope: 1 }, atomic: false }, ADMIN));
    assert.deepEqual(result?.results.map((r) => [r.service, r.status]), [['a', 'scaled'], ['b', 'unchanged'], ['nope', 'failed']]);
    assert.equal(engine.replicas('a'), 3);
  });

  it('a dry run says what would change, touches nothing and is not audited', async () => {
    const { engine, scaling } = setup();
    engine.add('a', 1);
    engine.add('b', 2);
    const { result, op } = await inOperation(() => scaling.scaleBatch({ services: { a: 3, b: 2 }, dryRun: true }, ADMIN));
    assert.deepEqual(result?.results.map((r) => [r.service, r.status]), [['a', 'would-scale'], ['b', 'unchanged']]);
    assert.equal(engine.writes.length, 0);
    assert.equal(op.readOnly, true);
  });
});
