import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';

/** The engine as the read model's last read found it: answering, unreachable, or without a leader. */
export type EngineState = 'ok' | 'unavailable' | 'no-quorum';

export type Reachability = 'reachable' | 'unreachable' | 'unknown';

export interface QuorumMemberData {
  id: string;
  hostname: string;
  addr: string | null;
  reachability: Reachability;
  leader: boolean;
  runsWorkloads: boolean;
}

export interface QuorumData {
  managers: number;
  reachable: number;
  /** (managers - 1) / 2 (rounded down) - unreachable managers: how many more may fail; below 0 the quorum is lost. */
  faultTolerance: number;
  hasQuorum: boolean;
  leader: { id: string; hostname: string; addr: string | null } | null;
  members: QuorumMemberData[];
  warnings: string[];
}

/**
 * Label marking a service as part of the platform rather than a workload (the control plane
 * itself, monitoring agents): its tasks on a manager are not "a manager running workloads".
 * Global services (one task per node by design) do not count either.
 */
export const SYSTEM_LABEL = 'swarm-cp.system';

const RUNS = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

function reachability(n: EngineNode): Reachability {
  const r = n.ManagerStatus?.Reachability;
  return r === 'reachable' || r === 'unreachable' ? r : 'unknown';
}

/**
 * The managers' raft quorum as the read model saw it last. With the engine answering "no leader"
 * (`engine: 'no-quorum'`: an election, or too few managers), nothing is known of the members'
 * reachability, the swarm has no leader, and the tolerance is that of a lost quorum (< 0). Pure.
 */
export function quorumOf(nodes: EngineNode[], tasks: EngineTask[], services: EngineService[], engine: EngineState): QuorumData {
  const managerNodes = nodes.filter((n) => n.Spec.Role === 'manager' || n.ManagerStatus);
  const noLeader = engine === 'no-quorum';
  const platform = new Set(services.filter((s) => s.Spec.Mode?.Global || s.Spec.Labels?.[SYSTEM_LABEL] !== undefined).map((s) => s.ID));
  const workloads = new Map<string, number>();
  for (const t of tasks) {
    if (!t.NodeID || platform.has(t.ServiceID) || t.DesiredState !== 'running' || !RUNS.has(t.Status.State)) continue;
    workloads.set(t.NodeID, (workloads.get(t.NodeID) ?? 0) + 1);
  }
  const members: QuorumMemberData[] = managerNodes
    .map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID,
      addr: n.ManagerStatus?.Addr ?? null,
      reachability: noLeader ? ('unknown' as const) : reachability(n),
      leader: !noLeader && !!n.ManagerStatus?.Leader,
      runsWorkloads: n.Spec.Availability === 'active' && (workloads.get(n.ID) ?? 0) > 0,
    }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
  const managers = members.length;
  const reachable = members.filter((m) => m.reachability === 'reachable').length;
  const unreachable = noLeader ? managers - Math.floor(managers / 2) : members.filter((m) => m.reachability === 'unreachable').length;
  const faultTolerance = Math.floor((managers - 1) / 2) - unreachable;
  const hasQuorum = !noLeader && managers > 0 && faultTolerance >= 0;
  const leaderMember = members.find((m) => m.leader);
  const warnings: string[] = [];
  if (noLeader) warnings.push('the swarm has no leader: the managers are electing one or too few are reachable for a quorum; no changes can be made');
  else if (faultTolerance < 0) warnings.push(`quorum lost: ${unreachable} of ${managers} managers unreachable`);
  else if (faultTolerance === 0) {
    warnings.push(
      managers === 1
        ? 'fault tolerance 0: a single manager; its loss stops all changes to the swarm (run 3 or 5 managers)'
        : `fault tolerance 0: losing one more of the ${reachable} reachable managers loses the quorum`,
    );
  }
  if (managers > 0 && managers % 2 === 0) {
    warnings.push(`${managers} managers: an even number tolerates no more failures than ${managers - 1}; run an odd number (3 or 5)`);
  }
  for (const m of members) {
    if (m.runsWorkloads) {
      warnings.push(`manager ${m.hostname} also runs ${workloads.get(m.id)} workload task(s): drain it so managers only manage (docker node update --availability drain)`);
    }
  }
  return {
    managers,
    reachable,
    faultTolerance,
    hasQuorum,
    leader: leaderMember ? { id: leaderMember.id, hostname: leaderMember.hostname, addr: leaderMember.addr } : null,
    members,
    warnings,
  };
}
