import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineTask } from '../../swarm/engine.types';
import { classifyRolling, mergeUpdateConfig } from './rolling';

function task(image: string, state = 'running', desired = 'running'): EngineTask {
  return {
    ID: Math.random().toString(36),
    Version: { Index: 1 },
    CreatedAt: '',
    UpdatedAt: '',
    ServiceID: 's',
    DesiredState: desired,
    Spec: { ContainerSpec: { Image: image } },
    Status: { State: state },
  };
}

function svc(image: string, replicas: number, state?: string, message?: string) {
  return { Spec: { TaskTemplate: { ContainerSpec: { Image: image } }, Mode: { Replicated: { Replicas: replicas } } }, UpdateStatus: state ? { State: state, Message: message } : undefined };
}

describe('rolling: where an update stands', () => {
  const v1 = 'lab/web:v1';
  const v2 = 'lab/web:v2';
  const cases = [
    { name: 'updating: progress counts running tasks on the new image', s: svc(v2, 3, 'updating'), tasks: [task(v2), task(v1), task(v1)], want: { kind: 'progress', updated: 1, total: 3 } },
    { name: 'a starting task on the new image is not progress yet', s: svc(v2, 2, 'updating'), tasks: [task(v2, 'starting'), task(v1)], want: { kind: 'progress', updated: 0, total: 2 } },
    { name: 'completed is success', s: svc(v2, 2, 'completed'), tasks: [task(v2), task(v2)], want: { kind: 'succeeded', updated: 2, total: 2 } },
    { name: 'paused is a failure with the engine message', s: svc(v2, 2, 'paused', 'update paused due to failure'), tasks: [task(v1)], want: { kind: 'paused', message: 'update paused due to failure' } },
    { name: 'rollback_completed is a rollback, never success', s: svc(v1, 2, 'rollback_completed', 'rollback completed'), tasks: [task(v1), task(v1)], want: { kind: 'rolled-back', message: 'rollback completed' } },
    { name: 'rollback_paused is reported', s: svc(v1, 2, 'rollback_paused', 'x'), tasks: [], want: { kind: 'rollback-paused', message: 'x' } },
    { name: 'no update status and every task on the target: nothing to replace, success', s: svc(v2, 2), tasks: [task(v2), task(v2), task(v1, 'shutdown', 'shutdown')], want: { kind: 'succeeded', updated: 2, total: 2 } },
    { name: 'no update status yet while old tasks still run: waiting', s: svc(v2, 2), tasks: [task(v1), task(v1)], want: { kind: 'progress', updated: 0, total: 2 } },
    { name: 'image digests do not matter', s: svc(v2, 1, 'updating'), tasks: [task(`${v2}@sha256:${'a'.repeat(64)}`)], want: { kind: 'progress', updated: 1, total: 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(classifyRolling(c.s as any, c.tasks, v2 === c.s.Spec.TaskTemplate.ContainerSpec.Image ? v2 : v1), c.want);
    });
  }
});

describe('rolling: the request settings go into the engine UpdateConfig', () => {
  it('overrides only what the request sets, in engine units', () => {
    const cur = { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' };
    assert.deepEqual(mergeUpdateConfig(cur, { parallelism: 2, delaySeconds: 1.5, order: 'start-first', failureAction: 'rollback' }), {
      Parallelism: 2,
      Delay: 1.5e9,
      FailureAction: 'rollback',
      Monitor: 5e9,
      MaxFailureRatio: 0,
      Order: 'start-first',
    });
    assert.deepEqual(mergeUpdateConfig(undefined, { monitorSeconds: 2, maxFailureRatio: 0.5 }), { Monitor: 2e9, MaxFailureRatio: 0.5 });
    assert.deepEqual(mergeUpdateConfig(cur, null), cur);
  });
});
