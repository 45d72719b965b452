import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { NodeChanged, ServiceChanged, TaskStateChanged } from '../events/event.types';
import { diffSnapshots, SnapshotData, stableJson } from './snapshot-diff';

function service(id: string, name: string, version: number, over: Partial<EngineService['Spec']> & { image?: string; replicas?: number; updateState?: string } = {}): EngineService {
  const { image, replicas, updateState, ...spec } = over;
  return {
    ID: id,
    Version: { Index: version },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: `2024-01-01T00:00:0${version % 10}Z`,
    Spec: {
      Name: name,
      Labels: { team: 'a' },
      TaskTemplate: { ContainerSpec: { Image: image ?? 'lab/web:v1@sha256:abc' } },
      Mode: { Replicated: { Replicas: replicas ?? 2 } },
      ...spec,
    },
    ...(updateState ? { UpdateStatus: { State: updateState } } : {}),
  };
}

function task(id: string, serviceId: string, state: string, desired = 'running', over: Partial<EngineTask> & { at?: string; err?: string } = {}): EngineTask {
  const { at, err, ...rest } = over;
  return {
    ID: id,
    Version: { Index: 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: at ?? '2024-01-01T00:00:01Z',
    ServiceID: serviceId,
    Slot: 1,
    NodeID: 'n2',
    DesiredState: desired,
    Spec: {},
    Status: { State: state, Timestamp: at ?? '2024-01-01T00:00:01Z', Message: state, ...(err ? { Err: err } : {}), ContainerStatus: { ContainerID: `c-${id}` } },
    ...rest,
  };
}

function node(id: string, hostname: string, over: { state?: string; availability?: string; labels?: Record<string, string>; version?: number } = {}): EngineNode {
  return {
    ID: id,
    Version: { Index: over.version ?? 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:00Z',
    Spec: { Role: 'worker', Availability: over.availability ?? 'active', Labels: over.labels ?? {} },
    Description: { Hostname: hostname },
    Status: { State: over.state ?? 'ready' },
  };
}

function snap(at: number, services: EngineService[], tasks: EngineTask[], nodes: EngineNode[] = [node('n2', 'lab-node-2')]): SnapshotData {
  return { at, services, tasks, nodes };
}

const web = service('s1', 'web', 10);

describe('diffSnapshots: tasks', () => {
  const cases: Array<{ name: string; prev: EngineTask[]; next: EngineTask[]; want: Array<Partial<TaskStateChanged>> }> = [
    { name: 'nothing changed', prev: [task('t1', 's1', 'running')], next: [task('t1', 's1', 'running')], want: [] },
    {
      name: 'a new task has from = null',
      prev: [],
      next: [task('t1', 's1', 'pending')],
      want: [{ taskId: 't1', from: null, to: 'pending', service: 'web', nodeName: 'lab-node-2', slot: 1 }],
    },
    {
      name: 'a killed task fails and its replacement starts, in engine order',
      prev: [task('t1', 's1', 'running')],
      next: [
        task('t2', 's1', 'running', 'running', { at: '2024-01-01T00:00:03Z' }),
        task('t1', 's1', 'failed', 'shutdown', { at: '2024-01-01T00:00:02Z', err: 'task: non-zero exit (137)' }),
      ],
      want: [
        { taskId: 't1', from: 'running', to: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (137)' },
        { taskId: 't2', from: null, to: 'running' },
      ],
    },
    {
      name: 'a desired-state change alone is reported with from === to',
      prev: [task('t1', 's1', 'running')],
      next: [task('t1', 's1', 'running', 'shutdown')],
      want: [{ taskId: 't1', from: 'running', to: 'running', desiredState: 'shutdown' }],
    },
    {
      name: 'an ended task marked shutdown as its replacement is made is no event (its end is not published twice)',
      prev: [task('t1', 's1', 'failed', 'running')],
      next: [task('t1', 's1', 'failed', 'shutdown')],
      want: [],
    },
    {
      name: 'a live task that vanishes is "removed"',
      prev: [task('t1', 's1', 'running')],
      next: [],
      want: [{ taskId: 't1', from: 'running', to: 'removed' }],
    },
    {
      name: 'a finished task pruned from the history is not an event',
      prev: [task('t1', 's1', 'shutdown', 'shutdown'), task('t0', 's1', 'failed', 'shutdown')],
      next: [],
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = diffSnapshots(snap(1, [web], c.prev), snap(2, [web], c.next)).filter((e) => e.type === 'task');
      assert.equal(got.length, c.want.length, JSON.stringify(got));
      c.want.forEach((w, i) => {
        const p = got[i].payload as TaskStateChanged;
        for (const [k, v] of Object.entries(w)) assert.deepEqual((p as any)[k], v, `${c.name}: event ${i} ${k}`);
        assert.equal((got[i] as any).service, p.service);
        assert.deepEqual((got[i] as any).labels, { team: 'a' });
      });
    });
  }

  it('tasks of a removed service carry its name and labels (from the previous snapshot)', () => {
    const got = diffSnapshots(snap(1, [web], [task('t1', 's1', 'running')]), snap(2, [], []));
    assert.deepEqual(
      got.map((e) => [e.type, (e.payload as any).change ?? (e.payload as any).to]),
      [
        ['task', 'removed'],
        ['service', 'removed'],
      ],
    );
    assert.equal((got[0].payload as TaskStateChanged).service, 'web');
  });
});

describe('diffSnapshots: services', () => {
  const cases: Array<{ name: string; prev: EngineService[]; next: EngineService[]; want: Array<Partial<ServiceChanged>> }> = [
    { name: 'same version, same spec', prev: [web], next: [service('s1', 'web', 10)], want: [] },
    { name: 'created', prev: [], next: [web], want: [{ service: 'web', change: 'created', version: 10, image: 'lab/web:v1', replicas: 2 }] },
    { name: 'removed', prev: [web], next: [], want: [{ service: 'web', change: 'removed', version: 10 }] },
    {
      name: 'scaled',
      prev: [web],
      next: [service('s1', 'web', 11, { replicas: 5 })],
      want: [{ change: 'updated', changedFields: ['replicas'], version: 11, previousVersion: 10, replicas: 5 }],
    },
    {
      name: 'new image and update status',
      prev: [web],
      next: [service('s1', 'web', 12, { image: 'lab/web:v2', updateState: 'updating' })],
      want: [{ change: 'updated', changedFields: ['image', 'updateStatus'], image: 'lab/web:v2', updateState: 'updating' }],
    },
    {
      name: 'a digest change alone is not an image change but still a spec change',
      prev: [web],
      next: [service('s1', 'web', 11, { image: 'lab/web:v1@sha256:def' })],
      want: [{ change: 'updated', changedFields: ['spec'] }],
    },
    {
      name: 'a version bump without a visible change (no-op update) is reported with no fields',
      prev: [web],
      next: [service('s1', 'web', 11)],
      want: [{ change: 'updated', changedFields: [] }],
    },
    {
      name: 'global mode has replicas = null',
      prev: [],
      next: [service('s2', 'agent', 3, { Mode: { Global: {} } })],
      want: [{ service: 'agent', replicas: null }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = diffSnapshots(snap(1, c.prev, []), snap(2, c.next, [])).filter((e) => e.type === 'service');
      assert.equal(got.length, c.want.length, JSON.stringify(got));
      c.want.forEach((w, i) => {
        for (const [k, v] of Object.entries(w)) assert.deepEqual((got[i].payload as any)[k], v, `${c.name}: ${k}`);
      });
    });
  }

  it('orders created services before their tasks and removed services after', () => {
    const got = diffSnapshots(snap(1, [web], []), snap(2, [service('s2', 'api', 1)], [task('t9', 's2', 'new')]));
    assert.deepEqual(
      got.map((e) => `${e.type}:${(e.payload as any).change ?? (e.payload as any).to}`),
      ['service:created', 'task:new', 'service:removed'],
    );
  });
});

describe('diffSnapshots: nodes', () => {
  const cases: Array<{ name: string; prev: EngineNode[]; next: EngineNode[]; want: Array<Partial<NodeChanged>> }> = [
    { name: 'a heartbeat (version only) is not an event', prev: [node('n2', 'h2')], next: [node('n2', 'h2', { version: 9 })], want: [] },
    {
      name: 'went down',
      prev: [node('n2', 'h2')],
      next: [node('n2', 'h2', { state: 'down' })],
      want: [{ change: 'updated', state: 'down', previousState: 'ready', changedFields: ['state'] }],
    },
    {
      name: 'drained and labelled',
      prev: [node('n2', 'h2')],
      next: [node('n2', 'h2', { availability: 'drain', labels: { zone: 'a' } })],
      want: [{ availability: 'drain', previousAvailability: 'active', changedFields: ['availability', 'labels'] }],
    },
    { name: 'joined', prev: [], next: [node('n3', 'h3')], want: [{ change: 'created', hostname: 'h3', previousState: null }] },
    { name: 'left', prev: [node('n3', 'h3')], next: [], want: [{ change: 'removed', hostname: 'h3' }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = diffSnapshots(snap(1, [], [], c.prev), snap(2, [], [], c.next));
      assert.ok(got.every((e) => e.type === 'node'));
      assert.equal(got.length, c.want.length, JSON.stringify(got));
      c.want.forEach((w, i) => {
        for (const [k, v] of Object.entries(w)) assert.deepEqual((got[i].payload as any)[k], v, `${c.name}: ${k}`);
      });
    });
  }
});

describe('stableJson', () => {
  it('ignores key order and undefined members', () => {
    assert.equal(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } }), stableJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }));
    assert.notEqual(stableJson({ a: [1, 2] }), stableJson({ a: [2, 1] }));
  });
});
