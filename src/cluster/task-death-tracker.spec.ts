import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineTask } from '../swarm/engine.types';
import { TaskStateChanged } from '../events/event.types';
import { ClusterChange } from './snapshot-diff';
import { TaskDeathTracker } from './task-death-tracker';

const TASK = 'abcdefghijklmnopqrstuvwxy';

function task(state: string, desired: string): EngineTask {
  return {
    ID: TASK,
    Version: { Index: 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:01Z',
    ServiceID: 's1',
    Slot: 1,
    NodeID: 'n2',
    DesiredState: desired,
    Spec: {},
    Status: { State: state, Timestamp: '2024-01-01T00:00:01Z', Message: state, ContainerStatus: { ContainerID: 'c1' } },
  };
}

const DIE = JSON.stringify({
  Type: 'container',
  Action: 'die',
  Actor: { ID: 'c1', Attributes: { 'com.docker.swarm.task.id': TASK, 'com.docker.swarm.service.id': 's1', 'com.docker.swarm.service.name': 'web', exitCode: '137' } },
  timeNano: 1_700_000_000_000_000_000,
}) + '\n';

const change = (taskId: string, to: string): ClusterChange =>
  ({ type: 'task', service: 'web', labels: {}, payload: { taskId, from: 'running', to, source: 'tasks' } as TaskStateChanged }) as ClusterChange;

/** A tracker over fakes: the manager's record of the task comes when `answer` is called. */
function setup() {
  let answer!: (t: EngineTask) => void;
  const published: Array<{ to: string; source: string; taskId: string }> = [];
  const snapshot = { tasks: [task('running', 'running')], servicesById: new Map([['s1', { Spec: { Name: 'web', Labels: {} } }]]), nodeName: () => 'lab-node-2' };
  const tracker = new TaskDeathTracker(
    { lastSnapshot: snapshot } as any,
    { inspectTask: () => new Promise<EngineTask>((r) => (answer = r)) } as any,
    { publish: async (_type: string, p: TaskStateChanged) => (published.push({ to: p.to, source: p.source!, taskId: p.taskId }), '1-0') } as any,
    { isLeader: true } as any,
  );
  const out = (c: ClusterChange) => published.push({ to: (c.payload as TaskStateChanged).to, source: 'tasks', taskId: (c.payload as TaskStateChanged).taskId });
  return { tracker, published, out, answer: (t: EngineTask) => answer(t) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('TaskDeathTracker', () => {
  it('without a death being decided, the diff passes at once', () => {
    const { tracker, published, out } = setup();
    tracker.pass([change('t2', 'running')], out);
    assert.deepEqual(published.map((p) => p.taskId), ['t2']);
  });

  it("an unexpected death goes first; the diff held meanwhile follows, the task list's same failure not again", async () => {
    const { tracker, published, out, answer } = setup();
    tracker.follow('lab-node-2')(DIE);
    // A refresh finishes while the manager is asked: the diff has the failure and the replacement.
    tracker.pass([change(TASK, 'failed'), change('t2', 'pending')], out);
    assert.deepEqual(published, [], 'held');
    answer(task('running', 'running'));
    for (let i = 0; i < 10 && published.length < 2; i++) await settle();
    assert.deepEqual(published, [
      { to: 'failed', source: 'node', taskId: TASK },
      { to: 'pending', source: 'tasks', taskId: 't2' },
    ]);
  });

  it('a stop Swarm asked for is not announced: the held diff is published as it is', async () => {
    const { tracker, published, out, answer } = setup();
    tracker.follow('lab-node-2')(DIE);
    tracker.pass([change(TASK, 'shutdown')], out);
    answer(task('running', 'shutdown'));
    for (let i = 0; i < 10 && published.length < 1; i++) await settle();
    assert.deepEqual(published, [{ to: 'shutdown', source: 'tasks', taskId: TASK }]);
  });
});
