import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService, EngineTask } from '../swarm/engine.types';
import { SnapshotData } from '../cluster/snapshot-diff';
import { endedTasks } from './task-restarts';

const svc = (id: string, name: string) => ({ ID: id, Spec: { Name: name } }) as unknown as EngineService;
const task = (id: string, service: string, state: string) => ({ ID: id, ServiceID: service, CreatedAt: '2030-01-01T00:00:00Z', Status: { State: state } }) as unknown as EngineTask;
const snap = (tasks: EngineTask[], at = 1000): SnapshotData => ({ at, services: [svc('s1', 'web'), svc('s2', 'api')], tasks, nodes: [] });

describe('endedTasks: tasks that ended on their own between two snapshots', () => {
  it('counts failed, rejected and complete transitions per service', () => {
    const prev = snap([task('a', 's1', 'running'), task('b', 's1', 'running'), task('c', 's2', 'starting'), task('d', 's2', 'running')]);
    const next = snap([task('a', 's1', 'failed'), task('b', 's1', 'complete'), task('c', 's2', 'rejected'), task('d', 's2', 'shutdown')], 2000);
    assert.deepEqual([...endedTasks(prev, next)], [['web', 2], ['api', 1]]);
  });

  it('a task first seen already failed counts; one that stays failed does not count again', () => {
    const prev = snap([task('a', 's1', 'failed')]);
    const next = snap([task('a', 's1', 'failed'), task('b', 's1', 'failed'), task('c', 's1', 'running')], 2000);
    assert.deepEqual([...endedTasks(prev, next)], [['web', 1]]);
  });

  it('a stop by the orchestrator (shutdown) is not a restart', () => {
    assert.equal(endedTasks(snap([task('a', 's1', 'running')]), snap([task('a', 's1', 'shutdown')], 2000)).size, 0);
  });
});
