import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { quorumOf, SYSTEM_LABEL } from './quorum';

function node(id: string, role: 'manager' | 'worker', over: { reach?: string; leader?: boolean; availability?: string } = {}): EngineNode {
  return {
    ID: id,
    Version: { Index: 1 },
    Spec: { Role: role, Availability: over.availability ?? 'active', Labels: {} },
    Description: { Hostname: `h-${id}` },
    Status: { State: 'ready', Addr: '10.0.0.1' },
    ...(role === 'manager' ? { ManagerStatus: { Reachability: over.reach ?? 'reachable', Leader: !!over.leader, Addr: `10.0.0.${id}:2377` } } : {}),
  } as unknown as EngineNode;
}

function service(id: string, over: { global?: boolean; labels?: Record<string, string> } = {}): EngineService {
  return {
    ID: id,
    Version: { Index: 1 },
    Spec: { Name: id, Labels: over.labels ?? {}, Mode: over.global ? { Global: {} } : { Replicated: { Replicas: 1 } } },
  } as unknown as EngineService;
}

function task(serviceId: string, nodeId: string, state = 'running'): EngineTask {
  return { ID: `${serviceId}-${nodeId}`, ServiceID: serviceId, NodeID: nodeId, DesiredState: 'running', Status: { State: state } } as unknown as EngineTask;
}

const three = (reach3 = 'reachable') => [node('1', 'manager', { leader: true }), node('2', 'manager'), node('3', 'manager', { reach: reach3 }), node('4', 'worker')];

describe('quorumOf', () => {
  it('3 reachable managers: tolerance 1, the leader, no warning', () => {
    const q = quorumOf(three(), [], [], 'ok');
    assert.equal(q.managers, 3);
    assert.equal(q.reachable, 3);
    assert.equal(q.faultTolerance, 1);
    assert.equal(q.hasQuorum, true);
    assert.deepEqual(q.leader, { id: '1', hostname: 'h-1', addr: '10.0.0.1:2377' });
    assert.deepEqual(q.warnings, []);
    assert.deepEqual(
      q.members.map((m) => [m.id, m.reachability, m.leader]),
      [
        ['1', 'reachable', true],
        ['2', 'reachable', false],
        ['3', 'reachable', false],
      ],
    );
  });

  it('one of 3 unreachable: tolerance 0, with a warning', () => {
    const q = quorumOf(three('unreachable'), [], [], 'ok');
    assert.equal(q.faultTolerance, 0);
    assert.equal(q.reachable, 2);
    assert.equal(q.hasQuorum, true);
    assert.match(q.warnings.join('\n'), /fault tolerance 0/);
  });

  it('no leader (the engine says so): reachability unknown, quorum lost, tolerance below 0', () => {
    const q = quorumOf(three(), [], [], 'no-quorum');
    assert.equal(q.hasQuorum, false);
    assert.equal(q.leader, null);
    assert.ok(q.faultTolerance < 0);
    assert.ok(q.members.every((m) => m.reachability === 'unknown' && !m.leader));
    assert.match(q.warnings.join('\n'), /no leader/);
  });

  it('a single manager: tolerance 0 warns; an even number warns', () => {
    assert.match(quorumOf([node('1', 'manager', { leader: true })], [], [], 'ok').warnings.join('\n'), /single manager/);
    const two = quorumOf([node('1', 'manager', { leader: true }), node('2', 'manager')], [], [], 'ok');
    assert.equal(two.faultTolerance, 0);
    assert.match(two.warnings.join('\n'), /even number/);
  });

  it('a manager running workload tasks warns; global and system services do not count, nor a drained manager', () => {
    const services = [service('web'), service('agent', { global: true }), service('cp', { labels: { [SYSTEM_LABEL]: 'api' } })];
    const tasks = [task('agent', '1'), task('cp', '1'), task('web', '4')];
    assert.deepEqual(quorumOf(three(), tasks, services, 'ok').warnings, []);
    const busy = quorumOf(three(), [...tasks, task('web', '2')], services, 'ok');
    assert.equal(busy.members.find((m) => m.id === '2')?.runsWorkloads, true);
    assert.match(busy.warnings.join('\n'), /manager h-2 also runs 1 workload/);
    const drained = [node('1', 'manager', { leader: true }), node('2', 'manager', { availability: 'drain' }), node('3', 'manager')];
    assert.equal(quorumOf(drained, [task('web', '2')], services, 'ok').members.find((m) => m.id === '2')?.runsWorkloads, false);
  });
});
