import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { EngineServiceSpec } from '../swarm/engine.types';
import { ServiceInput } from './service-spec.input';
import {
  applyServiceInput,
  BuildContext,
  DEFAULT_RESTART_POLICY,
  DEFAULT_UPDATE_CONFIG,
  emptySpec,
  resourceErrors,
  specFacts,
  toEnginePlacement,
  toEngineResources,
  toEngineUpdateConfig,
} from './spec.builder';

const ctx: BuildContext = {
  maxReplicas: 100,
  resolveNetwork: (n) => ({ backend: 'net-id-1', 'net-id-1': 'net-id-1' })[n] ?? null,
};
const G = 1024 ** 3;
const M = 1024 ** 2;

function build(input: ServiceInput, base: EngineServiceSpec = emptySpec('web')): EngineServiceSpec {
  return applyServiceInput(base, { image: 'lab/web:v1', ...input }, ctx);
}

function errorsOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError, `expected AppError, got ${e}`);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return e.errors ?? [];
  }
  assert.fail('expected a VALIDATION_FAILED');
}

describe('spec builder: create, every group to the engine spec', () => {
  const cases: Array<{ name: string; input: ServiceInput; check: (s: EngineServiceSpec) => void }> = [
    { name: 'defaults: replicated, 1 replica', input: {}, check: (s) => assert.deepEqual(s.Mode, { Replicated: { Replicas: 1 } }) },
    { name: 'replicas', input: { replicas: 3 }, check: (s) => assert.equal(s.Mode?.Replicated?.Replicas, 3) },
    { name: 'global mode', input: { mode: 'global' }, check: (s) => assert.deepEqual(s.Mode, { Global: {} }) },
    {
      name: 'command, args, env, labels',
      input: { command: ['/bin/sh', '-c'], args: ['echo hi'], env: { A: '1', B: 'x=y' }, labels: { team: 'a' } },
      check: (s) => {
        const cs = s.TaskTemplate.ContainerSpec!;
        assert.deepEqual([cs.Command, cs.Args, cs.Env, s.Labels], [['/bin/sh', '-c'], ['echo hi'], ['A=1', 'B=x=y'], { team: 'a' }]);
      },
    },
    {
      name: 'ports and endpoint mode',
      input: { ports: [{ target: 80, published: 8080, mode: 'host' }, { target: 53, protocol: 'udp' }], endpointMode: 'vip' },
      check: (s) =>
        assert.deepEqual(s.EndpointSpec, {
          Mode: 'vip',
          Ports: [
            { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
            { Protocol: 'udp', TargetPort: 53, PublishMode: 'ingress' },
          ],
        }),
    },
    {
      name: 'networks resolved to ids, with aliases',
      input: { networks: [{ name: 'backend', aliases: ['api'] }] },
      check: (s) => assert.deepEqual(s.TaskTemplate.Networks, [{ Target: 'net-id-1', Aliases: ['api'] }]),
    },
    {
      name: 'mounts: volume, tmpfs with size, bind',
      input: {
        mounts: [
          { type: 'volume', source: 'data', target: '/data', readOnly: true },
          { type: 'tmpfs', target: '/tmp', tmpfsSize: '64M' },
          { type: 'bind', source: '/srv/x/../y', target: '/y' },
        ],
      },
      check: (s) =>
        assert.deepEqual(s.TaskTemplate.ContainerSpec!.Mounts, [
          { Type: 'volume', Target: '/data', ReadOnly: true, Source: 'data' },
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * M } },
          { Type: 'bind', Target: '/y', Source: '/srv/y' },
        ]),
    },
    {
      name: 'resources: decimal cpus and memory units',
      input: { resources: { limits: { cpus: 0.5, memory: '512M' }, reservations: { cpus: 0.25, memory: 128 * M } } },
      check: (s) =>
        assert.deepEqual(s.TaskTemplate.Resources, {
          Limits: { NanoCPUs: 500_000_000, MemoryBytes: 512 * M },
          Reservations: { NanoCPUs: 250_000_000, MemoryBytes: 128 * M },
        }),
    },
    {
      name: 'placement',
      input: { placement: { constraints: ['node.role == worker'], preferences: [{ spread: 'node.labels.zone' }], maxReplicasPerNode: 2 } },
      check: (s) =>
        assert.deepEqual(s.TaskTemplate.Placement, {
          Constraints: ['node.role==worker'],
          Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }],
          MaxReplicas: 2,
        }),
    },
    {
      name: 'restart policy: seconds to ns, defaults fill the rest',
      input: { restartPolicy: { condition: 'on-failure', maxAttempts: 3 } },
      check: (s) => assert.deepEqual(s.TaskTemplate.RestartPolicy, { ...DEFAULT_RESTART_POLICY, Condition: 'on-failure', MaxAttempts: 3 }),
    },
    {
      name: 'update and rollback config',
      input: {
        updateConfig: { parallelism: 2, delaySeconds: 1.5, order: 'start-first', failureAction: 'rollback', monitorSeconds: 10, maxFailureRatio: 0.25 },
        rollbackConfig: { parallelism: 0 },
      },
      check: (s) => {
        assert.deepEqual(s.UpdateConfig, { Parallelism: 2, Delay: 1_500_000_000, Order: 'start-first', FailureAction: 'rollback', Monitor: 10e9, MaxFailureRatio: 0.25 });
        assert.deepEqual(s.RollbackConfig, { ...DEFAULT_UPDATE_CONFIG, Parallelism: 0 });
      },
    },
    {
      name: 'healthcheck',
      input: { healthcheck: { test: ['CMD-SHELL', 'true'], intervalSeconds: 2, timeoutSeconds: 1, retries: 3, startPeriodSeconds: 0.5 } },
      check: (s) =>
        assert.deepEqual(s.TaskTemplate.ContainerSpec!.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 2e9, Timeout: 1e9, Retries: 3, StartPeriod: 5e8 }),
    },
    {
      name: 'allowed host settings: capabilities and sysctls',
      input: { capAdd: ['net_admin'], capDrop: ['CAP_NET_RAW'], sysctls: { 'net.core.somaxconn': '1024' } },
      check: (s) => {
        const cs = s.TaskTemplate.ContainerSpec!;
        assert.deepEqual([cs.CapabilityAdd, cs.CapabilityDrop, cs.Sysctls], [['CAP_NET_ADMIN'], ['CAP_NET_RAW'], { 'net.core.somaxconn': '1024' }]);
      },
    },
  ];
  for (const c of cases) it(c.name, () => c.check(build(c.input)));

  it('does not touch the spec it was given', () => {
    const base = emptySpec('web');
    const copy = structuredClone(base);
    build({ replicas: 2, env: { A: '1' } }, base);
    assert.deepEqual(base, copy);
  });
});

