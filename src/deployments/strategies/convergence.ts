import { EngineService, EngineTask } from '../../swarm/engine.types';
import { displayImage } from '../../swarm/swarm.mappers';

/**
 * When a rolling update is done, by the rule `docker service update --detach=false` uses
 * rather than by the engine's `UpdateStatus: completed`.
 *
 * The engine marks an update completed only after the last updater worker has slept its
 * `Delay` and then one more `Monitor` period; the CLI returns as soon as every slot runs a task
 * of the new spec and has done so for `Monitor`. Declaring success at that moment is safe:
 * swarmkit's updater counts a failure only for a task it started itself and only within
 * `Monitor` of seeing it run (`failureTriggersAction` in its updater.go); replacements made by
 * the restart supervisor never count. Once every task of the new spec has been seen running for
 * `Monitor`, no later failure can make the engine pause or roll back this update, and its
 * remaining `Delay` + `Monitor` wait cannot change the outcome.
 */

/** Task states in the order of their life (the CLI's `numberedStates`); absent: not a task state. */
const ORDER: Record<string, number> = {
  new: 1,
  allocated: 2,
  pending: 3,
  assigned: 4,
  accepted: 5,
  preparing: 6,
  ready: 7,
  starting: 8,
  running: 9,
  complete: 10,
  shutdown: 11,
  failed: 12,
  rejected: 13,
};

/** The period in which the engine counts failures of the tasks an update started (5 s when unset, as in the engine and the CLI). */
export function monitorMs(svc: Pick<EngineService, 'Spec'>): number {
  const ns = svc.Spec.UpdateConfig?.Monitor ?? 0;
  return ns > 0 ? ns / 1e6 : 5000;
}

/**
 * The CLI's convergence of a replicated service: among the tasks of the current spec (the
 * engine's `_up-to-date` task filter), one per slot (the lowest desired state, then the lowest
 * observed state, skipping tasks on nodes that are down), each desired and observed running,
 * as many as the replicas, all on `image`. Returns those tasks' ids, or null when not converged.
 * Global services are not judged here (null): their completion is the engine's.
 */
export function convergedTasks(svc: Pick<EngineService, 'Spec'>, upToDate: EngineTask[], image: string, downNodes: ReadonlySet<string> = new Set()): string[] | null {
  const replicas = svc.Spec.Mode?.Replicated?.Replicas;
  if (replicas === undefined || replicas === 0) return null;
  if (displayImage(svc.Spec.TaskTemplate.ContainerSpec?.Image) !== displayImage(image)) return null;
  const bySlot = new Map<number, EngineTask>();
  for (const t of upToDate) {
    if (!ORDER[t.DesiredState] || !ORDER[t.Status.State] || t.Slot === undefined) continue;
    if (t.NodeID && downNodes.has(t.NodeID)) continue;
    const cur = bySlot.get(t.Slot);
    if (cur) {
      if (ORDER[cur.DesiredState] < ORDER[t.DesiredState]) continue;
      if (ORDER[cur.DesiredState] === ORDER[t.DesiredState] && ORDER[cur.Status.State] <= ORDER[t.Status.State]) continue;
    }
    bySlot.set(t.Slot, t);
  }
  const running = [...bySlot.values()].filter(
    (t) => ORDER[t.DesiredState] <= ORDER.running && t.Status.State === 'running' && displayImage(t.Spec?.ContainerSpec?.Image) === displayImage(image),
  );
  return running.length === replicas ? running.map((t) => t.ID).sort() : null;
}

/**
 * How long a set of tasks has been seen running together. A task first seen now counts from
 * now (never from an engine timestamp: node and control-plane clocks may differ), so the hold
 * is never shorter than the engine's own monitoring of the same task.
 */
export class RunningSince {
  private seen = new Map<string, number>();

  /** Milliseconds left until every task in `ids` has been seen running for `holdMs` (0: held long enough). */
  remaining(ids: readonly string[], holdMs: number, now = Date.now()): number {
    const next = new Map<string, number>();
    let since = 0;
    for (const id of ids) {
      const first = this.seen.get(id) ?? now;
      next.set(id, first);
      since = Math.max(since, first);
    }
    this.seen = next;
    return Math.max(0, since + holdMs - now);
  }

  reset(): void {
    this.seen.clear();
  }
}
