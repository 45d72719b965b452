import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, gql, removeServices, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-reads-';

describe('reads: services, tasks and nodes as the engine has them', () => {
  let t: TestApp;
  let web: string;
  let api: ReturnType<typeof client>;

  before(async () => {
    await quietCluster();
    web = uniqueName('reads-web');
    await engineCreateService(web, { replicas: 2, labels: { team: 'a' } });
    t = await startApp();
    api = client(t.url);
    await waitFor('2 running tasks', async () => (await api.get(`/v1/services/${web}`)).body?.replicas?.running === 2, 60_000);
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
  });

  it('GET /v1/services lists what the engine lists', async () => {
    const res = await api.get('/v1/services');
    assert.equal(res.status, 200);
    const fromEngine = await engine().listServices();
    const mine = new Map(res.body.items.map((s: any) => [s.id, s]));
    assert.equal(res.body.items.length, fromEngine.length);
    for (const s of fromEngine as any[]) {
      const v: any = mine.get(s.ID);
      assert.ok(v, `service ${s.Spec.Name} missing`);
      assert.equal(v.name, s.Spec.Name);
      assert.equal(v.version, s.Version.Index);
      assert.equal(v.replicas.desired, s.Spec.Mode.Replicated?.Replicas ?? null);
    }
    const w: any = res.body.items.find((s: any) => s.name === web);
    assert.deepEqual(
      { image: w.image, mode: w.mode, labels: w.labels, endpointMode: w.endpointMode },
      { image: 'lab/web:v1', mode: 'replicated', labels: { team: 'a' }, endpointMode: 'vip' },
    );
    for (const key of ['id', 'name', 'image', 'mode', 'replicas', 'version', 'labels', 'endpointMode', 'ports', 'updateStatus', 'createdAt', 'updatedAt']) {
      assert.ok(key in w, `summary lacks ${key}`);
    }
  });

  it('GET /v1/services/{name} details the spec; 404 SERVICE_NOT_FOUND for an unknown name', async () => {
    const res = await api.get(`/v1/services/${web}`);
    assert.equal(res.status, 200);
    for (const key of ['resources', 'placement', 'restartPolicy', 'updateConfig', 'rollbackConfig', 'networks', 'healthcheck']) {
      assert.ok(key in res.body, `detail lacks ${key}`);
    }
    const missing = await api.get('/v1/services/no-such-service-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'SERVICE_NOT_FOUND');
    assert.ok(missing.body.requestId);
    const weird = await api.get('/v1/services/' + encodeURIComponent('../../etc'));
    assert.equal(weird.status, 404);
  });

  it('GET /v1/services/{name}/tasks equals the engine tasks', async () => {
    const res = await api.get(`/v1/services/${web}/tasks`);
    assert.equal(res.status, 200);
    const tasks = (await engine().listTasks({ filters: { service: [web], 'desired-state': ['running'] } })) as any[];
    assert.deepEqual(res.body.items.map((x: any) => x.id).sort(), tasks.map((x) => x.ID).sort());
    const nodes = new Map(((await engine().listNodes()) as any[]).map((n) => [n.ID, n.Description.Hostname]));
    for (const task of res.body.items) {
      assert.equal(task.state, 'running');
      assert.equal(task.nodeName, nodes.get(task.nodeId));
      assert.equal(task.image, 'lab/web:v1');
      assert.ok(task.containerId);
    }
    const bad = await api.get(`/v1/services/${web}/tasks?all=maybe`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
  });

  it('a service created in the engine appears within the watch interval', async () => {
    const name = uniqueName('reads-new');
    await engineCreateService(name);
    const seen = await waitFor('new service listed', async () => {
      const r = await api.get('/v1/services');
      return r.body.items.some((s: any) => s.name === name);
    }, 5000, 50);
    assert.ok(seen);
  });

  it('GET /v1/nodes and /v1/nodes/{idOrHostname} equal the engine nodes', async () => {
    const res = await api.get('/v1/nodes');
    const fromEngine = (await engine().listNodes()) as any[];
    assert.equal(res.body.items.length, fromEngine.length);
    assert.ok(fromEngine.length >= 3, 'the lab runs at least 3 nodes');
    for (const n of fromEngine) {
      const v = res.body.items.find((x: any) => x.id === n.ID);
      assert.equal(v.hostname, n.Description.Hostname);
      assert.equal(v.role, n.Spec.Role);
      assert.equal(v.availability, n.Spec.Availability);
      assert.equal(v.state, n.Status.State);
      assert.ok(v.cpus > 0 && v.memoryBytes > 0);
    }
    const leader = res.body.items.find((x: any) => x.managerStatus?.leader);
    assert.ok(leader);
    assert.equal((await api.get(`/v1/nodes/${leader.hostname}`)).body.id, leader.id);
    assert.equal((await api.get(`/v1/nodes/${leader.id}`)).body.hostname, leader.hostname);
    const missing = await api.get('/v1/nodes/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NODE_NOT_FOUND');
  });

  it('GraphQL answers equal REST answers', async () => {
    // Two reads at two moments: first let every task settle (the service created above is starting one).
    await waitFor('every service running what it wants', async () => (await api.get('/v1/services')).body.items.every((s: any) => s.replicas.running === s.replicas.desired), 60_000);
    const q = `query($n: String!) {
      services { id name image mode version labels endpointMode replicas { desired running } }
      service(name: $n) { name placement { constraints } tasks { id nodeName state } }
      nodes { id hostname role availability state labels }
    }`;
    const r = await gql(t.url, q, { n: web });
    assert.equal(r.errors, undefined);
    const rest = (await api.get('/v1/services')).body.items.map((s: any) => ({
      id: s.id, name: s.name, image: s.image, mode: s.mode, version: s.version, labels: s.labels, endpointMode: s.endpointMode, replicas: s.replicas,
    }));
    assert.deepEqual(r.data.services, rest);
    const tasks = (await api.get(`/v1/services/${web}/tasks`)).body.items.map((x: any) => ({ id: x.id, nodeName: x.nodeName, state: x.state }));
    assert.deepEqual(r.data.service.tasks, tasks);
    const nodes = (await api.get('/v1/nodes')).body.items.map((n: any) => ({ id: n.id, hostname: n.hostname, role: n.role, availability: n.availability, state: n.state, labels: n.labels }));
    assert.deepEqual(r.data.nodes, nodes);
    const missing = await gql(t.url, '{ service(name: "nope") { name } }');
    assert.equal(missing.errors?.[0]?.extensions?.code, 'SERVICE_NOT_FOUND');
  });

  it('a scoped token sees only services with its labels; others are absent (404)', async () => {
    const other = uniqueName('reads-other');
    await engineCreateService(other, { labels: { team: 'b' } });
    const scoped = client(t.url, 'teamAViewer');
    await waitFor('other listed', async () => (await api.get(`/v1/services/${other}`)).status === 200, 5000, 50);
    const names = (await scoped.get('/v1/services')).body.items.map((s: any) => s.name);
    assert.ok(names.includes(web));
    assert.ok(!names.includes(other));
    assert.equal((await scoped.get(`/v1/services/${other}`)).status, 404);
    assert.equal((await scoped.get(`/v1/services/${other}/tasks`)).status, 404);
  });

  it('401 without a token or with a wrong one', async () => {
    assert.equal((await client(t.url, null).get('/v1/services')).status, 401);
    const r = await fetch(t.url + '/v1/services', { headers: { authorization: 'Bearer wrong-token' } });
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as any).code, 'UNAUTHENTICATED');
  });
});

describe('a dead engine socket', () => {
  let t: TestApp;
  before(async () => {
    await quietCluster();
    t = await startApp({ DOCKER_HOST: 'unix:///tmp/swarm-cp-no-engine.sock' });
  });
  after(async () => {
    await t?.close();
  });

  it('reads answer 503 DOCKER_UNAVAILABLE at once and readiness fails', async () => {
    const api = client(t.url);
    for (const path of ['/v1/services', '/v1/nodes', '/v1/services/x/tasks']) {
      const r = await api.call('GET', path, undefined, {});
      assert.equal(r.status, 503, path);
      assert.equal(r.body.code, 'DOCKER_UNAVAILABLE');
    }
    const g = await gql(t.url, '{ nodes { id } }');
    assert.equal(g.errors?.[0]?.extensions?.code, 'DOCKER_UNAVAILABLE');
    const ready = await client(t.url, null).get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.docker.status, 'down');
    assert.equal((await client(t.url, null).get('/health/live')).status, 200);
  });
});