describe('spec builder: PATCH semantics on an existing spec', () => {
  const current = build({
    replicas: 2,
    env: { A: '1' },
    labels: { team: 'a' },
    ports: [{ target: 80, published: 8080, mode: 'host' }],
    resources: { limits: { cpus: 1, memory: '1G' }, reservations: { cpus: 0.5 } },
    placement: { constraints: ['node.role==worker'], maxReplicasPerNode: 2 },
    restartPolicy: { condition: 'on-failure', maxAttempts: 3 },
    updateConfig: { parallelism: 2, order: 'start-first' },
    healthcheck: { test: ['CMD', 'true'], retries: 2 },
  });
  const patch = (input: ServiceInput) => applyServiceInput(current, input, ctx);

  const cases: Array<{ name: string; input: ServiceInput; check: (s: EngineServiceSpec) => void }> = [
    {
      name: 'groups not given stay as they are',
      input: { image: 'lab/web:v2' },
      check: (s) => assert.deepEqual({ ...s, TaskTemplate: { ...s.TaskTemplate, ContainerSpec: { ...s.TaskTemplate.ContainerSpec, Image: 'lab/web:v1' } } }, current),
    },
    { name: 'replicas change', input: { replicas: 5 }, check: (s) => assert.equal(s.Mode?.Replicated?.Replicas, 5) },
    {
      name: 'object groups merge field by field',
      input: { updateConfig: { delaySeconds: 3 }, restartPolicy: { maxAttempts: 5 } },
      check: (s) => {
        assert.equal(s.UpdateConfig?.Parallelism, 2);
        assert.equal(s.UpdateConfig?.Order, 'start-first');
        assert.equal(s.UpdateConfig?.Delay, 3e9);
        assert.equal(s.TaskTemplate.RestartPolicy?.Condition, 'on-failure');
        assert.equal(s.TaskTemplate.RestartPolicy?.MaxAttempts, 5);
      },
    },
    {
      name: 'resources merge per amount; 0 clears one amount',
      input: { resources: { limits: { memory: '2G' }, reservations: { cpus: 0 } } },
      check: (s) => assert.deepEqual(s.TaskTemplate.Resources, { Limits: { NanoCPUs: 1e9, MemoryBytes: 2 * G } }),
    },
    {
      name: 'null clears a group',
      input: { healthcheck: null, placement: null, updateConfig: null, env: null, ports: null, resources: { limits: null } },
      check: (s) => {
        const cs = s.TaskTemplate.ContainerSpec!;
        assert.equal(cs.Healthcheck, undefined);
        assert.equal(cs.Env, undefined);
        assert.equal(s.TaskTemplate.Placement, undefined);
        assert.equal(s.UpdateConfig, undefined);
        assert.deepEqual(s.EndpointSpec?.Ports, []);
        assert.deepEqual(s.TaskTemplate.Resources, { Reservations: { NanoCPUs: 5e8 } });
      },
    },
    {
      name: 'lists and maps replace',
      input: { env: { B: '2' }, labels: { team: 'a', tier: 'web' }, placement: { constraints: [] } },
      check: (s) => {
        assert.deepEqual(s.TaskTemplate.ContainerSpec!.Env, ['B=2']);
        assert.deepEqual(s.Labels, { team: 'a', tier: 'web' });
        assert.deepEqual(s.TaskTemplate.Placement, { MaxReplicas: 2 });
      },
    },
    {
      name: 'networks replace and drop the deprecated top-level list',
      input: { networks: [{ name: 'net-id-1' }] },
      check: (s) => {
        assert.deepEqual(s.TaskTemplate.Networks, [{ Target: 'net-id-1' }]);
        assert.equal(s.Networks, undefined);
      },
    },
  ];
  for (const c of cases) it(c.name, () => c.check(patch(c.input)));
});

