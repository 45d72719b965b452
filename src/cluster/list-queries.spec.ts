import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Caller } from '../common/auth/roles';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { Snapshot } from './cluster-state.service';
import { queryKey, queryNodes, queryNodeTasks, queryServices, queryServiceTasks, ServiceListQuery } from './list-queries';

function service(name: string, labels: Record<string, string> = {}, global = false): EngineService {
  return {
    ID: `id-${name}`,
    Version: { Index: 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:00Z',
    Spec: { Name: name, Labels: labels, TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' } }, Mode: global ? { Global: {} } : { Replicated: { Replicas: 1 } } },
  };
}

function node(id: string, hostname: string, role = 'worker', labels: Record<string, string> = {}, availability = 'active'): EngineNode {
  return {
    ID: id,
    Version: { Index: 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:00Z',
    Spec: { Role: role, Availability: availability, Labels: labels },
    Description: { Hostname: hostname },
    Status: { State: 'ready' },
  } as EngineNode;
}

function task(id: string, svc: string, slot: number, createdSec: number, desired = 'running', state = 'running', nodeId = 'n1'): EngineTask {
  const at = `2024-01-01T00:00:${String(createdSec).padStart(2, '0')}Z`;
  return { ID: id, Version: { Index: 1 }, CreatedAt: at, UpdatedAt: at, ServiceID: `id-${svc}`, Slot: slot, NodeID: nodeId, DesiredState: desired, Spec: {}, Status: { State: state } } as EngineTask;
}

const services = [
  service('web', { team: 'a', tier: 'front' }),
  service('web-api', { team: 'a' }),
  service('Worker', { team: 'b' }),
  service('agent', { team: 'b' }, true),
  service('db', {}),
];
const tasks = [
  task('t1', 'web', 1, 10),
  task('t2', 'web', 1, 20, 'shutdown', 'failed'),
  task('t3', 'web', 2, 5),
  task('t4', 'web', 1, 30, 'running', 'starting', 'n2'),
  task('t5', 'db', 1, 1, 'running', 'running', 'n2'),
  task('t6', 'Worker', 1, 1),
];
const snap = new Snapshot(services, tasks, [node('n2', 'beta', 'manager', { zone: 'a' }), node('n1', 'alpha'), node('n3', 'alpha', 'worker', { zone: 'b' }, 'drain')], new Map());
const ADMIN: Caller = { name: 'ops', role: 'admin' };
const TEAM_A: Caller = { name: 'a', role: 'viewer', scope: { labels: { team: 'a' } } };

const names = (xs: Array<{ name: string }>) => xs.map((x) => x.name);
const q = (o: Partial<ServiceListQuery>) => Object.assign(new ServiceListQuery(), o);

describe('queryServices', () => {
  it('lists by name in code-point order (as docker does), every service without filters', () => {
    assert.deepEqual(names(queryServices(snap, q({}), ADMIN).items), ['Worker', 'agent', 'db', 'web', 'web-api']);
  });

  it('name filters match name prefixes (any of them), as docker service ls --filter name=', () => {
    assert.deepEqual(names(queryServices(snap, q({ name: ['web'] }), ADMIN).items), ['web', 'web-api']);
    assert.deepEqual(names(queryServices(snap, q({ name: ['db', 'Wor'] }), ADMIN).items), ['Worker', 'db']);
  });

  it('label filters (key or key=value) must all hold; mode filters by mode', () => {
    assert.deepEqual(names(queryServices(snap, q({ label: ['team=a'] }), ADMIN).items), ['web', 'web-api']);
    assert.deepEqual(names(queryServices(snap, q({ label: ['team=a', 'tier'] }), ADMIN).items), ['web']);
    assert.deepEqual(names(queryServices(snap, q({ label: ['team'] }), ADMIN).items), ['Worker', 'agent', 'web', 'web-api']);
    assert.deepEqual(names(queryServices(snap, q({ mode: 'global' }), ADMIN).items), ['agent']);
    assert.deepEqual(names(queryServices(snap, q({ mode: 'replicated', label: ['team=b'] }), ADMIN).items), ['Worker']);
  });

  it('a scoped caller pages through its own services only; filters narrow within the scope', () => {
    const first = queryServices(snap, q({ limit: 1 }), TEAM_A);
    assert.deepEqual(names(first.items), ['web']);
    const second = queryServices(snap, q({ limit: 1, cursor: first.nextCursor! }), TEAM_A);
    assert.deepEqual(names(second.items), ['web-api']);
    assert.equal(second.nextCursor, null);
    assert.deepEqual(names(queryServices(snap, q({ label: ['team=b'] }), TEAM_A).items), []);
  });
});

describe('queryNodes', () => {
  it('by hostname then id; name prefix, node label, role and availability filters', () => {
    const ids = (p: { items: Array<{ id: string }> }) => p.items.map((n) => n.id);
    assert.deepEqual(ids(queryNodes(snap, {})), ['n1', 'n3', 'n2']);
    assert.deepEqual(ids(queryNodes(snap, { name: ['al'] })), ['n1', 'n3']);
    assert.deepEqual(ids(queryNodes(snap, { label: ['zone'] })), ['n3', 'n2']);
    assert.deepEqual(ids(queryNodes(snap, { label: ['zone=a'] })), ['n2']);
    assert.deepEqual(ids(queryNodes(snap, { role: 'manager' })), ['n2']);
    assert.deepEqual(ids(queryNodes(snap, { availability: 'drain' })), ['n3']);
    const first = queryNodes(snap, { limit: 1 });
    assert.deepEqual(ids(queryNodes(snap, { cursor: first.nextCursor! })), ['n3', 'n2'], 'two nodes share a hostname: the id keeps them apart');
  });
});

describe('queryServiceTasks', () => {
  const web = services[0];
  const ids = (p: { items: Array<{ id: string }> }) => p.items.map((t) => t.id);

  it('current tasks by slot, newest first; all adds the history', () => {
    assert.deepEqual(ids(queryServiceTasks(snap, web, {})), ['t4', 't1', 't3']);
    assert.deepEqual(ids(queryServiceTasks(snap, web, { all: true })), ['t4', 't2', 't1', 't3']);
  });

  it('desiredState searches the history too; node takes a hostname or an id', () => {
    assert.deepEqual(ids(queryServiceTasks(snap, web, { desiredState: 'shutdown' })), ['t2']);
    assert.deepEqual(ids(queryServiceTasks(snap, web, { node: 'beta' })), ['t4']);
    assert.deepEqual(ids(queryServiceTasks(snap, web, { node: 'n1' })), ['t1', 't3']);
  });

  it('pages follow the same order', () => {
    const first = queryServiceTasks(snap, web, { all: true, limit: 3 });
    assert.deepEqual(ids(first), ['t4', 't2', 't1']);
    const rest = queryServiceTasks(snap, web, { all: true, limit: 3, cursor: first.nextCursor! });
    assert.deepEqual(ids(rest), ['t3']);
    assert.equal(rest.nextCursor, null);
  });
});

describe('queryNodeTasks', () => {
  it("a node's current tasks of services in the caller's scope, by service; service filters", () => {
    const ids = (p: { items: Array<{ id: string }> }) => p.items.map((t) => t.id);
    assert.deepEqual(ids(queryNodeTasks(snap, 'n1', {}, ADMIN)), ['t6', 't1', 't3']);
    assert.deepEqual(ids(queryNodeTasks(snap, 'n1', {}, TEAM_A)), ['t1', 't3']);
    assert.deepEqual(ids(queryNodeTasks(snap, 'n2', { service: 'db' }, ADMIN)), ['t5']);
  });
});

describe('queryKey', () => {
  it('does not depend on the order parameters came in, and tells different queries apart', () => {
    assert.equal(queryKey(q({ name: ['a'], limit: 2 })), queryKey(Object.assign(new ServiceListQuery(), { limit: 2, name: ['a'] })));
    assert.notEqual(queryKey(q({ name: ['a'] })), queryKey(q({ label: ['a'] })));
  });
});
