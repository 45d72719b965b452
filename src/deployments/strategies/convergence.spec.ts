import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineTask } from '../../swarm/engine.types';
import { convergedTasks, monitorMs, RunningSince } from './convergence';

const v2 = 'lab/web:v2';

function task(id: string, slot: number, state = 'running', desired = 'running', image = v2, node = 'n1'): EngineTask {
  return { ID: id, Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', ServiceID: 's', Slot: slot, NodeID: node, DesiredState: desired, Spec: { ContainerSpec: { Image: image } }, Status: { State: state } };
}

function svc(replicas: number | undefined, image = v2, monitor?: number) {
  return {
    Spec: {
      TaskTemplate: { ContainerSpec: { Image: image } },
      Mode: replicas === undefined ? { Global: {} } : { Replicated: { Replicas: replicas } },
      UpdateConfig: monitor === undefined ? undefined : { Monitor: monitor },
    },
  };
}

describe('rolling: the CLI convergence rule on the tasks of the current spec', () => {
  const cases: Array<{ name: string; s: ReturnType<typeof svc>; tasks: EngineTask[]; down?: string[]; want: string[] | null }> = [
    { name: 'one running task per slot, as many as replicas: converged', s: svc(3), tasks: [task('a', 1), task('b', 2), task('c', 3)], want: ['a', 'b', 'c'] },
    { name: 'a slot still starting: not converged', s: svc(2), tasks: [task('a', 1), task('b', 2, 'starting')], want: null },
    { name: 'fewer slots than replicas: not converged', s: svc(3), tasks: [task('a', 1), task('b', 2)], want: null },
    {
      name: 'a failed task of the new spec beside its running replacement: the replacement counts',
      s: svc(2),
      tasks: [task('a', 1), task('x', 2, 'failed', 'shutdown'), task('b', 2)],
      want: ['a', 'b'],
    },
    {
      name: 'two tasks wanted running in one slot: the less advanced one decides (as the CLI)',
      s: svc(2),
      tasks: [task('a', 1), task('b', 2), task('c', 2, 'starting')],
      want: null,
    },
    { name: 'a task on a node that is down does not count', s: svc(2), tasks: [task('a', 1), task('b', 2, 'running', 'running', v2, 'gone')], down: ['gone'], want: null },
    { name: 'tasks on another image (someone changed the spec) are not ours', s: svc(2), tasks: [task('a', 1, 'running', 'running', 'lab/web:v3'), task('b', 2)], want: null },
    { name: 'the service spec names another image: not ours', s: svc(1, 'lab/web:v3'), tasks: [task('a', 1)], want: null },
    { name: 'image digests do not matter', s: svc(1, `${v2}@sha256:${'b'.repeat(64)}`), tasks: [task('a', 1, 'running', 'running', `${v2}@sha256:${'b'.repeat(64)}`)], want: ['a'] },
    { name: 'global services are left to the engine', s: svc(undefined), tasks: [task('a', 0)], want: null },
    { name: 'zero replicas: left to the engine', s: svc(0), tasks: [], want: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(convergedTasks(c.s, c.tasks, v2, new Set(c.down ?? [])), c.want);
    });
  }

  it('the monitor period is the service UpdateConfig.Monitor, 5 s when unset or 0', () => {
    assert.equal(monitorMs(svc(1, v2, 1.5e9)), 1500);
    assert.equal(monitorMs(svc(1, v2, 0)), 5000);
    assert.equal(monitorMs(svc(1)), 5000);
  });
});

describe('rolling: how long the converged tasks have been seen running', () => {
  it('counts from the first sighting of the newest task; a new task starts the hold again', () => {
    const r = new RunningSince();
    assert.equal(r.remaining(['a', 'b'], 1000, 10_000), 1000);
    assert.equal(r.remaining(['a', 'b'], 1000, 10_600), 400);
    assert.equal(r.remaining(['a', 'c'], 1000, 10_700), 1000, 'c replaced b: its own hold');
    assert.equal(r.remaining(['a', 'c'], 1000, 11_700), 0);
  });

  it('after a reset (tasks not converged) the hold starts over', () => {
    const r = new RunningSince();
    r.remaining(['a'], 1000, 0);
    r.reset();
    assert.equal(r.remaining(['a'], 1000, 5000), 1000);
  });
});