describe('spec builder: semantic errors name the field', () => {
  const global = build({ mode: 'global' });
  const cases: Array<{ name: string; input: ServiceInput; base?: EngineServiceSpec; paths: string[] }> = [
    { name: 'replicas with global mode', input: { mode: 'global', replicas: 2 }, paths: ['replicas'] },
    { name: 'replicas above MAX_REPLICAS', input: { replicas: 101 }, paths: ['replicas'] },
    { name: 'mode change', input: { mode: 'global' }, base: build({}), paths: ['mode'] },
    { name: 'scaling a global service', input: { replicas: 3 }, base: global, paths: ['replicas'] },
    { name: 'maxReplicasPerNode on a global service', input: { mode: 'global', placement: { maxReplicasPerNode: 1 } }, paths: ['placement.maxReplicasPerNode'] },
    { name: 'unknown network', input: { networks: [{ name: 'backend' }, { name: 'nope' }] }, paths: ['networks.1.name'] },
    { name: 'duplicate published port', input: { ports: [{ target: 80, published: 80 }, { target: 81, published: 80 }] }, paths: ['ports.1.published'] },
    { name: 'ingress port with dnsrr', input: { endpointMode: 'dnsrr', ports: [{ target: 80, published: 80 }] }, paths: ['ports.0.mode'] },
    { name: 'reservation above limit', input: { resources: { limits: { cpus: 0.5 }, reservations: { cpus: 1 } } }, paths: ['resources.reservations.cpus'] },
    { name: 'memory reservation above limit', input: { resources: { limits: { memory: '64M' }, reservations: { memory: '1G' } } }, paths: ['resources.reservations.memory'] },
    { name: 'memory limit below engine minimum', input: { resources: { limits: { memory: '1M' } } }, paths: ['resources.limits.memory'] },
    { name: 'cpus too precise to express', input: { resources: { limits: { cpus: 1e-12 } } }, paths: ['resources.limits.cpus'] },
    { name: 'volume source that is a path', input: { mounts: [{ type: 'volume', source: '/etc', target: '/x' }] }, paths: ['mounts.0.source'] },
    { name: 'tmpfs with a source', input: { mounts: [{ type: 'tmpfs', source: 'x', target: '/x' }] }, paths: ['mounts.0.source'] },
    { name: 'tmpfsSize on a volume', input: { mounts: [{ type: 'volume', target: '/x', tmpfsSize: '1M' }] }, paths: ['mounts.0.tmpfsSize'] },
    { name: 'mount over the root', input: { mounts: [{ type: 'volume', target: '/x/..' }] }, paths: ['mounts.0.target'] },
    { name: 'bad healthcheck kind', input: { healthcheck: { test: ['echo', 'x'] } }, paths: ['healthcheck.test'] },
    { name: 'sub-millisecond interval', input: { healthcheck: { test: ['NONE'], intervalSeconds: 0.0001 } }, paths: ['healthcheck.intervalSeconds'] },
    { name: 'bad constraint and spread', input: { placement: { constraints: ['node.role==worker', 'zone=a'], preferences: [{ spread: 'zone' }] } }, paths: ['placement.constraints.1', 'placement.preferences.0.spread'] },
    { name: 'privileged even when allowed', input: { privileged: true }, paths: ['privileged'] },
    { name: 'host pid/ipc and devices even when allowed', input: { pid: 'host', ipc: 'host', devices: ['/dev/fuse'] }, paths: ['pid', 'ipc', 'devices'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const errs = errorsOf(() => applyServiceInput(c.base ?? emptySpec('web'), { image: 'lab/web:v1', ...c.input }, ctx));
      assert.deepEqual(errs.map((e) => e.path).sort(), [...c.paths].sort(), JSON.stringify(errs));
    });
  }
});

