import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { contentKey, keepNewer, withService } from './snapshot-versions';

function service(id: string, version: number, replicas = 1): EngineService {
  return {
    ID: id,
    Version: { Index: version },
    CreatedAt: '',
    UpdatedAt: '',
    Spec: { Name: id, TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' } }, Mode: { Replicated: { Replicas: replicas } } },
  };
}
const task = (id: string, version: number, state = 'running'): EngineTask =>
  ({ ID: id, Version: { Index: version }, CreatedAt: '', UpdatedAt: '', ServiceID: 's', DesiredState: 'running', Spec: {}, Status: { State: state } }) as EngineTask;
const node = (id: string, version: number, leader = false, reachability = 'reachable'): EngineNode =>
  ({ ID: id, Version: { Index: version }, Spec: { Role: 'manager', Availability: 'active' }, Status: { State: 'ready' }, ManagerStatus: { Leader: leader, Reachability: reachability } }) as EngineNode;

describe('contentKey', () => {
  const base = () => contentKey([service('a', 5)], [task('t', 7)], [node('n', 3, true)], new Map([['w', 'net']]));

  it('is the same for the same objects at the same versions', () => {
    assert.equal(base(), base());
  });

  it('changes with any object version, a task state, a manager losing leadership or reachability, a network name', () => {
    const variants = [
      contentKey([service('a', 6)], [task('t', 7)], [node('n', 3, true)], new Map([['w', 'net']])),
      contentKey([service('a', 5)], [task('t', 8)], [node('n', 3, true)], new Map([['w', 'net']])),
      contentKey([service('a', 5)], [task('t', 7, 'failed')], [node('n', 3, true)], new Map([['w', 'net']])),
      contentKey([service('a', 5)], [task('t', 7)], [node('n', 3, false)], new Map([['w', 'net']])),
      contentKey([service('a', 5)], [task('t', 7)], [node('n', 3, true, 'unreachable')], new Map([['w', 'net']])),
      contentKey([service('a', 5)], [task('t', 7)], [node('n', 3, true)], new Map([['w', 'other']])),
      contentKey([service('a', 5), service('b', 1)], [task('t', 7)], [node('n', 3, true)], new Map([['w', 'net']])),
    ];
    for (const v of variants) assert.notEqual(v, base());
  });
});

describe('keepNewer', () => {
  it('keeps the read model copy of a service when it is newer than the listed one, and nothing else', () => {
    const held = new Map([['a', service('a', 9, 3)], ['b', service('b', 1)]]);
    const out = keepNewer([service('a', 8, 2), service('b', 2, 5), service('c', 1)], held);
    assert.deepEqual(out.map((s) => [s.ID, s.Version.Index]), [['a', 9], ['b', 2], ['c', 1]]);
  });
});

describe('withService', () => {
  it('replaces an older copy; the same or an older version, or an unknown service, changes nothing', () => {
    const list = [service('a', 5), service('b', 5)];
    assert.deepEqual(withService(list, service('b', 6, 4))?.map((s) => [s.ID, s.Version.Index]), [['a', 5], ['b', 6]]);
    assert.equal(withService(list, service('b', 5)), null);
    assert.equal(withService(list, service('b', 4)), null);
    assert.equal(withService(list, service('c', 9)), null);
  });
});
