import { Injectable, OnModuleInit } from '@nestjs/common';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { SnapshotData } from '../cluster/snapshot-diff';
import { counter } from '../common/metrics';

/** States a task reaches when its container ended on its own (not stopped by the orchestrator: that is `shutdown`). */
const ENDED = new Set(['failed', 'rejected', 'complete']);

const restarts = counter(
  'swarm_service_task_restarts_total',
  'Tasks of a service that ended on their own (failed, rejected, or exited while meant to run); Swarm replaces each with a new task. ' +
    'Every process counts from its own read model: aggregate with max by (service).',
  ['service'],
);

/**
 * Tasks that ended on their own between two snapshots, per service name: a task seen in another
 * state before and in an ended state now, or first seen already ended (it started and died between
 * two refreshes). Pure.
 */
export function endedTasks(prev: SnapshotData, next: SnapshotData): Map<string, number> {
  const before = new Map(prev.tasks.map((t) => [t.ID, t.Status.State]));
  const names = new Map<string, string>();
  for (const s of [...prev.services, ...next.services]) names.set(s.ID, s.Spec.Name ?? s.ID);
  const out = new Map<string, number>();
  for (const t of next.tasks) {
    if (!ENDED.has(t.Status.State) || ENDED.has(before.get(t.ID) ?? '')) continue;
    const name = names.get(t.ServiceID);
    if (name) out.set(name, (out.get(name) ?? 0) + 1);
  }
  return out;
}

/** Keeps swarm_service_task_restarts_total from this process's read model refreshes. */
@Injectable()
export class TaskRestartMetrics implements OnModuleInit {
  constructor(private readonly state: ClusterStateService) {}

  private readonly known = new Set<string>();

  onModuleInit(): void {
    this.state.onSnapshot((prev, next) => {
      this.track(next.services.map((s) => s.Spec.Name ?? s.ID));
      if (!prev) return;
      for (const [service, n] of endedTasks(prev, next)) restarts.inc({ service }, n);
    });
  }

  /**
   * Every service has its series from the start, at 0: Prometheus's increase() cannot see the
   * first restart of a series that is born at 1. A removed service's series goes with it.
   */
  private track(names: string[]): void {
    const now = new Set(names);
    for (const n of now) {
      if (this.known.has(n)) continue;
      restarts.inc({ service: n }, 0);
      this.known.add(n);
    }
    for (const n of this.known) {
      if (now.has(n)) continue;
      restarts.remove({ service: n });
      this.known.delete(n);
    }
  }
}
