import { Constraint, firstUnmet, NodeAttributes, SpreadDescriptor, spreadValue } from './constraints';

/**
 * A pure model of Swarm's scheduler (moby/swarmkit manager/scheduler) and of what the
 * replicated orchestrator does when a service is created, scaled or updated:
 *
 * - filters, in swarmkit's order (pipeline.go): ready (node ready and availability active),
 *   resources (reservations against capacity minus what tasks on the node reserve),
 *   constraints, platform, host-mode ports, max replicas per node;
 * - the spread preferences as a decision tree of label values (nodeset.go `tree`), each level
 *   splitting the tasks evenly between values, counting this service's tasks already in each
 *   branch, nodes without the label forming their own "" branch (scheduler.go
 *   `scheduleNTasksOnSubtree`);
 * - within a leaf, nodes ordered by nodeLess (fewest tasks of this service, then fewest tasks
 *   in total) and filled the way `scheduleNTasksOnNodes` walks them;
 * - tasks left over retried in later rounds, as the scheduler re-enqueues them.
 *
 * Swarm breaks ties by Go's random map order and heap order; `planPlacement` replays the
 * simulation with shuffled tie-breaks to tell whether the outcome is determined.
 */

export type FilterName = 'ready' | 'resources' | 'constraints' | 'platform' | 'host-port' | 'max-replicas';

export interface PlanNode extends NodeAttributes {
  state: string;
  availability: string;
  nanoCpus: number;
  memoryBytes: number;
}

/** A task the scheduler counts on a node (state assigned..running). */
export interface PlanTask {
  serviceId: string;
  nodeId: string;
  /** Desired state running (or below completed): counts for spread and least-loaded ordering. */
  active: boolean;
  nanoCpus: number;
  memoryBytes: number;
  /** Host-mode published ports it holds, as "tcp/8080". */
  hostPorts: string[];
}

export interface PlanSpec {
  serviceId: string;
  mode: 'replicated' | 'global';
  replicas: number;
  constraints: Constraint[];
  spread: SpreadDescriptor[];
  /** 0: no limit. */
  maxReplicas: number;
  reservations: { nanoCpus: number; memoryBytes: number };
  platforms: Array<{ os?: string; arch?: string }>;
  hostPorts: string[];
}

export interface PlanInput {
  nodes: PlanNode[];
  /** Every task the scheduler tracks on a node, of every service. */
  tasks: PlanTask[];
  spec: PlanSpec;
  /**
   * keep: the service's running tasks stay where they are (create, scale up or down);
   * replace: every task is replaced (the task template changed: rolling update, rebalance).
   */
  existing: 'keep' | 'replace';
}

export interface NodeFilterResult {
  nodeId: string;
  hostname: string;
  filter: FilterName;
  message: string;
}

export interface NodeCount {
  nodeId: string;
  hostname: string;
  count: number;
  kept: number;
  added: number;
}

export interface FilterReason {
  filter: FilterName;
  message: string;
  nodes: string[];
}

export interface PlanResult {
  replicas: number;
  tasksPerNode: NodeCount[];
  unschedulable: number;
  feasible: boolean;
  /** Nodes no task of this spec could go to before placing any (first failing filter). */
  excluded: NodeFilterResult[];
  /** When tasks are left over: what each filter rejects once the others are placed. */
  reasons: FilterReason[];
  /** swarmkit's wording for the leftover tasks: "no suitable node (...)". */
  message: string | null;
  /** False when Swarm's random tie-breaking can place the tasks differently. */
  deterministic: boolean;
  /** Other per-node distributions the same tie-breaks can produce (at most 5). */
  alternatives: NodeCount[][];
}

interface Info {
  node: PlanNode;
  svc: number;
  total: number;
  cpu: number;
  mem: number;
  ports: Set<string>;
  kept: number;
  added: number;
}

interface Tree {
  tasks: number;
  next?: Map<string, Tree>;
  nodes: Info[];
}

type Rng = () => number;

