import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { validateInput } from '../common/validation';
import { CreateServiceInput, UpdateResourcesInput, UpdateServiceInput } from './service-spec.input';
import { parseIfMatch } from './service-lifecycle.service';
import { fitsSomewhere, nodeRoom } from './capacity';

function paths(cls: new () => object, body: unknown): string[] {
  try {
    validateInput(cls, body);
    return [];
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return [...new Set((e.errors ?? []).map((x) => x.path))];
  }
}

const ok = { name: 'web', image: 'lab/web:v1' };

describe('service spec input: every bad input is a 400 naming the field', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['minimal create', ok, []],
    ['full create', {
      ...ok, replicas: 2, command: ['sh'], args: ['-c', 'x'], env: { A: '1' }, labels: { a: 'b' },
      ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'host' }], endpointMode: 'dnsrr',
      networks: [{ name: 'n1', aliases: ['x'] }], mounts: [{ type: 'tmpfs', target: '/t', tmpfsSize: '1M' }],
      resources: { limits: { cpus: 0.5, memory: '512M' }, reservations: { cpus: 0, memory: 1048576 } },
      placement: { constraints: ['node.labels.zone==a'], preferences: [{ spread: 'node.labels.zone' }], maxReplicasPerNode: 1 },
      restartPolicy: { condition: 'any', delaySeconds: 1, maxAttempts: 0, windowSeconds: 2 },
      updateConfig: { parallelism: 1, delaySeconds: 0.5, order: 'start-first', failureAction: 'rollback', monitorSeconds: 1, maxFailureRatio: 0.5 },
      rollbackConfig: { parallelism: 0 }, healthcheck: { test: ['NONE'] }, capDrop: ['NET_RAW'],
    }, []],
    ['missing name and image', {}, ['name', 'image']],
    ['unknown top-level field', { ...ok, privilegedMode: true }, ['privilegedMode']],
    ['unknown nested field', { ...ok, resources: { limits: { cpu: 1 } } }, ['resources.limits.cpu']],
    ['unknown field in a list item', { ...ok, ports: [{ target: 80, host: 1 }] }, ['ports.0.host']],
    ['null inside a group', { ...ok, restartPolicy: { condition: null } }, ['restartPolicy.condition']],
    ['null amount', { ...ok, resources: { limits: { cpus: null } } }, ['resources.limits.cpus']],
    ['group of the wrong type', { ...ok, resources: 'big' }, ['resources']],
    ['group given as a list', { ...ok, placement: [1] }, ['placement', 'placement.0']],
    ['list item of the wrong type', { ...ok, ports: [80] }, ['ports', 'ports.0']],
    ['replicas as a string', { ...ok, replicas: '3' }, ['replicas']],
    ['negative replicas', { ...ok, replicas: -1 }, ['replicas']],
    ['fractional replicas', { ...ok, replicas: 1.5 }, ['replicas']],
    ['huge replicas', { ...ok, replicas: 1e20 }, ['replicas']],
    ['negative cpus', { ...ok, resources: { limits: { cpus: -1 } } }, ['resources.limits.cpus']],
    ['cpus as a string', { ...ok, resources: { limits: { cpus: '0.5' } } }, ['resources.limits.cpus']],
    ['huge cpus', { ...ok, resources: { limits: { cpus: 1e9 } } }, ['resources.limits.cpus']],
    ['bad memory unit', { ...ok, resources: { limits: { memory: '512Q' } } }, ['resources.limits.memory']],
    ['negative memory', { ...ok, resources: { reservations: { memory: -5 } } }, ['resources.reservations.memory']],
    ['fractional memory bytes', { ...ok, resources: { reservations: { memory: 1.5 } } }, ['resources.reservations.memory']],
    ['bad enum', { ...ok, updateConfig: { order: 'sideways', failureAction: 'explode' } }, ['updateConfig.order', 'updateConfig.failureAction']],
    ['bad ratio', { ...ok, updateConfig: { maxFailureRatio: 2 } }, ['updateConfig.maxFailureRatio']],
    ['negative seconds', { ...ok, restartPolicy: { delaySeconds: -1 } }, ['restartPolicy.delaySeconds']],
    ['port out of range', { ...ok, ports: [{ target: 70000 }] }, ['ports.0.target']],
    ['bad port mode', { ...ok, ports: [{ target: 80, mode: 'mesh' }] }, ['ports.0.mode']],
    ['env value not a string', { ...ok, env: { A: 1 } }, ['env']],
    ['env as a list', { ...ok, env: ['A=1'] }, ['env']],
    ['relative mount target', { ...ok, mounts: [{ type: 'volume', target: 'data' }] }, ['mounts.0.target']],
    ['bad mount type', { ...ok, mounts: [{ type: 'npipe', target: '/x' }] }, ['mounts.0.type']],
    ['bad name', { ...ok, name: '../etc' }, ['name']],
    ['empty healthcheck test', { ...ok, healthcheck: { test: [] } }, ['healthcheck.test']],
    ['capAdd as a string', { ...ok, capAdd: 'SYS_ADMIN' }, ['capAdd']],
  ];
  for (const [name, body, want] of cases) {
    it(`${name}: ${want.length ? want.join(', ') : 'valid'}`, () => assert.deepEqual(paths(CreateServiceInput, body).sort(), [...want].sort()));
  }

  it('PATCH refuses the name and accepts top-level nulls', () => {
    assert.deepEqual(paths(UpdateServiceInput, { name: 'x' }), ['name']);
    assert.deepEqual(paths(UpdateServiceInput, { healthcheck: null, env: null, resources: { limits: null } }), []);
  });

  it('resources: force must be a boolean', () => {
    assert.deepEqual(paths(UpdateResourcesInput, { force: 'yes' }), ['force']);
    assert.deepEqual(paths(UpdateResourcesInput, { reservations: { cpus: 1 }, force: true }), []);
  });
});

