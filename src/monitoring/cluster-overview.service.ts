import { Inject, Injectable, Optional } from '@nestjs/common';
import { Caller, inScope } from '../common/auth/roles';
import { ClusterStateService, ReadModelFreshness, Snapshot } from '../cluster/cluster-state.service';
import { quorumOf } from '../cluster/quorum';
import { ACTIVE_DEPLOYMENTS, ActiveDeploymentsSource } from './active-deployments';
import { ClusterOverview } from './monitoring.types';

export function countBy<T>(items: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) {
    const k = key(x);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The swarm at a glance, from the read model; services and tasks limited to the caller's scope. */
export function overview(snap: Snapshot, caller: Caller | undefined, runningDeployments: number, fresh?: ReadModelFreshness): ClusterOverview {
  const services = snap.services.filter((s) => inScope(caller, s.Spec.Labels));
  const ids = new Set(services.map((s) => s.ID));
  const tasks = snap.tasks.filter((t) => ids.has(t.ServiceID));
  const replicated = services.filter((s) => !s.Spec.Mode?.Global);
  const leader = snap.nodes.find((n) => n.ManagerStatus?.Leader);
  const ageSeconds = fresh?.ageSeconds ?? (Date.now() - snap.at) / 1000;
  return {
    nodes: {
      total: snap.nodes.length,
      byState: countBy(snap.nodes, (n) => n.Status.State),
      byAvailability: countBy(snap.nodes, (n) => n.Spec.Availability),
      byRole: countBy(snap.nodes, (n) => n.Spec.Role),
    },
    leader: leader
      ? { id: leader.ID, hostname: leader.Description?.Hostname ?? leader.ID, addr: leader.ManagerStatus?.Addr ?? null }
      : null,
    services: {
      total: services.length,
      replicated: replicated.length,
      global: services.length - replicated.length,
      desiredReplicas: replicated.reduce((a, s) => a + (s.Spec.Mode?.Replicated?.Replicas ?? 0), 0),
      runningReplicas: replicated.reduce((a, s) => a + (snap.runningByService.get(s.ID) ?? 0), 0),
    },
    tasks: { total: tasks.length, byState: countBy(tasks, (t) => t.Status.State) },
    deployments: { running: runningDeployments },
    snapshotAt: new Date(Date.now() - ageSeconds * 1000).toISOString(),
    quorum: quorumOf(snap.nodes, snap.tasks, snap.services, fresh?.engine ?? 'ok'),
    readModel: { stale: fresh?.stale ?? false, ageSeconds },
  };
}

@Injectable()
export class ClusterOverviewService {
  constructor(
    private readonly state: ClusterStateService,
    @Optional() @Inject(ACTIVE_DEPLOYMENTS) private readonly deployments?: ActiveDeploymentsSource,
  ) {}

  async overview(caller: Caller): Promise<ClusterOverview> {
    const [snap, running] = await Promise.all([this.state.snapshot(), this.deployments?.activeDeployments(caller) ?? Promise.resolve(0)]);
    return overview(snap, caller, running, this.state.freshness());
  }
}

