import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, gql, removeServices, startApp, TestApp, uniqueName } from '../support/harness';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-svc-';
const ALLOWED_DIR = '/srv/t-svc-allowed';
const M = 1024 ** 2;
const G = 1024 ** 3;

/** The engine's own record of a service (null when absent): every result is checked here. */
async function inspect(name: string): Promise<any | null> {
  try {
    return await engine().getService(name).inspect();
  } catch (e: any) {
    if (e?.statusCode === 404) return null;
    throw e;
  }
}

/**
 * The engine's record once Swarm stopped writing to it: the engine bumps a service's version on
 * its own after a write (endpoint allocation, update status), so version comparisons start here.
 */
async function settled(name: string): Promise<any> {
  let prev = await inspect(name);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const cur = await inspect(name);
    if (cur.Version.Index === prev.Version.Index && cur.UpdateStatus?.State !== 'updating') return cur;
    prev = cur;
  }
  return prev;
}

function paths(body: any): string[] {
  return (body?.errors ?? []).map((e: any) => e.path);
}

/** Spec-only services: no tasks, so the suite stays fast and the nodes stay idle. */
const idle = { replicas: 0 };

describe('service lifecycle: create, PATCH, delete, vertical resources, host-escape guard', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let netName: string;
  let netId: string;

  before(async () => {
    await quietCluster();
    netName = uniqueName('svc-net');
    const net: any = await engine().createNetwork({ Name: netName, Driver: 'overlay', Attachable: true, CheckDuplicate: true } as any);
    netId = net.id;
    t = await startApp({ BIND_MOUNT_ALLOWLIST: `${ALLOWED_DIR},/,/etc,/var/run`, SPEC_ALLOW: 'capAdd:NET_ADMIN,sysctls:net.core.somaxconn' });
    admin = client(t.url, 'admin');
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
    // Tasks detach from the network asynchronously after removal.
    for (let i = 0; i < 20; i++) {
      try {
        await engine().getNetwork(netId).remove();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  });

  it('POST /v1/services with every spec group: 201, and the engine spec holds each group', async () => {
    const name = uniqueName('svc-full');
    const body = {
      name,
      image: 'lab/web:v1',
      replicas: 0,
      command: ['/bin/httpd'],
      args: ['-f', '-p', '8080', '-h', '/www'],
      env: { GREETING: 'hello', EMPTY: '' },
      labels: { team: 'a', tier: 'web' },
      ports: [{ target: 8080, published: 18080, protocol: 'tcp', mode: 'host' }],
      endpointMode: 'dnsrr',
      networks: [{ name: netName, aliases: ['web-alias', 'www'] }],
      mounts: [
        { type: 'volume', source: `${name}-data`, target: '/data' },
        { type: 'tmpfs', target: '/cache', tmpfsSize: '16M' },
        { type: 'bind', source: `${ALLOWED_DIR}/app`, target: '/app', readOnly: true },
      ],
      resources: { limits: { cpus: 0.5, memory: '256M' }, reservations: { cpus: 0.1, memory: 64 * M } },
      placement: { constraints: ['node.role==worker'], preferences: [{ spread: 'node.labels.zone' }], maxReplicasPerNode: 2 },
      restartPolicy: { condition: 'on-failure', delaySeconds: 2, maxAttempts: 4, windowSeconds: 30 },
      updateConfig: { parallelism: 2, delaySeconds: 1.5, order: 'start-first', failureAction: 'rollback', monitorSeconds: 3, maxFailureRatio: 0.2 },
      rollbackConfig: { parallelism: 1, delaySeconds: 0, order: 'stop-first', failureAction: 'continue', monitorSeconds: 1, maxFailureRatio: 0 },
      healthcheck: { test: ['CMD-SHELL', 'wget -q -O- localhost:8080 || exit 1'], intervalSeconds: 5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 1 },
      capAdd: ['NET_ADMIN'],
      capDrop: ['NET_RAW'],
      sysctls: { 'net.core.somaxconn': '1024' },
    };
    const res = await admin.post('/v1/services', body);
    assert.equal(res.status, 201, res.text);
    const s = await inspect(name);
    assert.ok(s, 'service exists in the engine');
    assert.equal(res.headers.get('etag'), `"${res.body.version}"`);
    assert.equal(res.headers.get('location'), `/v1/services/${name}`);
    assert.ok(s.Version.Index >= res.body.version);
    const spec = s.Spec;
    const tt = spec.TaskTemplate;
    const cs = tt.ContainerSpec;
    assert.match(cs.Image, /^lab\/web:v1/);
    assert.deepEqual(spec.Mode, { Replicated: { Replicas: 0 } });
    assert.deepEqual([cs.Command, cs.Args], [body.command, body.args]);
    assert.deepEqual(cs.Env.sort(), ['EMPTY=', 'GREETING=hello']);
    assert.deepEqual(spec.Labels, { team: 'a', tier: 'web' });
    assert.equal(spec.EndpointSpec.Mode, 'dnsrr');
    assert.deepEqual(spec.EndpointSpec.Ports, [{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 18080, PublishMode: 'host' }]);
    assert.deepEqual(tt.Networks, [{ Target: netId, Aliases: ['web-alias', 'www'] }]);
    assert.deepEqual(
      cs.Mounts.map((m: any) => [m.Type, m.Source ?? null, m.Target, !!m.ReadOnly, m.TmpfsOptions?.SizeBytes ?? null]),
      [
        ['volume', `${name}-data`, '/data', false, null],
        ['tmpfs', null, '/cache', false, 16 * M],
        ['bind', `${ALLOWED_DIR}/app`, '/app', true, null],
      ],
    );
    assert.deepEqual(tt.Resources, { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 256 * M }, Reservations: { NanoCPUs: 100_000_000, MemoryBytes: 64 * M } });
    assert.deepEqual(tt.Placement.Constraints, ['node.role==worker']);
    assert.deepEqual(tt.Placement.Preferences, [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }]);
    assert.equal(tt.Placement.MaxReplicas, 2);
    assert.deepEqual(tt.RestartPolicy, { Condition: 'on-failure', Delay: 2e9, MaxAttempts: 4, Window: 30e9 });
    assert.deepEqual(spec.UpdateConfig, { Parallelism: 2, Delay: 1.5e9, FailureAction: 'rollback', Monitor: 3e9, MaxFailureRatio: 0.2, Order: 'start-first' });
    assert.deepEqual(spec.RollbackConfig, { Parallelism: 1, FailureAction: 'continue', Monitor: 1e9, MaxFailureRatio: 0, Order: 'stop-first' });
    assert.deepEqual(cs.Healthcheck, { Test: body.healthcheck.test, Interval: 5e9, Timeout: 2e9, Retries: 3, StartPeriod: 1e9 });
    assert.deepEqual([cs.CapabilityAdd, cs.CapabilityDrop, cs.Sysctls], [['CAP_NET_ADMIN'], ['CAP_NET_RAW'], { 'net.core.somaxconn': '1024' }]);

    // Read-your-writes: an immediate GET answers the new service in our own terms.
    const got = await admin.get(`/v1/services/${name}`);
    assert.equal(got.status, 200);
    assert.ok(got.body.version >= res.body.version);
    assert.deepEqual(got.body.networks, [{ id: netId, name: netName, aliases: ['web-alias', 'www'] }]);
    assert.deepEqual(got.body.resources, { limits: { cpus: 0.5, memoryBytes: 256 * M }, reservations: { cpus: 0.1, memoryBytes: 64 * M } });
    assert.deepEqual(got.body.healthcheck, { test: body.healthcheck.test, intervalSeconds: 5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 1 });
    assert.deepEqual(got.body.updateConfig, { parallelism: 2, delaySeconds: 1.5, order: 'start-first', failureAction: 'rollback', monitorSeconds: 3, maxFailureRatio: 0.2 });
  });

  it('global mode: created as global; it cannot be scaled or switched to replicated', async () => {
    const name = uniqueName('svc-global');
    const res = await admin.post('/v1/services', { name, image: 'lab/web:v1', mode: 'global', placement: { constraints: ['node.labels.t-svc-none==x'] } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual((await inspect(name)).Spec.Mode, { Global: {} });
    assert.equal(res.body.replicas.desired, null);
    const scale = await admin.patch(`/v1/services/${name}`, { replicas: 2 });
    assert.equal(scale.status, 400);
    assert.deepEqual(paths(scale.body), ['replicas']);
    const mode = await admin.patch(`/v1/services/${name}`, { mode: 'replicated' });
    assert.equal(mode.status, 400);
    assert.deepEqual(paths(mode.body), ['mode']);
  });

  it('PATCH merges the given groups into the engine spec; the rest stays; null clears; ETag is the new version', async () => {
    const name = uniqueName('svc-patch');
    const created = await admin.post('/v1/services', {
      name,
      image: 'lab/web:v1',
      ...idle,
      env: { A: '1' },
      labels: { team: 'a' },
      resources: { limits: { cpus: 1, memory: '512M' } },
      updateConfig: { parallelism: 3, order: 'start-first' },
      restartPolicy: { condition: 'on-failure', maxAttempts: 2 },
      healthcheck: { test: ['CMD', 'true'], retries: 2 },
      placement: { constraints: ['node.role==worker'] },
    });
    assert.equal(created.status, 201, created.text);
    const before = await settled(name);
    assert.deepEqual(before.Spec.TaskTemplate.ContainerSpec.Healthcheck, { Test: ['CMD', 'true'], Retries: 2 });

    const res = await admin.patch(
      `/v1/services/${name}`,
      {
        image: 'lab/web:v2',
        replicas: 0,
        command: ['/bin/sh'],
        args: ['-c', 'sleep 1000'],
        env: { B: '2' },
        ports: [{ target: 80, published: 18081, mode: 'host' }],
        networks: [{ name: netName, aliases: ['patched'] }],
        mounts: [{ type: 'tmpfs', target: '/scratch' }],
        resources: { limits: { memory: '1G' }, reservations: { cpus: 0.25 } },
        updateConfig: { delaySeconds: 4, failureAction: 'continue' },
        rollbackConfig: { order: 'start-first' },
        restartPolicy: { windowSeconds: 10 },
        placement: { preferences: [{ spread: 'node.labels.zone' }], maxReplicasPerNode: 1 },
        healthcheck: null,
      },
      { 'if-match': `"${before.Version.Index}"` },
    );
    assert.equal(res.status, 200, res.text);
    const s = await inspect(name);
    // The answer carries the version right after the write; Swarm itself bumps it again when
    // the rolling update it started records its status, so the engine may already be past it.
    assert.ok(res.body.version > before.Version.Index);
    assert.ok(s.Version.Index >= res.body.version);
    assert.equal(res.headers.get('etag'), `"${res.body.version}"`);
    const tt = s.Spec.TaskTemplate;
    const cs = tt.ContainerSpec;
    assert.match(cs.Image, /^lab\/web:v2/);
    assert.deepEqual([cs.Command, cs.Args, cs.Env], [['/bin/sh'], ['-c', 'sleep 1000'], ['B=2']]);
    assert.deepEqual(s.Spec.Labels, { team: 'a' }, 'labels not given: unchanged');
    assert.deepEqual(s.Spec.EndpointSpec.Ports, [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 18081, PublishMode: 'host' }]);
    assert.deepEqual(tt.Networks, [{ Target: netId, Aliases: ['patched'] }]);
    assert.deepEqual(cs.Mounts, [{ Type: 'tmpfs', Target: '/scratch' }]);
    assert.deepEqual(tt.Resources, { Limits: { NanoCPUs: 1e9, MemoryBytes: G }, Reservations: { NanoCPUs: 250_000_000 } });
    assert.deepEqual(s.Spec.UpdateConfig, { Parallelism: 3, Delay: 4e9, FailureAction: 'continue', Monitor: 5e9, MaxFailureRatio: 0, Order: 'start-first' });
    assert.deepEqual(s.Spec.RollbackConfig, { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'start-first' });
    assert.deepEqual(tt.RestartPolicy, { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 2, Window: 10e9 });
    assert.deepEqual(tt.Placement, { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 1 });
    assert.equal(cs.Healthcheck, undefined, 'null cleared the healthcheck');

    const got = await admin.get(`/v1/services/${name}`);
    assert.ok(got.body.version >= res.body.version, 'an immediate GET sees the write');
    assert.equal(got.body.image, 'lab/web:v2');
    assert.deepEqual(got.body.env, { B: '2' });
  });

  it('If-Match: a stale version is 409 VERSION_CONFLICT and changes nothing; garbage is 400', async () => {
    const name = uniqueName('svc-ifmatch');
    assert.equal((await admin.post('/v1/services', { name, image: 'lab/web:v1', ...idle })).status, 201);
    const v1 = (await settled(name)).Version.Index;
    assert.equal((await admin.patch(`/v1/services/${name}`, { env: { X: '1' } })).status, 200);
    const v2 = (await settled(name)).Version.Index;
    const stale = await admin.patch(`/v1/services/${name}`, { env: { X: 'stale' } }, { 'if-match': String(v1) });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'VERSION_CONFLICT');
    const s = await inspect(name);
    assert.equal(s.Version.Index, v2);
    assert.deepEqual(s.Spec.TaskTemplate.ContainerSpec.Env, ['X=1']);
    const bad = await admin.patch(`/v1/services/${name}`, { env: {} }, { 'if-match': 'yesterday' });
    assert.equal(bad.status, 400);
    assert.deepEqual(paths(bad.body), ['If-Match']);
    const fresh = await admin.patch(`/v1/services/${name}`, { env: { X: '2' } }, { 'if-match': `W/"${v2}"` });
    assert.equal(fresh.status, 200);
  });

  it('duplicate name: 409 SERVICE_EXISTS; DELETE: 204 then 404; roles enforced', async () => {
    const name = uniqueName('svc-dup');
    assert.equal((await admin.post('/v1/services', { name, image: 'lab/web:v1', ...idle })).status, 201);
    const dup = await admin.post('/v1/services', { name, image: 'lab/web:v2', ...idle });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'SERVICE_EXISTS');
    assert.match((await inspect(name)).Spec.TaskTemplate.ContainerSpec.Image, /lab\/web:v1/);

    assert.equal((await client(t.url, 'deployer').post('/v1/services', { name: uniqueName('svc-nope'), image: 'lab/web:v1' })).status, 403);
    assert.equal((await client(t.url, 'deployer').patch(`/v1/services/${name}`, { env: {} })).status, 403);
    assert.equal((await client(t.url, 'deployer').delete(`/v1/services/${name}`)).status, 403);
    assert.ok(await inspect(name));

    const del = await admin.delete(`/v1/services/${name}`);
    assert.equal(del.status, 204);
    assert.equal(await inspect(name), null);
    assert.equal((await admin.get(`/v1/services/${name}`)).status, 404);
    const again = await admin.delete(`/v1/services/${name}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'SERVICE_NOT_FOUND');
    assert.equal((await admin.patch('/v1/services/t-svc-missing', { env: {} })).status, 404);
  });

  it('unknown fields are refused at every level, naming the field; nothing reaches the engine', async () => {
    const cases: Array<[any, string]> = [
      [{ privilegedMode: true }, 'privilegedMode'],
      [{ resources: { limits: { cpu: 1 } } }, 'resources.limits.cpu'],
      [{ ports: [{ target: 80, hostPort: 80 }] }, 'ports.0.hostPort'],
      [{ updateConfig: { parallelism: 1, speed: 'fast' } }, 'updateConfig.speed'],
      [{ networks: [{ name: 'x', driver: 'host' }] }, 'networks.0.driver'],
      [{ healthcheck: { test: ['NONE'], disable: true } }, 'healthcheck.disable'],
    ];
    for (const [extra, path] of cases) {
      const name = uniqueName('svc-unknown');
      const res = await admin.post('/v1/services', { name, image: 'lab/web:v1', ...idle, ...extra });
      assert.equal(res.status, 400, path);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(paths(res.body).includes(path), `${path} in ${JSON.stringify(res.body.errors)}`);
      assert.equal(await inspect(name), null);
    }
    const name = uniqueName('svc-unknown-patch');
    assert.equal((await admin.post('/v1/services', { name, image: 'lab/web:v1', ...idle })).status, 201);
    const v = (await settled(name)).Version.Index;
    for (const [extra, path] of [...cases, [{ name: 'renamed' }, 'name'] as [any, string]]) {
      const res = await admin.patch(`/v1/services/${name}`, extra);
      assert.equal(res.status, 400, path);
      assert.ok(paths(res.body).includes(path), `${path} in ${JSON.stringify(res.body.errors)}`);
    }
    assert.equal((await inspect(name)).Version.Index, v);
  });

  it('every bad input class answers 400 VALIDATION_FAILED with the field path, never a 500', async () => {
    const cases: Array<[any, string]> = [
      [{ replicas: '3' }, 'replicas'],
      [{ replicas: -1 }, 'replicas'],
      [{ replicas: 1.5 }, 'replicas'],
      [{ replicas: 1e20 }, 'replicas'],
      [{ replicas: 101 }, 'replicas'], // above MAX_REPLICAS (100 by default)
      [{ resources: { limits: { cpus: -0.5 } } }, 'resources.limits.cpus'],
      [{ resources: { limits: { cpus: 'half' } } }, 'resources.limits.cpus'],
      [{ resources: { limits: { cpus: 1e12 } } }, 'resources.limits.cpus'],
      [{ resources: { limits: { memory: '512Q' } } }, 'resources.limits.memory'],
      [{ resources: { limits: { memory: '1M' } } }, 'resources.limits.memory'],
      [{ resources: { reservations: { memory: -1 } } }, 'resources.reservations.memory'],
      [{ resources: { reservations: { memory: 1.5 } } }, 'resources.reservations.memory'],
      [{ resources: { limits: { cpus: 0.5 }, reservations: { cpus: 1 } } }, 'resources.reservations.cpus'],
      [{ resources: { limits: { cpus: null } } }, 'resources.limits.cpus'],
      [{ resources: 'lots' }, 'resources'],
      [{ restartPolicy: { condition: 'sometimes' } }, 'restartPolicy.condition'],
      [{ restartPolicy: { condition: null } }, 'restartPolicy.condition'],
      [{ restartPolicy: { delaySeconds: -1 } }, 'restartPolicy.delaySeconds'],
      [{ updateConfig: { order: 'sideways' } }, 'updateConfig.order'],
      [{ updateConfig: { failureAction: 'explode' } }, 'updateConfig.failureAction'],
      [{ updateConfig: { parallelism: 0.5 } }, 'updateConfig.parallelism'],
      [{ rollbackConfig: { maxFailureRatio: 1.5 } }, 'rollbackConfig.maxFailureRatio'],
      [{ ports: [{ target: 0 }] }, 'ports.0.target'],
      [{ ports: [{ target: 80, published: 99999 }] }, 'ports.0.published'],
      [{ ports: [{ target: 80, mode: 'mesh' }] }, 'ports.0.mode'],
      [{ ports: [{ target: 80, protocol: 'icmp' }] }, 'ports.0.protocol'],
      [{ ports: 'all' }, 'ports'],
      [{ endpointMode: 'dns' }, 'endpointMode'],
      [{ endpointMode: 'dnsrr', ports: [{ target: 80, published: 18099 }] }, 'ports.0.mode'],
      [{ mode: 'daemonset' }, 'mode'],
      [{ env: { A: 1 } }, 'env'],
      [{ labels: 'team=a' }, 'labels'],
      [{ command: 'httpd' }, 'command'],
      [{ mounts: [{ type: 'volume', target: 'relative' }] }, 'mounts.0.target'],
      [{ mounts: [{ type: 'nfs', target: '/x' }] }, 'mounts.0.type'],
      [{ mounts: [{ type: 'volume', source: '/abs/path', target: '/x' }] }, 'mounts.0.source'],
      [{ placement: { constraints: ['zone=a'] } }, 'placement.constraints.0'],
      [{ placement: { maxReplicasPerNode: -2 } }, 'placement.maxReplicasPerNode'],
      [{ placement: { preferences: [{ spread: 'zone' }] } }, 'placement.preferences.0.spread'],
      [{ healthcheck: { test: 'true' } }, 'healthcheck.test'],
      [{ healthcheck: { test: ['echo'] } }, 'healthcheck.test'],
      [{ healthcheck: { test: ['NONE'], retries: 1e6 } }, 'healthcheck.retries'],
      [{ networks: [{ name: 't-svc-no-such-network' }] }, 'networks.0.name'],
      [{ image: 'not an image' }, 'image'],
      [{ name: '-bad' }, 'name'],
    ];
    for (const [fields, path] of cases) {
      const name = fields.name ?? uniqueName('svc-bad');
      const res = await admin.post('/v1/services', { name, image: 'lab/web:v1', ...idle, ...fields });
      assert.equal(res.status, 400, `${JSON.stringify(fields)}: ${res.text}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(paths(res.body).includes(path), `${path} in ${JSON.stringify(res.body.errors)}`);
      assert.ok(res.body.requestId);
      if (!fields.name) assert.equal(await inspect(name), null);
    }
    const notJson = await admin.call('POST', '/v1/services', '{"name": ', { 'content-type': 'application/json' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.code, 'VALIDATION_FAILED');
  });

  describe('host-escape guard: refused on create AND on PATCH, nothing reaches the engine', () => {
    const forms: Array<[string, any, string]> = [
      ['engine socket (listed or not)', { mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] }, 'mounts.0.source'],
      ['the directory of the socket', { mounts: [{ type: 'bind', source: '/var/run', target: '/host-run' }] }, 'mounts.0.source'],
      ['host root', { mounts: [{ type: 'bind', source: '/', target: '/host' }] }, 'mounts.0.source'],
      ['/etc', { mounts: [{ type: 'bind', source: '/etc', target: '/host-etc' }] }, 'mounts.0.source'],
      ['/etc through ..', { mounts: [{ type: 'bind', source: `${ALLOWED_DIR}/../../etc`, target: '/e' }] }, 'mounts.0.source'],
      ['bind outside the allow-list', { mounts: [{ type: 'bind', source: '/home', target: '/h' }] }, 'mounts.0.source'],
      ['capAdd', { capAdd: ['SYS_ADMIN'] }, 'capAdd.0'],
      ['capAdd ALL', { capAdd: ['ALL'] }, 'capAdd.0'],
      ['privileged', { privileged: true }, 'privileged'],
      ['host network', { networks: [{ name: 'host' }] }, 'networks.0.name'],
      ['host PID', { pid: 'host' }, 'pid'],
      ['host IPC', { ipc: 'host' }, 'ipc'],
      ['devices', { devices: ['/dev/sda'] }, 'devices.0'],
      ['sysctls not allowed', { sysctls: { 'kernel.shmmax': '1' } }, 'sysctls.kernel.shmmax'],
    ];
    let target: string;
    let version: number;

    before(async () => {
      target = uniqueName('svc-guard');
      assert.equal((await admin.post('/v1/services', { name: target, image: 'lab/web:v1', ...idle })).status, 201);
      version = (await settled(target)).Version.Index;
    });

    for (const [what, fields, path] of forms) {
      it(`${what}: 403 SPEC_NOT_ALLOWED at ${path}`, async () => {
        const name = uniqueName('svc-escape');
        const res = await admin.post('/v1/services', { name, image: 'lab/web:v1', ...idle, ...fields });
        assert.equal(res.status, 403, res.text);
        assert.equal(res.body.code, 'SPEC_NOT_ALLOWED');
        assert.deepEqual(paths(res.body), [path]);
        assert.equal(await inspect(name), null, 'nothing created');

        const patch = await admin.patch(`/v1/services/${target}`, fields);
        assert.equal(patch.status, 403, patch.text);
        assert.equal(patch.body.code, 'SPEC_NOT_ALLOWED');
        assert.deepEqual(paths(patch.body), [path]);
        const s = await inspect(target);
        assert.equal(s.Version.Index, version, 'the engine spec was not written');
        const cs = s.Spec.TaskTemplate.ContainerSpec;
        assert.equal(cs.Mounts, undefined);
        assert.equal(cs.CapabilityAdd, undefined);
        assert.equal(s.Spec.TaskTemplate.Networks, undefined);

        const g = await gql(t.url, 'mutation($n: String!, $i: UpdateServiceInput!) { updateService(name: $n, input: $i) { version } }', { n: target, i: fields });
        assert.equal(g.errors?.[0]?.extensions?.code, 'SPEC_NOT_ALLOWED', JSON.stringify(g.errors));
        assert.equal((await inspect(target)).Version.Index, version);
      });
    }

    it('what SPEC_ALLOW and BIND_MOUNT_ALLOWLIST name exactly is let through (to the engine)', async () => {
      const res = await admin.patch(`/v1/services/${target}`, {
        capAdd: ['NET_ADMIN'],
        sysctls: { 'net.core.somaxconn': '512' },
        mounts: [{ type: 'bind', source: ALLOWED_DIR, target: '/shared' }],
      });
      assert.equal(res.status, 200, res.text);
      const cs = (await inspect(target)).Spec.TaskTemplate.ContainerSpec;
      assert.deepEqual(cs.CapabilityAdd, ['CAP_NET_ADMIN']);
      assert.deepEqual(cs.Sysctls, { 'net.core.somaxconn': '512' });
      assert.deepEqual(cs.Mounts, [{ Type: 'bind', Source: ALLOWED_DIR, Target: '/shared' }]);
      version = (await settled(target)).Version.Index;
    });
  });

  it('PUT /v1/services/{name}/resources: limits and reservations land in the engine spec; 400, 422 UNSCHEDULABLE and force', async () => {
    const name = uniqueName('svc-res');
    assert.equal((await admin.post('/v1/services', { name, image: 'lab/web:v1', replicas: 1, labels: { team: 'b' } })).status, 201);
    const deployer = client(t.url, 'deployer');

    const res = await deployer.put(`/v1/services/${name}/resources`, { limits: { cpus: 0.5, memory: '256M' }, reservations: { cpus: 0.1, memory: '32M' } });
    assert.equal(res.status, 200, res.text);
    let s = await inspect(name);
    assert.deepEqual(s.Spec.TaskTemplate.Resources, { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 256 * M }, Reservations: { NanoCPUs: 100_000_000, MemoryBytes: 32 * M } });
    assert.equal(res.headers.get('etag'), `"${res.body.version}"`);
    assert.ok(s.Version.Index >= res.body.version);
    assert.deepEqual(res.body.resources, { limits: { cpus: 0.5, memoryBytes: 256 * M }, reservations: { cpus: 0.1, memoryBytes: 32 * M } });

    const merged = await deployer.put(`/v1/services/${name}/resources`, { limits: { cpus: 1 } });
    assert.equal(merged.status, 200);
    s = await inspect(name);
    assert.deepEqual(s.Spec.TaskTemplate.Resources.Limits, { NanoCPUs: 1e9, MemoryBytes: 256 * M });

    const above = await deployer.put(`/v1/services/${name}/resources`, { reservations: { memory: '512M' } });
    assert.equal(above.status, 400);
    assert.deepEqual(paths(above.body), ['reservations.memory']);

    const nodes = (await engine().listNodes()) as any[];
    const most = Math.max(...nodes.map((n) => n.Description.Resources.NanoCPUs)) / 1e9;
    const v = (await settled(name)).Version.Index;
    const tooBig = await deployer.put(`/v1/services/${name}/resources`, { limits: null, reservations: { cpus: most + 1 } });
    assert.equal(tooBig.status, 422, tooBig.text);
    assert.equal(tooBig.body.code, 'UNSCHEDULABLE');
    assert.ok(Array.isArray(tooBig.body.nodes) && tooBig.body.nodes.length >= 1);
    assert.equal((await inspect(name)).Version.Index, v, 'refused: the engine spec is unchanged');

    const forced = await deployer.put(`/v1/services/${name}/resources`, { limits: null, reservations: { cpus: most + 1 }, force: true });
    assert.equal(forced.status, 200, forced.text);
    s = await inspect(name);
    assert.deepEqual(s.Spec.TaskTemplate.Resources, { Reservations: { NanoCPUs: (most + 1) * 1e9, MemoryBytes: 32 * M } });

    const bad = await deployer.put(`/v1/services/${name}/resources`, { limits: { memory: '12 parsecs' }, reservations: { cpus: -1 }, extra: 1 });
    assert.equal(bad.status, 400);
    assert.deepEqual(paths(bad.body).sort(), ['extra', 'limits.memory', 'reservations.cpus']);

    assert.equal((await client(t.url, 'scaler').put(`/v1/services/${name}/resources`, { limits: { cpus: 1 } })).status, 403);
    const outOfScope = await client(t.url, 'teamA').put(`/v1/services/${name}/resources`, { limits: { cpus: 1 } });
    assert.equal(outOfScope.status, 404, 'a team=b service is absent for a team=a token');
    assert.equal((await deployer.put('/v1/services/t-svc-missing/resources', { limits: { cpus: 1 } })).status, 404);

    const g = await gql(
      t.url,
      'mutation($n: String!) { updateResources(name: $n, input: { limits: { cpus: 2, memory: "1G" }, reservations: { cpus: 0, memory: 0 } }) { resources { limits { cpus memoryBytes } reservations { cpus } } } }',
      { n: name },
      'deployer',
    );
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    assert.deepEqual((await inspect(name)).Spec.TaskTemplate.Resources, { Limits: { NanoCPUs: 2e9, MemoryBytes: G } });
    const g422 = await gql(t.url, `mutation($n: String!) { updateResources(name: $n, input: { reservations: { memory: "1000T" } }) { version } }`, { n: name }, 'deployer');
    assert.equal(g422.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED', 'reservation above the 1G limit');
  });

  it('GraphQL createService, updateService (ifMatch) and removeService do what REST does', async () => {
    const name = uniqueName('svc-gql');
    const created = await gql(
      t.url,
      `mutation($i: CreateServiceInput!) { createService(input: $i) { name version replicas { desired } resources { limits { cpus memoryBytes } } networks { name aliases } } }`,
      { i: { name, image: 'lab/web:v1', replicas: 0, resources: { limits: { cpus: 0.25, memory: '128M' } }, networks: [{ name: netName, aliases: ['g'] }] } },
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    let s = await settled(name);
    assert.ok(s.Version.Index >= created.data.createService.version);
    assert.deepEqual(s.Spec.TaskTemplate.Resources.Limits, { NanoCPUs: 250_000_000, MemoryBytes: 128 * M });
    assert.deepEqual(s.Spec.TaskTemplate.Networks, [{ Target: netId, Aliases: ['g'] }]);

    const dup = await gql(t.url, `mutation { createService(input: { name: "${name}", image: "lab/web:v1" }) { name } }`);
    assert.equal(dup.errors?.[0]?.extensions?.code, 'SERVICE_EXISTS');
    const bad = await gql(t.url, `mutation { createService(input: { name: "${name}-x", image: "lab/web:v1", replicas: -1, resources: { limits: { memory: "9Q" } } }) { name } }`);
    assert.equal(bad.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED');
    assert.deepEqual(bad.errors?.[0]?.extensions?.errors.map((e: any) => e.path).sort(), ['replicas', 'resources.limits.memory']);
    assert.equal(await inspect(`${name}-x`), null);
    const forbidden = await gql(t.url, `mutation { createService(input: { name: "${name}-y", image: "lab/web:v1" }) { name } }`, {}, 'deployer');
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');

    const upd = 'mutation($n: String!, $i: UpdateServiceInput!, $v: Int) { updateService(name: $n, input: $i, ifMatch: $v) { version image env } }';
    const stale = await gql(t.url, upd, { n: name, i: { env: { A: '1' } }, v: s.Version.Index - 1 });
    assert.equal(stale.errors?.[0]?.extensions?.code, 'VERSION_CONFLICT');
    assert.equal((await inspect(name)).Version.Index, s.Version.Index);
    const ok = await gql(t.url, upd, { n: name, i: { image: 'lab/web:v2', env: { A: '1' } }, v: s.Version.Index });
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    assert.ok(ok.data.updateService.version > s.Version.Index);
    s = await inspect(name);
    assert.ok(s.Version.Index >= ok.data.updateService.version);
    assert.match(s.Spec.TaskTemplate.ContainerSpec.Image, /lab\/web:v2/);
    assert.deepEqual(s.Spec.TaskTemplate.ContainerSpec.Env, ['A=1']);

    const removed = await gql(t.url, 'mutation($n: String!) { removeService(name: $n) }', { n: name });
    assert.equal(removed.data?.removeService, true, JSON.stringify(removed.errors));
    assert.equal(await inspect(name), null);
    const gone = await gql(t.url, 'mutation($n: String!) { removeService(name: $n) }', { n: name });
    assert.equal(gone.errors?.[0]?.extensions?.code, 'SERVICE_NOT_FOUND');
  });
});
