import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConstraint, parseSpread } from './constraints';
import { PlanInput, planPlacement, PlanNode, PlanSpec, PlanTask } from './planner';

const GiB = 1024 ** 3;

function node(id: string, over: Partial<PlanNode> = {}): PlanNode {
  return {
    id,
    hostname: `h-${id}`,
    role: 'worker',
    os: 'linux',
    arch: 'x86_64',
    labels: {},
    engineLabels: {},
    state: 'ready',
    availability: 'active',
    nanoCpus: 4e9,
    memoryBytes: 8 * GiB,
    ...over,
  };
}

function lab(labels: Record<string, Record<string, string>> = {}, over: Record<string, Partial<PlanNode>> = {}): PlanNode[] {
  return [
    node('n1', { role: 'manager', labels: labels.n1 ?? {}, ...over.n1 }),
    node('n2', { labels: labels.n2 ?? {}, ...over.n2 }),
    node('n3', { labels: labels.n3 ?? {}, ...over.n3 }),
  ];
}

function spec(over: Partial<Omit<PlanSpec, 'constraints' | 'spread'>> & { constraints?: string[]; spread?: string[] } = {}): PlanSpec {
  return {
    serviceId: 'svc',
    mode: 'replicated',
    replicas: 1,
    maxReplicas: 0,
    reservations: { nanoCpus: 0, memoryBytes: 0 },
    platforms: [],
    hostPorts: [],
    ...over,
    constraints: (over.constraints ?? []).map((c) => parseConstraint(c)),
    spread: (over.spread ?? []).map((s) => parseSpread(s)),
  };
}

function tasks(serviceId: string, perNode: Record<string, number>, extra: Partial<PlanTask> = {}): PlanTask[] {
  return Object.entries(perNode).flatMap(([nodeId, n]) =>
    Array.from({ length: n }, () => ({ serviceId, nodeId, active: true, nanoCpus: 0, memoryBytes: 0, hostPorts: [], ...extra })),
  );
}

function counts(r: ReturnType<typeof planPlacement>): Record<string, number> {
  return Object.fromEntries(r.tasksPerNode.map((c) => [c.nodeId, c.count]));
}

function multiset(c: Array<{ count: number }>): number[] {
  return c.map((x) => x.count).sort((a, b) => b - a);
}

interface Case {
  name: string;
  input: PlanInput;
  /** Exact tasks per node (when Swarm's choice is determined). */
  exact?: Record<string, number>;
  /** Counts per node, sorted, when only the multiset is determined. */
  multiset?: number[];
  unschedulable?: number;
  deterministic?: boolean;
  reasons?: Array<{ filter: string; nodes: string[] }>;
  excluded?: Array<[string, string]>;
  message?: RegExp;
}

const zones = { n1: { zone: 'a', rack: '1' }, n2: { zone: 'b', rack: '1' }, n3: { zone: 'b', rack: '2' } };

