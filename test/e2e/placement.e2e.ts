import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, gql, removeServices, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { countByNode, engineTasks, LabNode, labNodes, LABEL_PREFIX, removeAndSettle, resetNodes } from '../support/lab-nodes';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-place-';
const ZONE = `${LABEL_PREFIX}zone`;
const RACK = `${LABEL_PREFIX}rack`;

interface Spec {
  replicas: number;
  constraints?: string[];
  spread?: string[];
  maxReplicasPerNode?: number;
  /** Memory each task reserves, as a fraction of a node's memory. */
  reserveMemory?: number;
}

interface Scenario {
  name: string;
  /** Labels per node index (0 = manager node-1, 1 = node-2, 2 = node-3). */
  labels?: Array<Record<string, string>>;
  drain?: number;
  /** A service reserving this fraction of node-1's memory, pinned there, before the plan. */
  filler?: number;
  spec: Spec;
  /** What the scenario is about, checked on the plan itself. */
  expect: { deterministic?: boolean; unschedulable?: number; filter?: string };
}

/** Task states in which swarmkit's scheduler counts a task on its node (assigned..running). */
const HOLDING = new Set(['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

const zonesAB = [{ [ZONE]: 'a', [RACK]: '1' }, { [ZONE]: 'b', [RACK]: '1' }, { [ZONE]: 'b', [RACK]: '2' }];
const zonesABC = [{ [ZONE]: 'a' }, { [ZONE]: 'b' }, { [ZONE]: 'c' }];

const scenarios: Scenario[] = [
  { name: 'spread over one label level', labels: zonesAB, spec: { replicas: 4, spread: [`node.labels.${ZONE}`] }, expect: { deterministic: true } },
  {
    name: 'spread over two label levels',
    labels: zonesAB,
    spec: { replicas: 8, spread: [`node.labels.${ZONE}`, `node.labels.${RACK}`] },
    expect: { deterministic: true },
  },
  { name: 'constraint on the role', spec: { replicas: 4, constraints: ['node.role==worker'] }, expect: { deterministic: true } },
  { name: 'constraint on a label', labels: zonesAB, spec: { replicas: 3, constraints: [`node.labels.${ZONE}==b`] }, expect: { deterministic: false } },
  {
    name: 'nodes missing the spread label form their own group',
    labels: [{ [ZONE]: 'a' }, {}, {}],
    spec: { replicas: 4, spread: [`node.labels.${ZONE}`] },
    expect: { deterministic: true },
  },
  { name: 'max replicas per node', spec: { replicas: 4, maxReplicasPerNode: 1 }, expect: { unschedulable: 1, filter: 'max-replicas' } },
  {
    name: 'reservations that fit only some nodes',
    filler: 0.5,
    spec: { replicas: 3, reserveMemory: 0.6 },
    expect: { deterministic: true, unschedulable: 1, filter: 'resources' },
  },
  { name: 'a drained node', drain: 2, spec: { replicas: 4 }, expect: { deterministic: true } },
  { name: 'replicas not divisible by the groups', labels: zonesABC, spec: { replicas: 4, spread: [`node.labels.${ZONE}`] }, expect: { deterministic: false } },
  {
    name: 'a spread group whose only node is drained',
    labels: zonesABC,
    drain: 2,
    spec: { replicas: 4, spread: [`node.labels.${ZONE}`] },
    expect: { deterministic: false },
  },
  {
    name: 'an infeasible constraint',
    labels: zonesAB,
    spec: { replicas: 2, constraints: [`node.labels.${ZONE}==nowhere`] },
    expect: { unschedulable: 2, filter: 'constraints' },
  },
];

function planBody(spec: Spec, nodes: LabNode[]) {
  return {
    image: 'lab/web:v1',
    replicas: spec.replicas,
    placement: {
      ...(spec.constraints ? { constraints: spec.constraints } : {}),
      ...(spec.spread ? { preferences: spec.spread.map((spread) => ({ spread })) } : {}),
      ...(spec.maxReplicasPerNode ? { maxReplicasPerNode: spec.maxReplicasPerNode } : {}),
    },
    ...(spec.reserveMemory ? { resources: { reservations: { memory: Math.floor(nodes[0].memoryBytes * spec.reserveMemory) } } } : {}),
  };
}

async function engineCreate(name: string, spec: Spec, nodes: LabNode[], extraConstraints: string[] = []): Promise<void> {
  await engine().createService({
    Name: name,
    TaskTemplate: {
      ContainerSpec: { Image: 'lab/web:v1', StopSignal: 'SIGKILL' },
      Placement: {
        Constraints: [...(spec.constraints ?? []), ...extraConstraints],
        Preferences: (spec.spread ?? []).map((d) => ({ Spread: { SpreadDescriptor: d } })),
        ...(spec.maxReplicasPerNode ? { MaxReplicas: spec.maxReplicasPerNode } : {}),
      },
      ...(spec.reserveMemory ? { Resources: { Reservations: { MemoryBytes: Math.floor(nodes[0].memoryBytes * spec.reserveMemory) } } } : {}),
    },
    Mode: { Replicated: { Replicas: spec.replicas } },
  } as any);
}

/** Waits until the engine has decided every task: running on a node, or pending with "no suitable node". */
async function settled(name: string, replicas: number): Promise<{ perNode: Record<string, number>; pending: any[] }> {
  return waitFor(
    `${name}: ${replicas} tasks running or pending`,
    async () => {
      const tasks = await engineTasks(name);
      const pending = tasks.filter((t) => !t.NodeID && t.Status.State === 'pending' && /no suitable node/.test(t.Status.Err ?? ''));
      const running = tasks.filter((t) => t.NodeID && t.Status.State === 'running');
      return running.length + pending.length === replicas && tasks.length === replicas ? { perNode: countByNode(running), pending } : null;
    },
    40_000,
    250,
  );
}

function perNode(counts: Array<{ nodeId: string; count: number }>): Record<string, number> {
  return Object.fromEntries(counts.map((c) => [c.nodeId, c.count]));
}

function sorted(o: Record<string, number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o).sort()));
}