describe('If-Match', () => {
  const cases: Array<[unknown, number | undefined | 'error']> = [
    [undefined, undefined], ['', undefined], ['*', undefined], ['12', 12], ['"12"', 12], ['W/"12"', 12], [12, 12],
    ['abc', 'error'], ['-1', 'error'], ['1.5', 'error'], [-1, 'error'], [1.5, 'error'],
  ];
  for (const [raw, want] of cases) {
    it(`${JSON.stringify(raw)} -> ${want}`, () => {
      if (want === 'error') assert.throws(() => parseIfMatch(raw as string), (e: AppError) => e.code === 'VALIDATION_FAILED');
      else assert.equal(parseIfMatch(raw as string), want);
    });
  }
});

describe('capacity', () => {
  const node = (id: string, cpus: number, mem: number, extra: any = {}) => ({
    ID: id, Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '',
    Spec: { Role: 'worker', Availability: extra.availability ?? 'active' },
    Description: { Hostname: id, Resources: { NanoCPUs: cpus * 1e9, MemoryBytes: mem } },
    Status: { State: extra.state ?? 'ready' },
  });
  const task = (node: string, service: string, cpus: number, state = 'running') => ({
    ID: `${node}-${service}`, Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', ServiceID: service, NodeID: node,
    DesiredState: 'running', Status: { State: state }, Spec: { Resources: { Reservations: { NanoCPUs: cpus * 1e9 } } },
  });
  const nodes = [node('a', 2, 1000), node('b', 4, 1000, { availability: 'drain' }), node('c', 4, 1000, { state: 'down' })];

  it('only ready, active nodes count, minus other services\' reservations', () => {
    const rooms = nodeRoom(nodes as any, [task('a', 's1', 1), task('a', 'me', 1), task('a', 's2', 1, 'failed')] as any, 'me');
    assert.deepEqual(rooms, [{ hostname: 'a', freeNanoCpus: 1e9, freeMemoryBytes: 1000 }]);
    assert.equal(fitsSomewhere({ NanoCPUs: 1e9 }, rooms), true);
    assert.equal(fitsSomewhere({ NanoCPUs: 2e9 }, rooms), false);
    assert.equal(fitsSomewhere({ MemoryBytes: 1001 }, rooms), false);
    assert.equal(fitsSomewhere(undefined, []), true);
  });
});