const cases: Case[] = [
  { name: 'no preferences: even spread', input: { nodes: lab(), tasks: [], spec: spec({ replicas: 6 }), existing: 'keep' }, exact: { n1: 2, n2: 2, n3: 2 }, deterministic: true },
  {
    name: 'no preferences, 4 over 3: which node gets two is a tie',
    input: { nodes: lab(), tasks: [], spec: spec({ replicas: 4 }), existing: 'keep' },
    multiset: [2, 1, 1],
    deterministic: false,
  },
  {
    name: 'spread over one label level: equal share per value',
    input: { nodes: lab(zones), tasks: [], spec: spec({ replicas: 4, spread: ['node.labels.zone'] }), existing: 'keep' },
    exact: { n1: 2, n2: 1, n3: 1 },
    deterministic: true,
  },
  {
    name: 'spread over two levels',
    input: { nodes: lab(zones), tasks: [], spec: spec({ replicas: 8, spread: ['node.labels.zone', 'node.labels.rack'] }), existing: 'keep' },
    exact: { n1: 4, n2: 2, n3: 2 },
    deterministic: true,
  },
  {
    name: 'nodes lacking the label form their own group',
    input: { nodes: lab({ n1: { zone: 'a' } }), tasks: [], spec: spec({ replicas: 4, spread: ['node.labels.zone'] }), existing: 'keep' },
    exact: { n1: 2, n2: 1, n3: 1 },
  },
  {
    name: 'replicas not divisible by the groups: multiset is still determined',
    input: { nodes: lab({ n1: { zone: 'a' }, n2: { zone: 'b' }, n3: { zone: 'c' } }), tasks: [], spec: spec({ replicas: 4, spread: ['node.labels.zone'] }), existing: 'keep' },
    multiset: [2, 1, 1],
    deterministic: false,
  },
  {
    name: 'constraint on role',
    input: { nodes: lab(), tasks: [], spec: spec({ replicas: 4, constraints: ['node.role==worker'] }), existing: 'keep' },
    exact: { n2: 2, n3: 2 },
    excluded: [['n1', 'constraints']],
  },
  {
    name: 'constraint on a label',
    input: { nodes: lab(zones), tasks: [], spec: spec({ replicas: 2, constraints: ['node.labels.zone==b', 'node.labels.rack!=1'] }), existing: 'keep' },
    exact: { n3: 2 },
  },
  {
    name: 'max replicas per node leaves the rest pending',
    input: { nodes: lab(), tasks: [], spec: spec({ replicas: 4, maxReplicas: 1 }), existing: 'keep' },
    exact: { n1: 1, n2: 1, n3: 1 },
    unschedulable: 1,
    reasons: [{ filter: 'max-replicas', nodes: ['h-n1', 'h-n2', 'h-n3'] }],
    message: /^no suitable node \(max replicas per node limit exceed\)$/,
  },
  {
    name: 'reservations: 60% of memory fits once per node',
    input: { nodes: lab(), tasks: [], spec: spec({ replicas: 4, reservations: { nanoCpus: 0, memoryBytes: 0.6 * 8 * GiB } }), existing: 'keep' },
    exact: { n1: 1, n2: 1, n3: 1 },
    unschedulable: 1,
    message: /insufficient resources on 3 nodes/,
  },
  {
    name: 'reservations of tasks already on a node count',
    input: {
      nodes: lab(),
      tasks: tasks('other', { n1: 1 }, { memoryBytes: 0.6 * 8 * GiB }),
      spec: spec({ replicas: 2, reservations: { nanoCpus: 0, memoryBytes: 0.5 * 8 * GiB } }),
      existing: 'keep',
    },
    exact: { n2: 1, n3: 1 },
    excluded: [['n1', 'resources']],
  },
  {
    name: 'CPU reservations',
    input: { nodes: lab(), tasks: [], spec: spec({ replicas: 3, reservations: { nanoCpus: 3e9, memoryBytes: 0 } }), existing: 'keep' },
    exact: { n1: 1, n2: 1, n3: 1 },
  },
  {
    name: 'a drained node and a down node get nothing',
    input: { nodes: lab({}, { n3: { availability: 'drain' }, n2: { state: 'down' } }), tasks: [], spec: spec({ replicas: 3 }), existing: 'keep' },
    exact: { n1: 3 },
    excluded: [
      ['n2', 'ready'],
      ['n3', 'ready'],
    ],
  },
  {
    name: 'infeasible constraint: every node filtered, with the reason',
    input: { nodes: lab(zones), tasks: [], spec: spec({ replicas: 2, constraints: ['node.labels.zone==nowhere'] }), existing: 'keep' },
    exact: {},
    unschedulable: 2,
    reasons: [{ filter: 'constraints', nodes: ['h-n1', 'h-n2', 'h-n3'] }],
    message: /^no suitable node \(scheduling constraints not satisfied on 3 nodes\)$/,
  },
  {
    name: 'least loaded: fewer tasks in total breaks the tie',
    input: { nodes: lab(), tasks: tasks('other', { n1: 2, n3: 1 }), spec: spec({ replicas: 1 }), existing: 'keep' },
    exact: { n2: 1 },
    deterministic: true,
  },
  {
    name: 'scale up keeps existing tasks where they are',
    input: { nodes: lab(zones), tasks: tasks('svc', { n1: 1, n2: 1 }), spec: spec({ replicas: 6, spread: ['node.labels.zone'] }), existing: 'keep' },
    exact: { n1: 3, n2: 1, n3: 2 },
    deterministic: true,
  },
  {
    name: 'scale down removes from the node with the most copies',
    input: { nodes: lab(), tasks: tasks('svc', { n1: 3, n2: 1 }), spec: spec({ replicas: 2 }), existing: 'keep' },
    exact: { n1: 1, n2: 1 },
    deterministic: true,
  },
  {
    name: 'a changed template replaces every task (rebalance)',
    input: { nodes: lab(), tasks: tasks('svc', { n1: 3 }), spec: spec({ replicas: 3 }), existing: 'replace' },
    exact: { n1: 1, n2: 1, n3: 1 },
  },
  {
    name: 'host-mode ports: one per node',
    input: { nodes: lab(), tasks: tasks('other', { n1: 1 }, { hostPorts: ['tcp/8080'] }), spec: spec({ replicas: 3, hostPorts: ['tcp/8080'] }), existing: 'keep' },
    exact: { n2: 1, n3: 1 },
    unschedulable: 1,
    reasons: [{ filter: 'host-port', nodes: ['h-n1', 'h-n2', 'h-n3'] }],
  },
  {
    name: 'platform filter normalizes x86_64 to amd64',
    input: { nodes: lab({}, { n3: { arch: 'aarch64' } }), tasks: [], spec: spec({ replicas: 2, platforms: [{ os: 'linux', arch: 'amd64' }] }), existing: 'keep' },
    exact: { n1: 1, n2: 1 },
    excluded: [['n3', 'platform']],
  },
  {
    name: 'global: one task per node the constraints allow',
    input: { nodes: lab(), tasks: [], spec: spec({ mode: 'global', constraints: ['node.role==worker'] }), existing: 'keep' },
    exact: { n2: 1, n3: 1 },
  },
  {
    name: 'spread with a drained group: its share goes to the others',
    input: {
      nodes: lab({ n1: { zone: 'a' }, n2: { zone: 'b' }, n3: { zone: 'c' } }, { n3: { availability: 'drain' } }),
      tasks: [],
      spec: spec({ replicas: 3, spread: ['node.labels.zone'] }),
      existing: 'keep',
    },
    multiset: [2, 1],
    deterministic: false,
  },
];