function multiset(o: Record<string, number>): string {
  return Object.values(o)
    .sort((a, b) => b - a)
    .join(',');
}

describe('placement plan against what the swarm scheduler does', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let nodes: LabNode[];
  let matched = 0;

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
    console.log(`# plan matched the scheduler in ${matched} of ${scenarios.length + 1} scenarios`);
  });

  async function setLabels(labels: Array<Record<string, string>> = [{}, {}, {}]): Promise<void> {
    for (const [i, n] of nodes.entries()) {
      const want = labels[i] ?? {};
      const remove = [ZONE, RACK].filter((k) => !(k in want));
      const r = await api.put(`/v1/nodes/${n.hostname}/labels`, { add: want, remove });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  }

  it(`${scenarios.length} scenarios: the plan's tasks per node equal the engine's`, async () => {
    const report: string[] = [];
    for (const s of scenarios) {
      const t0 = Date.now();
      // Each expectation (deterministic or not) is for nodes that carry no task but the
      // scenario's own: the least-loaded ordering then ties exactly where the scenario says.
      await waitFor('no task holding a node before the scenario', async () => ((await engine().listTasks()) as any[]).every((x) => !HOLDING.has(x.Status.State)), 30_000, 200);
      await setLabels(s.labels);
      const made: string[] = [];
      try {
        if (s.drain !== undefined) {
          assert.equal((await api.put(`/v1/nodes/${nodes[s.drain].hostname}/availability`, { availability: 'drain' })).status, 200);
        }
        if (s.filler) {
          const filler = uniqueName('place-filler');
          made.push(filler);
          await engineCreate(filler, { replicas: 1, reserveMemory: s.filler }, nodes, [`node.hostname==${nodes[0].hostname}`]);
          await settled(filler, 1);
        }
        const plan = await api.post('/v1/placement/plan', planBody(s.spec, nodes));
        assert.equal(plan.status, 200, `${s.name}: ${JSON.stringify(plan.body)}`);
        assert.equal(plan.body.change, 'create');
        if (s.expect.deterministic !== undefined) assert.equal(plan.body.deterministic, s.expect.deterministic, `${s.name}: deterministic`);
        assert.equal(plan.body.unschedulable, s.expect.unschedulable ?? 0, `${s.name}: unschedulable`);
        assert.equal(plan.body.feasible, !s.expect.unschedulable);
        if (s.expect.filter) assert.ok(plan.body.reasons.some((r: any) => r.filter === s.expect.filter), `${s.name}: ${JSON.stringify(plan.body.reasons)}`);

        const name = uniqueName('place-sc');
        made.push(name);
        await engineCreate(name, s.spec, nodes);
        const real = await settled(name, s.spec.replicas);
        const predicted = perNode(plan.body.tasksPerNode);
        const outcomes = [predicted, ...plan.body.alternatives.map((a: any) => perNode(a.tasksPerNode))];
        if (plan.body.deterministic) {
          assert.equal(sorted(real.perNode), sorted(predicted), `${s.name}: exact nodes`);
        } else {
          assert.ok(
            outcomes.some((o) => sorted(o) === sorted(real.perNode)),
            `${s.name}: engine ${sorted(real.perNode)} is none of the predicted ${outcomes.map(sorted).join(' | ')}`,
          );
        }
        assert.ok(outcomes.some((o) => multiset(o) === multiset(real.perNode)));
        assert.equal(real.pending.length, plan.body.unschedulable, `${s.name}: pending`);
        for (const p of real.pending) assert.equal(p.Status.Err, plan.body.message, `${s.name}: Swarm's reason`);
        matched++;
        report.push(
          `${s.name}: ${multiset(real.perNode) || '-'}${real.pending.length ? ` +${real.pending.length} pending` : ''}${plan.body.deterministic ? ' (exact nodes)' : ''} in ${Date.now() - t0} ms`,
        );
      } finally {
        await removeAndSettle(made);
        if (s.drain !== undefined) await resetNodes();
      }
    }
    console.log(report.map((r) => `# ${r}`).join('\n'));
  });

  it('scaling an existing service up: running tasks stay, only the new ones are placed as planned', async () => {
    await setLabels([{ [ZONE]: 'a' }, { [ZONE]: 'b' }, { [ZONE]: 'b' }]);
    const name = uniqueName('place-scale');
    const spec: Spec = { replicas: 2, spread: [`node.labels.${ZONE}`] };
    await engineCreate(name, spec, nodes);
    const first = await settled(name, 2);
    const kept = (await engineTasks(name)).map((x) => x.ID).sort();

    const plan = await api.post('/v1/placement/plan', { service: name, replicas: 6 });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    assert.equal(plan.body.change, 'scale');
    assert.equal(plan.body.deterministic, true);
    for (const c of plan.body.tasksPerNode) assert.equal(c.kept, first.perNode[c.nodeId] ?? 0);

    const cur: any = await engine().getService(name).inspect();
    await engine().getService(name).update({ ...cur.Spec, Mode: { Replicated: { Replicas: 6 } }, version: cur.Version.Index });
    const real = await settled(name, 6);
    assert.equal(sorted(real.perNode), sorted(perNode(plan.body.tasksPerNode)));
    const now = (await engineTasks(name)).map((x) => x.ID);
    for (const id of kept) assert.ok(now.includes(id), 'the first tasks still run');
    matched++;
  });

  it('GraphQL planPlacement answers as REST does', async () => {
    const body = planBody({ replicas: 4, constraints: ['node.role==worker'], maxReplicasPerNode: 1 }, nodes);
    const rest = await api.post('/v1/placement/plan', body);
    const q = `query($input: PlanPlacementInput!) { planPlacement(input: $input) {
      change feasible unschedulable message deterministic tasksPerNode { nodeId hostname count kept added }
      reasons { filter message nodes } excluded { nodeId hostname filter message } } }`;
    const g = await gql(t.url, q, { input: body }, 'viewer');
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    const { change, feasible, unschedulable, message, deterministic, tasksPerNode, reasons, excluded } = rest.body;
    assert.deepEqual(g.data.planPlacement, { change, feasible, unschedulable, message, deterministic, tasksPerNode, reasons, excluded });
    assert.equal(unschedulable, 2);
    assert.deepEqual(excluded.map((e: any) => [e.hostname, e.filter]), [[nodes[0].hostname, 'constraints']]);
  });

  it('bad constraint or spread syntax is a 400 naming the expression, in REST and GraphQL', async () => {
    const r = await api.post('/v1/placement/plan', {
      image: 'lab/web:v1',
      placement: { constraints: ['node.role==worker', 'node.role=worker', 'node.zone==a'], preferences: [{ spread: 'node.hostname' }] },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      r.body.errors.map((e: any) => e.path),
      ['placement.constraints[1]', 'placement.constraints[2]', 'placement.preferences[0].spread'],
    );
    assert.match(r.body.errors[0].message, /"node.role=worker": expected an operator == or !=/);
    assert.match(r.body.errors[1].message, /unknown attribute "node.zone"/);
    for (const bad of [{}, { image: 'x', replicas: -1 }, { image: 'x', resources: { reservations: { memory: 'lots' } } }, { image: 'x', placement: { maxReplicasPerNode: 1.5 } }, { service: 'x', image: 'y' }, { image: 'x', extra: 1 }]) {
      const res = await api.post('/v1/placement/plan', bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    const missing = await api.post('/v1/placement/plan', { service: 'no-such-service' });
    assert.equal(missing.status, 404);

    const name = uniqueName('place-bad');
    await engineCreate(name, { replicas: 1 }, nodes);
    const put = await api.put(`/v1/services/${name}/placement`, { constraints: ['node.role==boss'] });
    assert.equal(put.status, 400);
    assert.equal(put.body.errors[0].path, 'constraints[0]');
    assert.match(put.body.errors[0].message, /node.role is manager or worker/);
    const g = await gql(t.url, 'mutation($n: String!) { updatePlacement(name: $n, input: { constraints: ["node.labels.zone>a"] }) { version } }', { n: name }, 'deployer');
    assert.equal(g.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED');
    const spec: any = (await engine().getService(name).inspect()).Spec;
    assert.equal(spec.TaskTemplate.Placement?.Constraints, undefined, 'nothing reached the engine');
  });

  it('PUT placement: applied in the engine, tasks end where the plan said; infeasible refused unless forced; scoped and role-checked', async () => {
    const name = uniqueName('place-put');
    await engineCreate(name, { replicas: 4 }, nodes);
    await settled(name, 4);

    const refused = await api.put(`/v1/services/${name}/placement`, { constraints: [`node.labels.${ZONE}==nowhere`] });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'UNSCHEDULABLE');
    assert.equal(refused.body.plan.unschedulable, 4);
    assert.match(refused.body.message, /scheduling constraints not satisfied on 3 nodes/);

    assert.equal((await client(t.url, 'scaler').put(`/v1/services/${name}/placement`, { constraints: ['node.role==worker'] })).status, 403);
    assert.equal((await client(t.url, 'teamA').put(`/v1/services/${name}/placement`, { constraints: ['node.role==worker'] })).status, 404);

    const res = await client(t.url, 'deployer').put(`/v1/services/${name}/placement`, { constraints: ['node.role==worker'], maxReplicasPerNode: 2 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.placement, { constraints: ['node.role==worker'], preferences: [], maxReplicasPerNode: 2 });
    assert.equal(res.body.plan.change, 'replace');
    const spec: any = (await engine().getService(name).inspect()).Spec;
    assert.deepEqual(spec.TaskTemplate.Placement.Constraints, ['node.role==worker']);
    assert.equal(spec.TaskTemplate.Placement.MaxReplicas, 2);
    const real = await waitFor(
      'rolling update onto the workers',
      async () => {
        const r = await settled(name, 4);
        return r.perNode[nodes[0].id] ? null : r;
      },
      60_000,
    );
    assert.equal(sorted(real.perNode), sorted(perNode(res.body.plan.tasksPerNode)));
    assert.equal((await api.get(`/v1/services/${name}`)).body.placement.maxReplicasPerNode, 2);

    // Absent fields stay; 0 lifts the limit.
    const more = await api.put(`/v1/services/${name}/placement`, { maxReplicasPerNode: 0, preferences: [{ spread: `node.labels.${ZONE}` }] });
    assert.equal(more.status, 200, JSON.stringify(more.body));
    assert.deepEqual(more.body.placement, { constraints: ['node.role==worker'], preferences: [{ spread: `node.labels.${ZONE}` }], maxReplicasPerNode: null });
    // force applies a placement the plan says cannot be met.
    const forced = await api.put(`/v1/services/${name}/placement`, { constraints: [`node.labels.${ZONE}==nowhere`], force: true });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.plan.feasible, false);
    const applied: any = (await engine().getService(name).inspect()).Spec;
    assert.deepEqual(applied.TaskTemplate.Placement.Constraints, [`node.labels.${ZONE}==nowhere`]);
  });
});