describe('spec builder: shared group translators', () => {
  it('toEngineUpdateConfig fills defaults on first use and merges later', () => {
    assert.deepEqual(toEngineUpdateConfig({ order: 'start-first' }), { ...DEFAULT_UPDATE_CONFIG, Order: 'start-first' });
    assert.deepEqual(toEngineUpdateConfig({ parallelism: 3 }, { Parallelism: 1, Order: 'start-first' }), { Parallelism: 3, Order: 'start-first' });
  });

  const resourceCases: Array<{ name: string; input: any; current?: any; want?: any; paths?: string[] }> = [
    { name: 'sets limits', input: { limits: { cpus: 2, memory: 1073741824 } }, want: { Limits: { NanoCPUs: 2e9, MemoryBytes: G } } },
    { name: 'keeps what is not named', input: { reservations: { memory: '256Mi' } }, current: { Limits: { NanoCPUs: 1e9 } }, want: { Limits: { NanoCPUs: 1e9 }, Reservations: { MemoryBytes: 256 * M } } },
    { name: 'clears with null, leaves nothing', input: { limits: null }, current: { Limits: { NanoCPUs: 1e9 } }, want: undefined },
    { name: 'checks against the merged limit', input: { reservations: { cpus: 2 } }, current: { Limits: { NanoCPUs: 1e9 } }, paths: ['reservations.cpus'] },
  ];
  for (const c of resourceCases) {
    it(`toEngineResources ${c.name}`, () => {
      if (c.paths) assert.deepEqual(errorsOf(() => toEngineResources(c.input, c.current, '')).map((e) => e.path), c.paths);
      else assert.deepEqual(toEngineResources(c.input, c.current, ''), c.want);
    });
  }

  it('resourceErrors is quiet without limits', () => {
    assert.deepEqual(resourceErrors({ Reservations: { NanoCPUs: 64e9 } }), []);
  });

  it('toEnginePlacement: 0 max replicas means none, empty lists clear', () => {
    assert.equal(toEnginePlacement({ maxReplicasPerNode: 0, constraints: [], preferences: [] }, { MaxReplicas: 2, Constraints: ['a==b'] }), undefined);
  });

  it('specFacts is a small view for the audit log', () => {
    assert.deepEqual(specFacts(build({ replicas: 2, resources: { limits: { cpus: 0.5 } } }), 7), {
      image: 'lab/web:v1',
      mode: 'replicated',
      replicas: 2,
      version: 7,
      resources: { limits: { cpus: 0.5, memoryBytes: null }, reservations: null },
    });
  });
});
