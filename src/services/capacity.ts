import { EngineNode, EngineTask } from '../swarm/engine.types';

/** What a node can still reserve: its capacity minus the reservations of the tasks it runs. */
export interface NodeRoom {
  hostname: string;
  freeNanoCpus: number;
  freeMemoryBytes: number;
}

const LIVE = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

/**
 * Free room on every READY + ACTIVE node, not counting `excludeServiceId`'s own tasks (they are
 * the ones being replaced). Placement constraints are not considered here.
 */
export function nodeRoom(nodes: EngineNode[], tasks: EngineTask[], excludeServiceId?: string): NodeRoom[] {
  const used = new Map<string, { cpu: number; mem: number }>();
  for (const t of tasks) {
    if (!t.NodeID || t.ServiceID === excludeServiceId || t.DesiredState !== 'running' || !LIVE.has(t.Status.State)) continue;
    const r = t.Spec?.Resources?.Reservations;
    const u = used.get(t.NodeID) ?? { cpu: 0, mem: 0 };
    u.cpu += r?.NanoCPUs ?? 0;
    u.mem += r?.MemoryBytes ?? 0;
    used.set(t.NodeID, u);
  }
  return nodes
    .filter((n) => n.Status.State === 'ready' && n.Spec.Availability === 'active')
    .map((n) => {
      const u = used.get(n.ID) ?? { cpu: 0, mem: 0 };
      return {
        hostname: n.Description?.Hostname ?? n.ID,
        freeNanoCpus: Math.max(0, (n.Description?.Resources?.NanoCPUs ?? 0) - u.cpu),
        freeMemoryBytes: Math.max(0, (n.Description?.Resources?.MemoryBytes ?? 0) - u.mem),
      };
    });
}

/** Whether one task with these reservations fits on at least one node. */
export function fitsSomewhere(reservations: { NanoCPUs?: number; MemoryBytes?: number } | undefined, rooms: NodeRoom[]): boolean {
  const cpu = reservations?.NanoCPUs ?? 0;
  const mem = reservations?.MemoryBytes ?? 0;
  if (!cpu && !mem) return true;
  return rooms.some((r) => r.freeNanoCpus >= cpu && r.freeMemoryBytes >= mem);
}
