import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, gql, removeServices, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { countByNode, engineTasks, LabNode, labNodes, LABEL_PREFIX, labScript, resetNodes } from '../support/lab-nodes';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-place-';
const ZONE = `${LABEL_PREFIX}zone`;
const RACK = `${LABEL_PREFIX}rack`;

async function createService(name: string, replicas: number, constraints: string[] = []): Promise<void> {
  await engine().createService({
    Name: name,
    TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', StopSignal: 'SIGKILL' }, Placement: { Constraints: constraints }, RestartPolicy: { Condition: 'any', Delay: 500_000_000 } },
    Mode: { Replicated: { Replicas: replicas } },
  } as any);
}

async function running(name: string, n: number, pred: (perNode: Record<string, number>) => boolean = () => true, timeoutMs = 40_000) {
  return waitFor(
    `${name}: ${n} running`,
    async () => {
      const tasks = (await engineTasks(name)).filter((t) => t.Status.State === 'running');
      const perNode = countByNode(tasks);
      return tasks.length === n && pred(perNode) ? perNode : null;
    },
    timeoutMs,
    250,
  );
}

describe('nodes: labels, availability and node failure through the API', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let nodes: LabNode[];

  before(async () => {
    await quietCluster();
    nodes = await labNodes();
    assert.equal(nodes.length, 3, 'the lab runs 3 nodes');
    t = await startApp();
    api = client(t.url);
  });

  afterEach(async () => {
    await removeServices(PREFIX);
    await resetNodes();
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
    await resetNodes();
  });

  it('labels set through the API are in the engine; merged with the node spec; by hostname or id', async () => {
    const [, w] = nodes;
    const add = await api.put(`/v1/nodes/${w.hostname}/labels`, { add: { [ZONE]: 'a', [RACK]: '1' } });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    assert.equal(add.body.labels[ZONE], 'a');
    let spec: any = (await engine().getNode(w.id).inspect()).Spec;
    assert.equal(spec.Labels[ZONE], 'a');
    assert.equal(spec.Labels[RACK], '1');
    assert.equal(spec.Role, 'worker');
    assert.equal(spec.Availability, 'active');

    const both = await api.put(`/v1/nodes/${w.id}/labels`, { add: { [ZONE]: 'b' }, remove: [RACK, `${LABEL_PREFIX}never-set`] });
    assert.equal(both.status, 200);
    spec = (await engine().getNode(w.id).inspect()).Spec;
    assert.equal(spec.Labels[ZONE], 'b');
    assert.ok(!(RACK in spec.Labels));
    assert.equal((await api.get(`/v1/nodes/${w.hostname}`)).body.labels[ZONE], 'b', 'read-your-writes');

    // Concurrent label writes on one node all land (each merges at the node's current version).
    const keys = [0, 1, 2, 3].map((i) => `${LABEL_PREFIX}c${i}`);
    const res = await Promise.all(keys.map((k) => api.put(`/v1/nodes/${w.hostname}/labels`, { add: { [k]: 'x' } })));
    assert.deepEqual(res.map((r) => r.status), [200, 200, 200, 200]);
    spec = (await engine().getNode(w.id).inspect()).Spec;
    for (const k of keys) assert.equal(spec.Labels[k], 'x', k);

    const g = await gql(t.url, 'mutation($id: String!, $k: [String!]) { labelNode(id: $id, input: { remove: $k }) { hostname labels } }', { id: w.hostname, k: [ZONE, ...keys] });
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    spec = (await engine().getNode(w.id).inspect()).Spec;
    assert.deepEqual(Object.keys(spec.Labels ?? {}).filter((k) => k.startsWith(LABEL_PREFIX)), []);
  });

  it('node changes: admin only, 404 for unknown nodes, 400 for bad input', async () => {
    const h = nodes[1].hostname;
    for (const who of ['deployer', 'viewer'] as const) {
      assert.equal((await client(t.url, who).put(`/v1/nodes/${h}/labels`, { add: { [ZONE]: 'a' } })).status, 403);
      assert.equal((await client(t.url, who).put(`/v1/nodes/${h}/availability`, { availability: 'drain' })).status, 403);
    }
    const g = await gql(t.url, 'mutation($id: String!) { setNodeAvailability(id: $id, input: { availability: "drain" }) { availability } }', { id: h }, 'deployer');
    assert.equal(g.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const missing = await api.put('/v1/nodes/no-such-node/labels', { add: { [ZONE]: 'a' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NODE_NOT_FOUND');
    assert.equal((await api.put('/v1/nodes/no-such-node/availability', { availability: 'pause' })).body.code, 'NODE_NOT_FOUND');
    const bad: Array<[string, unknown, string]> = [
      ['labels', {}, 'add'],
      ['labels', { add: { 'bad key!': 'x' } }, 'add.bad key!'],
      ['labels', { add: { [ZONE]: 5 } }, `add.${ZONE}`],
      ['labels', { add: { [ZONE]: 'a' }, remove: [ZONE] }, 'remove[0]'],
      ['labels', { add: 'zone=a' }, 'add'],
      ['labels', { remove: 'zone' }, 'remove'],
      ['availability', { availability: 'off' }, 'availability'],
      ['availability', {}, 'availability'],
      ['availability', { availability: 'drain', role: 'manager' }, 'role'],
    ];
    for (const [what, body, path] of bad) {
      const r = await api.put(`/v1/nodes/${h}/${what}`, body);
      assert.equal(r.status, 400, `${what} ${JSON.stringify(body)}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(r.body.errors.some((e: any) => e.path === path), `${JSON.stringify(body)}: ${JSON.stringify(r.body.errors)}`);
    }
    const spec: any = (await engine().getNode(nodes[1].id).inspect()).Spec;
    assert.equal(spec.Availability, 'active');
  });

  it('drain through the API moves every task off the node; active plus rebalance brings tasks back', async () => {
    const name = uniqueName('place-drain');
    await createService(name, 3);
    const [, w] = nodes;
    await running(name, 3, (p) => Object.keys(p).length === 3);

    const drained = await api.put(`/v1/nodes/${w.hostname}/availability`, { availability: 'drain' });
    assert.equal(drained.status, 200);
    assert.equal(drained.body.availability, 'drain');
    assert.equal(((await engine().getNode(w.id).inspect()) as any).Spec.Availability, 'drain');
    await running(name, 3, (p) => !p[w.id]);
    await waitFor('no task left on the drained node', async () => {
      const all = (await engine().listTasks({ filters: { node: [w.id] } })) as any[];
      return all.every((x) => x.DesiredState !== 'running' && x.Status.State !== 'running');
    });
    // The engine is ahead of the read model (it follows by events and refreshes): wait until the product agrees.
    await waitFor('the read model shows no task wanted running on the drained node', async () => {
      const onNode = await api.get(`/v1/nodes/${w.hostname}/tasks`);
      assert.equal(onNode.status, 200);
      return onNode.body.items.every((x: any) => x.desiredState !== 'running');
    });

    const g = await gql(t.url, 'mutation($id: String!) { setNodeAvailability(id: $id, input: { availability: "active" }) { availability } }', { id: w.id });
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    assert.equal(g.data.setNodeAvailability.availability, 'active');
    assert.equal(((await engine().getNode(w.id).inspect()) as any).Spec.Availability, 'active');

    // Swarm does not move running tasks back by itself: rebalance forces a rolling replacement.
    const plan = await api.post('/v1/placement/plan', { service: name });
    assert.equal(plan.body.change, 'none');
    assert.equal(plan.body.tasksPerNode.some((c: any) => c.nodeId === w.id), false);
    assert.equal((await client(t.url, 'scaler').post(`/v1/services/${name}/rebalance`)).status, 403);
    const rb = await client(t.url, 'deployer').post(`/v1/services/${name}/rebalance`);
    assert.equal(rb.status, 202, JSON.stringify(rb.body));
    assert.equal(rb.body.status, 'started');
    assert.equal(rb.body.forceUpdate, 1);
    assert.deepEqual(rb.body.plan.tasksPerNode.map((c: any) => c.count), [1, 1, 1]);
    assert.equal(((await engine().getService(name).inspect()) as any).Spec.TaskTemplate.ForceUpdate, 1);
    await running(name, 3, (p) => p[w.id] === 1 && Object.keys(p).length === 3, 60_000);

    const view = await gql(t.url, 'query($id: String!) { node(id: $id) { availability tasks { service nodeName desiredState } } }', { id: w.hostname }, 'viewer');
    assert.equal(view.data.node.availability, 'active');
    assert.ok(view.data.node.tasks.some((x: any) => x.service === name && x.desiredState === 'running' && x.nodeName === w.hostname));
  });

  it('a worker whose engine stops shows down, and its tasks are rescheduled on the other worker', async () => {
    const name = uniqueName('place-ha');
    const [, w2, w3] = nodes;
    await createService(name, 2, ['node.role==worker']);
    await running(name, 2, (p) => p[w2.id] === 1 && p[w3.id] === 1);
    const lost = (await engineTasks(name)).find((x) => x.NodeID === w3.id);
    await api.put(`/v1/nodes/${w3.hostname}/labels`, { add: { [ZONE]: 'c' } });
    try {
      await labScript('stop-node', '3');
      const down = await waitFor('node 3 down in the API', async () => {
        const r = await api.get(`/v1/nodes/${w3.hostname}`);
        return r.body.state === 'down' ? r.body : null;
      }, 60_000, 500);
      assert.equal(down.availability, 'active');
      const tasks = await waitFor('task rescheduled onto node 2', async () => {
        const r = await api.get(`/v1/services/${name}/tasks?all=true`);
        const onW2 = r.body.items.filter((x: any) => x.nodeId === w2.id && x.desiredState === 'running' && x.state === 'running');
        return onW2.length === 2 ? r.body.items : null;
      }, 60_000, 500);
      const old = tasks.find((x: any) => x.id === lost.ID);
      assert.ok(old, 'the lost task is still listed');
      assert.equal(old.nodeName, w3.hostname);
      assert.equal(old.desiredState, 'shutdown');
      const onDown = await api.get(`/v1/nodes/${w3.hostname}/tasks`);
      assert.ok(onDown.body.items.every((x: any) => x.desiredState !== 'running'));
      const nodesView = await gql(t.url, '{ nodes { hostname state } }', {}, 'viewer');
      assert.equal(nodesView.data.nodes.find((n: any) => n.hostname === w3.hostname).state, 'down');
    } finally {
      await labScript('start-node', '3');
      await waitFor('node 3 ready again', async () => ((await engine().getNode(w3.id).inspect()) as any).Status.State === 'ready', 90_000, 500);
    }
    const back = await api.get(`/v1/nodes/${w3.hostname}`);
    assert.equal(back.body.labels[ZONE], 'c', 'labels survive the engine restart');
    await waitFor('API shows node 3 ready', async () => (await api.get(`/v1/nodes/${w3.hostname}`)).body.state === 'ready', 10_000);
  });
});