const EXPLAIN: Record<FilterName, (n: number) => string> = {
  ready: (n) => (n === 1 ? '1 node not available for new tasks' : `${n} nodes not available for new tasks`),
  resources: (n) => (n === 1 ? 'insufficient resources on 1 node' : `insufficient resources on ${n} nodes`),
  constraints: (n) => (n === 1 ? 'scheduling constraints not satisfied on 1 node' : `scheduling constraints not satisfied on ${n} nodes`),
  platform: (n) => (n === 1 ? 'unsupported platform on 1 node' : `unsupported platform on ${n} nodes`),
  'host-port': (n) => (n === 1 ? 'host-mode port already in use on 1 node' : `host-mode port already in use on ${n} nodes`),
  'max-replicas': () => 'max replicas per node limit exceed',
};

function normArch(a: string | undefined): string {
  if (a === 'x86_64') return 'amd64';
  if (a === 'aarch64') return 'arm64';
  return a ?? '';
}

function cpus(nano: number): string {
  return `${+(nano / 1e9).toFixed(3)} CPU`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MiB`;
}

/** Swarm's ordering inside a leaf: fewer tasks of this service first, then fewer tasks overall. */
function nodeLess(a: Info, b: Info): boolean {
  if (a.svc !== b.svc) return a.svc < b.svc;
  return a.total < b.total;
}

function shuffle<T>(items: T[], rng: Rng | null): T[] {
  const out = [...items];
  if (!rng) return out;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A small seeded PRNG (mulberry32): the replays are reproducible. */
function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Simulation {
  readonly infos: Info[];
  remaining = 0;

  constructor(
    private readonly input: PlanInput,
    private readonly rng: Rng | null,
  ) {
    const { spec } = input;
    const byId = new Map<string, Info>();
    this.infos = [...input.nodes]
      .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id))
      .map((node) => {
        const info: Info = { node, svc: 0, total: 0, cpu: node.nanoCpus, mem: node.memoryBytes, ports: new Set(), kept: 0, added: 0 };
        byId.set(node.id, info);
        return info;
      });
    for (const t of input.tasks) {
      const info = byId.get(t.nodeId);
      if (!info) continue;
      const own = t.serviceId === spec.serviceId;
      // Replacing every task: the old ones leave their nodes (stop-first) before the new land.
      if (own && input.existing === 'replace') continue;
      info.cpu -= t.nanoCpus;
      info.mem -= t.memoryBytes;
      for (const p of t.hostPorts) info.ports.add(p);
      if (!t.active) continue;
      info.total++;
      if (own) {
        info.svc++;
        info.kept++;
      }
    }
  }

  /** The first filter a node fails for a new task of the spec, in swarmkit's order. */
  check(info: Info): { filter: FilterName; message: string } | null {
    const { spec } = this.input;
    const n = info.node;
    if (n.state !== 'ready') return { filter: 'ready', message: `node is ${n.state || 'unknown'}` };
    if (n.availability !== 'active') return { filter: 'ready', message: `availability is ${n.availability}` };
    const r = spec.reservations;
    if ((r.nanoCpus > 0 || r.memoryBytes > 0) && (r.nanoCpus > info.cpu || r.memoryBytes > info.mem)) {
      const parts: string[] = [];
      if (r.nanoCpus > info.cpu) parts.push(`needs ${cpus(r.nanoCpus)}, ${cpus(Math.max(0, info.cpu))} of ${cpus(n.nanoCpus)} unreserved`);
      if (r.memoryBytes > info.mem) parts.push(`needs ${mib(r.memoryBytes)}, ${mib(Math.max(0, info.mem))} of ${mib(n.memoryBytes)} unreserved`);
      return { filter: 'resources', message: parts.join('; ') };
    }
    const unmet = firstUnmet(spec.constraints, n);
    if (unmet) return { filter: 'constraints', message: `${unmet.expression} not satisfied` };
    if (spec.platforms.length) {
      const ok = spec.platforms.some((p) => (!p.arch || normArch(p.arch) === normArch(n.arch)) && (!p.os || p.os === n.os));
      if (!ok) return { filter: 'platform', message: `node is ${n.os}/${n.arch}` };
    }
    const taken = spec.hostPorts.filter((p) => info.ports.has(p));
    if (taken.length) return { filter: 'host-port', message: `host port ${taken.join(', ')} in use` };
    if (spec.maxReplicas > 0 && info.svc >= spec.maxReplicas) {
      return { filter: 'max-replicas', message: `already runs ${info.svc} of at most ${spec.maxReplicas}` };
    }
    return null;
  }

  private pass = (info: Info): boolean => this.check(info) === null;

  private assign(info: Info): void {
    const r = this.input.spec.reservations;
    info.svc++;
    info.total++;
    info.added++;
    info.cpu -= r.nanoCpus;
    info.mem -= r.memoryBytes;
    for (const p of this.input.spec.hostPorts) info.ports.add(p);
    this.remaining--;
  }

  /** nodeset.go `tree`: every node shapes the tree; only nodes passing the filters are candidates. */
  private tree(maxAssignments: number): Tree {
    const root: Tree = { tasks: 0, nodes: [] };
    const leaves = new Set<Tree>();
    for (const info of shuffle(this.infos, this.rng)) {
      let t = root;
      for (const s of this.input.spec.spread) {
        t.tasks += info.svc;
        t.next ??= new Map();
        const v = spreadValue(s, info.node);
        let next = t.next.get(v);
        if (!next) {
          next = { tasks: 0, nodes: [] };
          t.next.set(v, next);
        }
        t = next;
      }
      t.tasks += info.svc;
      leaves.add(t);
      if (this.pass(info)) t.nodes.push(info);
    }
    // The leaf heap keeps only the `maxAssignments` best nodes (ties: first seen stays).
    for (const leaf of leaves) leaf.nodes = this.ordered(leaf.nodes).slice(0, maxAssignments);
    return root;
  }

  private ordered(nodes: Info[]): Info[] {
    return [...nodes].filter(this.pass).sort((a, b) => (nodeLess(a, b) ? -1 : nodeLess(b, a) ? 1 : 0));
  }

  /** scheduler.go scheduleNTasksOnSubtree. */
  private onSubtree(n: number, tree: Tree): number {
    if (!tree.next) {
      const nodes = this.ordered(tree.nodes);
      return nodes.length ? this.onNodes(n, nodes) : 0;
    }
    const branches = [...tree.next.values()];
    let scheduled = 0;
    let usable = tree.tasks;
    const noRoom = new Set<Tree>();
    let converging = true;
    while (scheduled !== n && noRoom.size !== branches.length && converging) {
      const open = branches.length - noRoom.size;
      const desired = Math.floor((usable + n - scheduled) / open);
      let remainder = (usable + n - scheduled) % open;
      converging = false;
      for (const sub of shuffle(branches, this.rng)) {
        if (noRoom.has(sub)) continue;
        const have = sub.tasks;
        if (have < desired || (have === desired && remainder > 0)) {
          converging = true;
          let toAssign = desired - have;
          if (remainder > 0) toAssign++;
          const res = this.onSubtree(toAssign, sub);
          if (res < toAssign) {
            noRoom.add(sub);
            usable -= have;
          } else if (remainder > 0) {
            remainder--;
          }
          scheduled += res;
        }
      }
    }
    return scheduled;
  }

  /** scheduler.go scheduleNTasksOnNodes: fill the best node until the next one is better. */
  private onNodes(n: number, nodes: Info[]): number {
    let scheduled = 0;
    const failed = new Set<number>();
    let iter = 0;
    const count = nodes.length;
    while (this.remaining > 0) {
      const node = nodes[iter % count];
      this.assign(node);
      scheduled++;
      if (scheduled === n) return scheduled;
      if (iter + 1 < count) {
        if (nodeLess(nodes[(iter + 1) % count], node)) iter++;
      } else {
        iter++;
      }
      const orig = iter;
      while (failed.has(iter % count) || !this.pass(nodes[iter % count])) {
        failed.add(iter % count);
        iter++;
        if (iter - orig === count) return scheduled;
      }
    }
    return scheduled;
  }

  /** Scale down: the orchestrator removes the highest copy index per node first (pending ones before any). */
  private scaleDown(keep: number): void {
    const copies: Info[] = [];
    for (const info of this.infos) for (let i = 0; i < info.kept; i++) copies.push(info);
    const indexed = shuffle(copies, this.rng);
    const seen = new Map<Info, number>();
    const withIndex = indexed.map((info) => {
      const idx = (seen.get(info) ?? 0) + 1;
      seen.set(info, idx);
      return { info, idx };
    });
    withIndex.sort((a, b) => a.idx - b.idx);
    for (const { info } of withIndex.slice(keep)) {
      info.kept--;
      info.svc--;
      info.total--;
      const r = this.input.spec.reservations;
      info.cpu += r.nanoCpus;
      info.mem += r.memoryBytes;
    }
  }

  run(): { unschedulable: number } {
    const { spec } = this.input;
    if (spec.mode === 'global') return this.runGlobal();
    const kept = this.infos.reduce((s, i) => s + i.kept, 0);
    if (kept > spec.replicas) {
      this.scaleDown(spec.replicas);
      return { unschedulable: 0 };
    }
    this.remaining = spec.replicas - kept;
    // Retry rounds: leftover tasks are re-enqueued and scheduled again with the new state.
    for (let round = 0; this.remaining > 0 && round <= spec.replicas; round++) {
      const before = this.remaining;
      this.onSubtree(this.remaining, this.tree(this.remaining));
      if (this.remaining === before) break;
    }
    return { unschedulable: this.remaining };
  }

  /** Global: one task per node the constraints allow; the scheduler only checks resources. */
  private runGlobal(): { unschedulable: number } {
    let unschedulable = 0;
    for (const info of this.infos) {
      if (info.kept > 0) continue;
      const f = this.check(info);
      if (!f) this.assign(info);
      else if (f.filter === 'resources' || f.filter === 'host-port') unschedulable++;
    }
    return { unschedulable };
  }

  counts(): NodeCount[] {
    return this.infos
      .filter((i) => i.kept + i.added > 0)
      .map((i) => ({ nodeId: i.node.id, hostname: i.node.hostname, count: i.kept + i.added, kept: i.kept, added: i.added }));
  }
}

function key(counts: NodeCount[]): string {
  return counts.map((c) => `${c.nodeId}:${c.count}`).join(',');
}

/** What Swarm would do with `input.spec`, without changing anything. */
export function planPlacement(input: PlanInput, replays = 16): PlanResult {
  const primary = new Simulation(input, null);
  const excluded: NodeFilterResult[] = [];
  for (const info of primary.infos) {
    const f = primary.check(info);
    if (f) excluded.push({ nodeId: info.node.id, hostname: info.node.hostname, ...f });
  }
  const { unschedulable } = primary.run();
  const tasksPerNode = primary.counts();

  const reasons: FilterReason[] = [];
  if (unschedulable > 0) {
    const byFilter = new Map<FilterName, string[]>();
    for (const info of primary.infos) {
      const f = primary.check(info);
      if (f) byFilter.set(f.filter, [...(byFilter.get(f.filter) ?? []), info.node.hostname]);
    }
    for (const [filter, nodes] of [...byFilter.entries()].sort((a, b) => b[1].length - a[1].length)) {
      reasons.push({ filter, message: EXPLAIN[filter](nodes.length), nodes });
    }
  }
  const message = unschedulable > 0 ? (reasons.length ? `no suitable node (${reasons.map((r) => r.message).join('; ')})` : 'no suitable node') : null;

  const seen = new Set([key(tasksPerNode)]);
  const alternatives: NodeCount[][] = [];
  for (let i = 1; i <= replays; i++) {
    const sim = new Simulation(input, seeded(i * 7919));
    sim.run();
    const counts = sim.counts();
    const k = key(counts);
    if (seen.has(k)) continue;
    seen.add(k);
    if (alternatives.length < 5) alternatives.push(counts);
  }

  return {
    replicas: input.spec.mode === 'global' ? tasksPerNode.reduce((s, c) => s + c.count, 0) + unschedulable : input.spec.replicas,
    tasksPerNode,
    unschedulable,
    feasible: unschedulable === 0,
    excluded,
    reasons,
    message,
    deterministic: seen.size === 1,
    alternatives,
  };
}