describe('planPlacement reproduces the swarm scheduler', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = planPlacement(c.input);
      if (c.exact) assert.deepEqual(counts(r), c.exact);
      if (c.multiset) {
        assert.deepEqual(multiset(r.tasksPerNode), c.multiset);
        for (const alt of r.alternatives) assert.deepEqual(multiset(alt), c.multiset);
      }
      assert.equal(r.unschedulable, c.unschedulable ?? 0);
      assert.equal(r.feasible, (c.unschedulable ?? 0) === 0);
      if (c.deterministic !== undefined) assert.equal(r.deterministic, c.deterministic);
      if (c.reasons) assert.deepEqual(r.reasons.map((x) => ({ filter: x.filter, nodes: x.nodes })), c.reasons);
      if (c.excluded) assert.deepEqual(r.excluded.map((x) => [x.nodeId, x.filter]), c.excluded);
      if (c.message) assert.match(r.message ?? '', c.message);
      if (!c.unschedulable) assert.equal(r.message, null);
    });
  }

  it('an uneven split over two levels shows its alternatives', () => {
    const r = planPlacement({ nodes: lab(zones), tasks: [], spec: spec({ replicas: 5, spread: ['node.labels.zone', 'node.labels.rack'] }), existing: 'keep' });
    assert.equal(r.deterministic, false);
    const all = [r.tasksPerNode, ...r.alternatives].map(multiset).map((m) => m.join(','));
    assert.deepEqual([...new Set(all)].sort(), ['2,2,1', '3,1,1']);
  });

  it('a group with no eligible node: swarmkit splits the rest on stale branch counts, unevenly', () => {
    // scheduleNTasksOnSubtree never updates subtree.tasks: after the drained branch drops out,
    // the leftover task goes to whichever branch comes first, even one that already has more.
    const nodes = lab({ n1: { zone: 'a' }, n2: { zone: 'b' }, n3: { zone: 'c' } }, { n3: { availability: 'drain' } });
    const r = planPlacement({ nodes, tasks: [], spec: spec({ replicas: 4, spread: ['node.labels.zone'] }), existing: 'keep' }, 64);
    const all = [r.tasksPerNode, ...r.alternatives].map((c) => Object.fromEntries(c.map((x) => [x.nodeId, x.count])));
    assert.deepEqual(
      all.map((c) => `${c.n1 ?? 0}/${c.n2 ?? 0}`).sort(),
      ['1/3', '2/2', '3/1'],
    );
  });

  it('is reproducible', () => {
    const input: PlanInput = { nodes: lab(zones), tasks: [], spec: spec({ replicas: 5, spread: ['node.labels.zone'] }), existing: 'keep' };
    assert.deepEqual(planPlacement(input), planPlacement(input));
  });
});
