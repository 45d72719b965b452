import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineEvent, EngineTask } from '../swarm/engine.types';
import { TaskStateChanged } from '../events/event.types';
import { ClusterChange } from './snapshot-diff';
import { EarlyOutcome, EarlyTaskEvents, earlyEvent, earlyTransition, jsonLines, parseContainerDeath, wantedRunning } from './task-deaths';

const TASK = 'abcdefghijklmnopqrstuvwxy'; // 25 characters, like Swarm's task ids

function die(over: { action?: string; type?: string; exitCode?: string; taskId?: string | null } = {}): EngineEvent {
  const attrs: Record<string, string> = {
    'com.docker.swarm.service.id': 's1',
    'com.docker.swarm.service.name': 'web',
    'com.docker.swarm.node.id': 'n2',
    exitCode: over.exitCode ?? '137',
  };
  if (over.taskId !== null) attrs['com.docker.swarm.task.id'] = over.taskId ?? TASK;
  return { Type: over.type ?? 'container', Action: over.action ?? 'die', Actor: { ID: 'c1', Attributes: attrs }, time: 1_700_000_000, timeNano: 1_700_000_000_123_456_789 };
}

function task(state: string, desired = 'running', containerId = 'c1'): EngineTask {
  return {
    ID: TASK,
    Version: { Index: 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:01Z',
    ServiceID: 's1',
    Slot: 2,
    NodeID: 'n2',
    DesiredState: desired,
    Spec: {},
    Status: { State: state, Timestamp: '2024-01-01T00:00:01Z', Message: state, ContainerStatus: { ContainerID: containerId } },
  };
}

function change(taskId: string, to: string, from = 'running'): ClusterChange {
  return {
    type: 'task',
    service: 'web',
    labels: {},
    payload: { taskId, to, from, service: 'web' } as TaskStateChanged,
  } as ClusterChange;
}

describe('parseContainerDeath', () => {
  it('reads a task container die event', () => {
    assert.deepEqual(parseContainerDeath(die()), {
      taskId: TASK,
      serviceId: 's1',
      serviceName: 'web',
      nodeId: 'n2',
      containerId: 'c1',
      exitCode: 137,
      at: new Date(1_700_000_000_123).toISOString(),
    });
    assert.equal(parseContainerDeath(die({ exitCode: '0' }))?.exitCode, 0);
    assert.equal(parseContainerDeath(die({ exitCode: '' }))?.exitCode, null);
  });

  it('ignores other actions, other types and containers that are not tasks', () => {
    for (const e of [die({ action: 'kill' }), die({ action: 'oom' }), die({ action: 'start' }), die({ type: 'service' }), die({ taskId: null }), die({ taskId: 'short' })]) {
      assert.equal(parseContainerDeath(e), null, JSON.stringify(e));
    }
  });
});

describe('earlyTransition', () => {
  const death = parseContainerDeath(die())!;

  it('a task the manager still wants running fails on a non-zero exit, as Swarm records it', () => {
    assert.deepEqual(earlyTransition(task('running'), death, 'running'), { from: 'running', to: 'failed', message: 'container exited with code 137', error: 'task: non-zero exit (137)' });
  });

  it('exit 0 completes the task ("finished"), as Swarm records it', () => {
    assert.deepEqual(earlyTransition(task('running'), parseContainerDeath(die({ exitCode: '0' }))!), { from: 'running', to: 'complete', message: 'finished', error: null });
  });

  it('a stop Swarm asked for (scale-down, update, removal) is not announced', () => {
    for (const desired of ['shutdown', 'remove', 'complete']) assert.equal(earlyTransition(task('running', desired), death), null, desired);
  });

  it('a failure or completion the manager recorded already (the read model not yet) is that record', () => {
    const failed = { ...task('failed', 'shutdown'), Status: { State: 'failed', Timestamp: 'x', Message: 'started', Err: 'task: non-zero exit (137)', ContainerStatus: { ContainerID: 'c1' } } };
    assert.deepEqual(earlyTransition(failed, death, 'running'), { from: 'running', to: 'failed', message: 'started', error: 'task: non-zero exit (137)' });
    assert.deepEqual(earlyTransition(task('complete', 'shutdown'), parseContainerDeath(die({ exitCode: '0' }))!, undefined), { from: null, to: 'complete', message: 'complete', error: null });
  });

  it('a task that ended otherwise in the manager, or another container of the task, is not announced', () => {
    for (const state of ['shutdown', 'rejected', 'orphaned', 'remove']) assert.equal(earlyTransition(task(state), death), null, state);
    assert.equal(earlyTransition(task('running', 'running', 'c0'), death), null);
    assert.equal(earlyTransition(task('failed', 'shutdown', 'c0'), death), null);
    assert.ok(wantedRunning(task('starting')));
  });

  it('the early event has the task list event shape, marked source "node"', () => {
    const t = task('running');
    const e = earlyEvent(t, death, earlyTransition(t, death)!, { service: 'web', nodeName: 'lab-node-2' });
    assert.deepEqual(e, {
      taskId: TASK,
      serviceId: 's1',
      service: 'web',
      slot: 2,
      nodeId: 'n2',
      nodeName: 'lab-node-2',
      from: 'running',
      to: 'failed',
      desiredState: 'running',
      message: 'container exited with code 137',
      error: 'task: non-zero exit (137)',
      containerId: 'c1',
      exitCode: 137,
      at: death.at,
      source: 'node',
    });
  });
});

describe('EarlyTaskEvents', () => {
  const make = () => {
    const outcomes: EarlyOutcome[] = [];
    return { outcomes, early: new EarlyTaskEvents(1000, (o) => outcomes.push(o)) };
  };

  it('the task list showing the same transition is not published again', () => {
    const { early, outcomes } = make();
    early.record('t1', 'failed', 0);
    const other = change('t2', 'running', 'pending');
    assert.deepEqual(early.filter([change('t1', 'failed'), other], 10), [other]);
    assert.deepEqual(outcomes, ['confirmed']);
    assert.equal(early.size, 0);
    // Once confirmed, the task's later changes pass (e.g. removed when pruned).
    assert.equal(early.filter([change('t1', 'removed', 'failed')], 20).length, 1);
  });

  it("the task list's older non-final states of the task are dropped until it shows the end state", () => {
    const { early, outcomes } = make();
    early.record('t1', 'failed', 0);
    assert.deepEqual(early.filter([change('t1', 'running', 'starting')], 10), []);
    assert.ok(early.has('t1'));
    assert.deepEqual(early.filter([change('t1', 'failed')], 20), []);
    assert.deepEqual(outcomes, ['confirmed']);
  });

  it('another end state in the task list is published (the engine record wins)', () => {
    const { early, outcomes } = make();
    early.record('t1', 'failed', 0);
    early.record('t2', 'complete', 0);
    const got = early.filter([change('t1', 'shutdown'), change('t2', 'removed')], 10);
    assert.deepEqual(got.map((c) => (c.payload as TaskStateChanged).to), ['shutdown', 'removed']);
    assert.deepEqual(outcomes, ['corrected', 'corrected']);
  });

  it('an early event the task list never confirms is forgotten after the ttl', () => {
    const { early, outcomes } = make();
    early.record('t1', 'failed', 0);
    assert.equal(early.filter([], 500).length, 0);
    assert.ok(early.has('t1'));
    assert.equal(early.filter([change('t1', 'failed')], 1000).length, 1, 'expired: the task list event is published');
    assert.deepEqual(outcomes, ['expired']);
  });

  it('forget and clear drop early records (the task list event is then published)', () => {
    const { early } = make();
    early.record('t1', 'failed', 0);
    early.record('t2', 'failed', 0);
    early.forget('t1');
    assert.equal(early.filter([change('t1', 'failed')], 1).length, 1);
    early.clear();
    assert.equal(early.filter([change('t2', 'failed')], 1).length, 1);
  });

  it('node and service changes pass untouched', () => {
    const { early } = make();
    early.record('t1', 'failed', 0);
    const svc = { type: 'service', service: 'web', labels: {}, payload: {} } as unknown as ClusterChange;
    assert.deepEqual(early.filter([svc], 1), [svc]);
  });
});

describe('jsonLines', () => {
  it('parses events split across chunks and skips what is not JSON', () => {
    const got: EngineEvent[] = [];
    const feed = jsonLines((e) => got.push(e));
    feed('{"Type":"container","Act');
    feed('ion":"die"}\nnot json\n\n{"Type":"container",');
    assert.equal(got.length, 1);
    feed(Buffer.from('"Action":"start"}\n'));
    assert.deepEqual(got.map((e) => e.Action), ['die', 'start']);
  });
});
