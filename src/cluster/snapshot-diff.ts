import { EngineNode, EngineService, EngineTask, Labels } from '../swarm/engine.types';
import { displayImage } from '../swarm/swarm.mappers';
import { NodeChanged, ServiceChanged, TaskStateChanged } from '../events/event.types';

/** What the diff needs of a snapshot (the read model's Snapshot has it). */
export interface SnapshotData {
  at: number;
  services: EngineService[];
  tasks: EngineTask[];
  nodes: EngineNode[];
}

export type ClusterChange =
  | { type: 'task'; service: string; labels: Labels; payload: TaskStateChanged }
  | { type: 'service'; service: string; labels: Labels; payload: ServiceChanged }
  | { type: 'node'; payload: NodeChanged };

/** States a task never leaves; such tasks vanishing (history pruning) is not an event. */
export const TERMINAL_TASK_STATES: ReadonlySet<string> = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);

/** JSON with sorted object keys, so equal values compare equal whatever the key order. */
export function stableJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

type Extract<T> = (x: T) => unknown;

/** The parts of a service spec callers care about, by the name they know them under. */
const SERVICE_FIELDS: Array<[string, Extract<EngineService>]> = [
  ['image', (s) => displayImage(s.Spec.TaskTemplate.ContainerSpec?.Image)],
  ['replicas', (s) => s.Spec.Mode?.Replicated?.Replicas],
  ['mode', (s) => (s.Spec.Mode?.Global ? 'global' : 'replicated')],
  ['labels', (s) => s.Spec.Labels ?? {}],
  ['env', (s) => s.Spec.TaskTemplate.ContainerSpec?.Env ?? []],
  ['command', (s) => s.Spec.TaskTemplate.ContainerSpec?.Command],
  ['args', (s) => s.Spec.TaskTemplate.ContainerSpec?.Args],
  ['mounts', (s) => s.Spec.TaskTemplate.ContainerSpec?.Mounts],
  ['healthcheck', (s) => s.Spec.TaskTemplate.ContainerSpec?.HealthCheck],
  ['resources', (s) => s.Spec.TaskTemplate.Resources],
  ['placement', (s) => s.Spec.TaskTemplate.Placement],
  ['restartPolicy', (s) => s.Spec.TaskTemplate.RestartPolicy],
  ['networks', (s) => s.Spec.TaskTemplate.Networks ?? s.Spec.Networks],
  ['ports', (s) => s.Spec.EndpointSpec?.Ports],
  ['endpointMode', (s) => s.Spec.EndpointSpec?.Mode ?? 'vip'],
  ['updateConfig', (s) => s.Spec.UpdateConfig],
  ['rollbackConfig', (s) => s.Spec.RollbackConfig],
  ['forceUpdate', (s) => s.Spec.TaskTemplate.ForceUpdate],
  ['updateStatus', (s) => s.UpdateStatus?.State],
];

const NODE_FIELDS: Array<[string, Extract<EngineNode>]> = [
  ['state', (n) => n.Status.State],
  ['availability', (n) => n.Spec.Availability],
  ['role', (n) => n.Spec.Role],
  ['labels', (n) => n.Spec.Labels ?? {}],
  ['hostname', (n) => n.Description?.Hostname],
  ['address', (n) => n.Status.Addr],
  ['leader', (n) => !!n.ManagerStatus?.Leader],
  ['reachability', (n) => n.ManagerStatus?.Reachability],
];

