import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';

/** What the read model holds of the swarm: the engine's own objects, and network names by id. */
export interface ReadModelData {
  services: EngineService[];
  tasks: EngineTask[];
  nodes: EngineNode[];
  networks: Array<[id: string, name: string]>;
}

/** Objects put (new or changed) and ids removed. */
export interface Changes<T> {
  put: T[];
  del: string[];
}

/** The difference between two ReadModelData, kind by kind (absent: no change of that kind). */
export interface SnapshotDelta {
  services?: Changes<EngineService>;
  tasks?: Changes<EngineTask>;
  nodes?: Changes<EngineNode>;
  networks?: Changes<[string, string]>;
}

type Versioned = { ID: string; Version?: { Index: number }; UpdatedAt?: string };

/** Swarm objects change their version (the raft index of the write) with every stored change. */
function sameObject(a: Versioned, b: Versioned): boolean {
  return a.Version?.Index === b.Version?.Index && a.UpdatedAt === b.UpdatedAt;
}

/** A task's state is stored with a new version, but compared as well (as the read model's content key does). */
function sameTask(a: EngineTask, b: EngineTask): boolean {
  return sameObject(a, b) && a.Status?.State === b.Status?.State && a.DesiredState === b.DesiredState;
}

/** A manager's reachability and leadership are computed at list time, not stored: no new version. */
function sameNode(a: EngineNode, b: EngineNode): boolean {
  const m = a.ManagerStatus;
  const n = b.ManagerStatus;
  return sameObject(a, b) && a.Status?.State === b.Status?.State && m?.Leader === n?.Leader && m?.Reachability === n?.Reachability;
}

function diffKind<T>(prev: T[], next: T[], id: (x: T) => string, same: (a: T, b: T) => boolean): Changes<T> | undefined {
  const before = new Map(prev.map((x) => [id(x), x]));
  const after = new Set<string>();
  const put: T[] = [];
  for (const x of next) {
    const k = id(x);
    after.add(k);
    const p = before.get(k);
    if (!p || !same(p, x)) put.push(x);
  }
  const del = prev.map(id).filter((k) => !after.has(k));
  return put.length || del.length ? { put, del } : undefined;
}

function applyKind<T>(list: T[], changes: Changes<T> | undefined, id: (x: T) => string): T[] {
  if (!changes) return list;
  const gone = new Set(changes.del);
  const puts = new Map(changes.put.map((x) => [id(x), x]));
  const out: T[] = [];
  for (const x of list) {
    const k = id(x);
    if (gone.has(k)) continue;
    const p = puts.get(k);
    if (p) puts.delete(k);
    out.push(p ?? x);
  }
  return [...out, ...puts.values()];
}

const byId = (x: Versioned) => x.ID;
const netId = (x: [string, string]) => x[0];

/** What changed from `prev` to `next`; null when nothing did. Pure. */
export function computeDelta(prev: ReadModelData, next: ReadModelData): SnapshotDelta | null {
  const delta: SnapshotDelta = {
    services: diffKind(prev.services, next.services, byId, sameObject),
    tasks: diffKind(prev.tasks, next.tasks, byId, sameTask),
    nodes: diffKind(prev.nodes, next.nodes, byId, sameNode),
    networks: diffKind(prev.networks, next.networks, netId, (a, b) => a[1] === b[1]),
  };
  for (const k of Object.keys(delta) as Array<keyof SnapshotDelta>) if (!delta[k]) delete delta[k];
  return Object.keys(delta).length ? delta : null;
}

/** `base` with `delta` applied (objects replaced in place, new ones appended, removed ones gone). Pure. */
export function applyDelta(base: ReadModelData, delta: SnapshotDelta): ReadModelData {
  return {
    services: applyKind(base.services, delta.services, byId),
    tasks: applyKind(base.tasks, delta.tasks, byId),
    nodes: applyKind(base.nodes, delta.nodes, byId),
    networks: applyKind(base.networks, delta.networks, netId),
  };
}
