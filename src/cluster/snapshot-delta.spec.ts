import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { applyDelta, computeDelta, ReadModelData } from './snapshot-delta';

function service(id: string, version: number, over: Partial<EngineService['Spec']> = {}): EngineService {
  return {
    ID: id,
    Version: { Index: version },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: `2024-01-01T00:00:${String(version % 60).padStart(2, '0')}Z`,
    Spec: { Name: `svc-${id}`, TaskTemplate: { ContainerSpec: { Image: 'web:1' } }, Mode: { Replicated: { Replicas: 1 } }, ...over },
  };
}

function task(id: string, serviceId: string, version: number, state = 'running', nodeId = 'n1'): EngineTask {
  return {
    ID: id,
    Version: { Index: version },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: `2024-01-01T00:00:${String(version % 60).padStart(2, '0')}Z`,
    ServiceID: serviceId,
    NodeID: nodeId,
    DesiredState: 'running',
    Spec: {},
    Status: { State: state, Timestamp: '2024-01-01T00:00:00Z' },
  };
}

function node(id: string, over: { role?: string; reach?: string; leader?: boolean; availability?: string; version?: number } = {}): EngineNode {
  const role = over.role ?? 'manager';
  return {
    ID: id,
    Version: { Index: over.version ?? 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:00Z',
    Spec: { Role: role, Availability: over.availability ?? 'active', Labels: {} },
    Description: { Hostname: `host-${id}` },
    Status: { State: 'ready' },
    ...(role === 'manager' ? { ManagerStatus: { Reachability: over.reach ?? 'reachable', Leader: !!over.leader, Addr: `10.0.0.${id.slice(1)}:2377` } } : {}),
  } as EngineNode;
}

const base: ReadModelData = {
  services: [service('s1', 10), service('s2', 11)],
  tasks: [task('t1', 's1', 12), task('t2', 's2', 13)],
  nodes: [node('n1', { leader: true })],
  networks: [['net1', 'ingress']],
};

describe('read model deltas', () => {
  it('nothing changed: no delta', () => {
    assert.equal(computeDelta(base, structuredClone(base)), null);
  });

  it('puts what changed version, deletes what is gone, and applying it gives the new data', () => {
    const next: ReadModelData = {
      services: [service('s1', 20, { Mode: { Replicated: { Replicas: 3 } } }), service('s3', 21)],
      tasks: [task('t1', 's1', 12), task('t2', 's2', 22, 'shutdown'), task('t3', 's1', 23, 'new')],
      nodes: base.nodes,
      networks: [['net1', 'ingress'], ['net2', 'web']],
    };
    const delta = computeDelta(base, next)!;
    assert.deepEqual(delta.services!.put.map((s) => s.ID), ['s1', 's3']);
    assert.deepEqual(delta.services!.del, ['s2']);
    assert.deepEqual(delta.tasks!.put.map((t) => t.ID), ['t2', 't3']);
    assert.deepEqual(delta.tasks!.del, []);
    assert.equal(delta.nodes, undefined, 'unchanged kinds are left out');
    const applied = applyDelta(base, JSON.parse(JSON.stringify(delta)));
    assert.deepEqual(applied, next);
  });

  it("a manager's reachability and leadership change without a new version, and still travel", () => {
    const next: ReadModelData = { ...base, nodes: [node('n1', { reach: 'unreachable' })] };
    const delta = computeDelta(base, next)!;
    assert.deepEqual(delta.nodes!.put.map((n) => n.ManagerStatus?.Reachability), ['unreachable']);
    assert.deepEqual(applyDelta(base, delta).nodes, next.nodes);
  });

  it('a delta travels as JSON and applies in order', () => {
    let data = base;
    const steps = [
      { ...base, services: [service('s1', 30), service('s2', 11)] },
      { ...base, services: [service('s1', 30)] },
      { ...base, services: [service('s1', 31), service('s4', 32)] },
    ];
    let prev = base;
    for (const next of steps) {
      data = applyDelta(data, JSON.parse(JSON.stringify(computeDelta(prev, next))));
      prev = next;
    }
    assert.deepEqual(data.services.map((s) => [s.ID, s.Version.Index]), [['s1', 31], ['s4', 32]]);
  });
});