function changedFields<T>(fields: Array<[string, Extract<T>]>, a: T, b: T): string[] {
  return fields.filter(([, get]) => stableJson(get(a)) !== stableJson(get(b))).map(([name]) => name);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function serviceEvent(s: EngineService, change: ServiceChanged['change'], fields: string[], at: string, prev?: EngineService): ClusterChange {
  const name = s.Spec.Name ?? s.ID;
  return {
    type: 'service',
    service: name,
    labels: s.Spec.Labels ?? {},
    payload: {
      serviceId: s.ID,
      service: name,
      change,
      version: s.Version.Index,
      previousVersion: prev ? prev.Version.Index : null,
      changedFields: fields,
      image: displayImage(s.Spec.TaskTemplate.ContainerSpec?.Image),
      replicas: s.Spec.Mode?.Global ? null : (s.Spec.Mode?.Replicated?.Replicas ?? 1),
      updateState: s.UpdateStatus?.State ?? null,
      at,
    },
  };
}

function diffServices(prev: SnapshotData, next: SnapshotData): { created: ClusterChange[]; updated: ClusterChange[]; removed: ClusterChange[] } {
  const at = iso(next.at);
  const before = new Map(prev.services.map((s) => [s.ID, s]));
  const after = new Map(next.services.map((s) => [s.ID, s]));
  const created: ClusterChange[] = [];
  const updated: ClusterChange[] = [];
  const removed: ClusterChange[] = [];
  for (const s of next.services) {
    const p = before.get(s.ID);
    if (!p) {
      created.push(serviceEvent(s, 'created', [], s.CreatedAt || at));
      continue;
    }
    const fields = changedFields(SERVICE_FIELDS, p, s);
    if (fields.length === 0 && p.Version.Index === s.Version.Index) continue;
    if (fields.length === 0 && stableJson(p.Spec) !== stableJson(s.Spec)) fields.push('spec');
    updated.push(serviceEvent(s, 'updated', fields, s.UpdatedAt || at, p));
  }
  for (const p of prev.services) {
    if (!after.has(p.ID)) removed.push(serviceEvent(p, 'removed', [], at, p));
  }
  return { created, updated, removed };
}

function diffNodes(prev: SnapshotData, next: SnapshotData): ClusterChange[] {
  const at = iso(next.at);
  const before = new Map(prev.nodes.map((n) => [n.ID, n]));
  const after = new Set(next.nodes.map((n) => n.ID));
  const out: ClusterChange[] = [];
  const event = (n: EngineNode, change: NodeChanged['change'], fields: string[], p?: EngineNode): ClusterChange => ({
    type: 'node',
    payload: {
      nodeId: n.ID,
      hostname: n.Description?.Hostname ?? n.ID,
      change,
      state: n.Status.State,
      availability: n.Spec.Availability,
      role: n.Spec.Role,
      previousState: p ? p.Status.State : null,
      previousAvailability: p ? p.Spec.Availability : null,
      changedFields: fields,
      message: n.Status.Message ?? null,
      at,
    },
  });
  for (const n of next.nodes) {
    const p = before.get(n.ID);
    if (!p) out.push(event(n, 'created', []));
    else {
      // Version alone moves with heartbeats and certificate renewals: only named fields count.
      const fields = changedFields(NODE_FIELDS, p, n);
      if (fields.length) out.push(event(n, 'updated', fields, p));
    }
  }
  for (const p of prev.nodes) if (!after.has(p.ID)) out.push(event(p, 'removed', [], p));
  return out;
}

function diffTasks(prev: SnapshotData, next: SnapshotData): ClusterChange[] {
  const services = new Map<string, EngineService>();
  for (const s of prev.services) services.set(s.ID, s);
  for (const s of next.services) services.set(s.ID, s);
  const nodeNames = new Map<string, string>();
  for (const n of [...prev.nodes, ...next.nodes]) if (n.Description?.Hostname) nodeNames.set(n.ID, n.Description.Hostname);
  const before = new Map(prev.tasks.map((t) => [t.ID, t]));
  const after = new Set(next.tasks.map((t) => t.ID));

  const event = (t: EngineTask, from: string | null, to: string, at: string): ClusterChange & { sortKey: string } => {
    const s = services.get(t.ServiceID);
    const name = s?.Spec.Name ?? t.ServiceID;
    return {
      type: 'task',
      service: name,
      labels: s?.Spec.Labels ?? {},
      sortKey: at,
      payload: {
        taskId: t.ID,
        serviceId: t.ServiceID,
        service: name,
        slot: t.Slot ?? null,
        nodeId: t.NodeID ?? null,
        nodeName: t.NodeID ? (nodeNames.get(t.NodeID) ?? null) : null,
        from,
        to,
        desiredState: t.DesiredState,
        message: t.Status.Message ?? null,
        error: t.Status.Err ?? null,
        containerId: t.Status.ContainerStatus?.ContainerID ?? null,
        exitCode: t.Status.ContainerStatus?.ExitCode ?? null,
        at,
        source: 'tasks',
      },
    };
  };

  const out: Array<ClusterChange & { sortKey: string }> = [];
  for (const t of next.tasks) {
    const at = t.Status.Timestamp || t.UpdatedAt || iso(next.at);
    const p = before.get(t.ID);
    if (!p) out.push(event(t, null, t.Status.State, at));
    else if (p.Status.State !== t.Status.State || (p.DesiredState !== t.DesiredState && !TERMINAL_TASK_STATES.has(t.Status.State))) {
      // A desired-state change alone (the orchestrator asked a running task to stop) is an
      // event too: from === to, desiredState tells what is coming. Not for a task that has
      // already ended: the orchestrator marking a failed task `shutdown` as it starts the
      // replacement is no transition, and would publish the task's end a second time.
      out.push(event(t, p.Status.State, t.Status.State, at));
    }
  }
  for (const p of prev.tasks) {
    if (!after.has(p.ID) && !TERMINAL_TASK_STATES.has(p.Status.State)) out.push(event(p, p.Status.State, 'removed', iso(next.at)));
  }
  // Transitions in the engine's order (a failed task before its replacement), ties by task id.
  out.sort((a, b) => a.sortKey.localeCompare(b.sortKey) || (a.payload as TaskStateChanged).taskId.localeCompare((b.payload as TaskStateChanged).taskId));
  return out.map(({ sortKey: _s, ...c }) => c as ClusterChange);
}

/**
 * The events between two consecutive snapshots: services created, node changes, task
 * transitions in engine order, service updates, then services removed. Pure.
 */
export function diffSnapshots(prev: SnapshotData, next: SnapshotData): ClusterChange[] {
  const services = diffServices(prev, next);
  return [...services.created, ...diffNodes(prev, next), ...services.updated, ...diffTasks(prev, next), ...services.removed];
}
