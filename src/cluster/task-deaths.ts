import { EngineEvent, EngineTask } from '../swarm/engine.types';
import { TaskStateChanged } from '../events/event.types';
import { ClusterChange, TERMINAL_TASK_STATES } from './snapshot-diff';

/** A task container's death as its node's engine reported it. */
export interface ContainerDeath {
  taskId: string;
  serviceId: string | null;
  serviceName: string | null;
  nodeId: string | null;
  containerId: string;
  /** null when the engine gave none (it always does for `die`). */
  exitCode: number | null;
  /** When the container died (ISO 8601, from the event's own time). */
  at: string;
}

const TASK_ID = /^[a-z0-9]{25}$/;

/** A `die` event of a Swarm task container, or null for anything else. */
export function parseContainerDeath(e: EngineEvent): ContainerDeath | null {
  if (e?.Type !== 'container' || e.Action !== 'die') return null;
  const a = e.Actor?.Attributes ?? {};
  const taskId = a['com.docker.swarm.task.id'];
  if (!taskId || !TASK_ID.test(taskId) || !e.Actor?.ID) return null;
  const code = a.exitCode === undefined || a.exitCode === '' ? NaN : Number(a.exitCode);
  const ms = e.timeNano ? Math.floor(e.timeNano / 1e6) : e.time ? e.time * 1000 : Date.now();
  return {
    taskId,
    serviceId: a['com.docker.swarm.service.id'] ?? null,
    serviceName: a['com.docker.swarm.service.name'] ?? null,
    nodeId: a['com.docker.swarm.node.id'] ?? null,
    containerId: e.Actor.ID,
    exitCode: Number.isInteger(code) ? code : null,
    at: new Date(ms).toISOString(),
  };
}

/** The orchestrator still wants the task running: its container's death was not asked for. */
export function wantedRunning(t: EngineTask): boolean {
  return t.DesiredState === 'running' && !TERMINAL_TASK_STATES.has(t.Status.State);
}

export interface EarlyTransition {
  /** The task's state before (null: a task the read model has not listed yet). */
  from: string | null;
  to: 'failed' | 'complete';
  message: string;
  error: string | null;
}

/**
 * What the engine records for a task whose container died, judged from the task as the
 * manager holds it right after the death (and the task's state in the read model, `listed`);
 * null when the death is none of ours to announce: a shutdown Swarm asked for (desired state
 * shutdown or remove: a scale-down, an update, a removal), a task that ended otherwise, or a
 * container that is not the task's.
 * Like Swarm: a non-zero exit fails the task ("task: non-zero exit (N)"), exit 0 completes it
 * ("finished"), for replicated and global services alike. When the manager has already
 * recorded the failure or completion (its worker reported before we asked) that record is the
 * transition: it is still ahead of the task list as the read model shows it.
 */
export function earlyTransition(task: EngineTask, death: ContainerDeath, listed?: string | null): EarlyTransition | null {
  const own = task.Status.ContainerStatus?.ContainerID;
  if (own && own !== death.containerId) return null;
  const state = task.Status.State;
  if (state === 'failed' || state === 'complete') {
    return { from: listed ?? null, to: state, message: task.Status.Message ?? '', error: task.Status.Err ?? null };
  }
  if (!wantedRunning(task)) return null;
  if (death.exitCode === 0) return { from: state, to: 'complete', message: 'finished', error: null };
  const code = death.exitCode ?? 'unknown';
  return { from: state, to: 'failed', message: `container exited with code ${code}`, error: `task: non-zero exit (${code})` };
}

/** The early event of a task: what the node saw, in the shape the task list's events have. */
export function earlyEvent(
  task: EngineTask,
  death: ContainerDeath,
  t: EarlyTransition,
  names: { service: string; nodeName: string | null },
): TaskStateChanged {
  return {
    taskId: task.ID,
    serviceId: task.ServiceID,
    service: names.service,
    slot: task.Slot ?? null,
    nodeId: task.NodeID ?? death.nodeId,
    nodeName: names.nodeName,
    from: t.from,
    to: t.to,
    desiredState: task.DesiredState,
    message: t.message,
    error: t.error,
    containerId: death.containerId,
    exitCode: death.exitCode,
    at: death.at,
    source: 'node',
  };
}

export type EarlyOutcome = 'confirmed' | 'corrected' | 'expired';

/**
 * The task transitions published early (from a node's container event), until the task list
 * shows them. The snapshot diff passes through `filter`: the same transition seen in the task
 * list is not published again; a different end state (the engine's record) is, and replaces
 * the early one; the task list's older, non-final states of the task are dropped, so a client
 * never sees a task go back to running after its early failure.
 */
export class EarlyTaskEvents {
  private readonly early = new Map<string, { to: string; until: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly onOutcome: (o: EarlyOutcome) => void = () => undefined,
  ) {}

  record(taskId: string, to: string, now = Date.now()): void {
    this.early.set(taskId, { to, until: now + this.ttlMs });
  }

  /** Forget one (its publication failed: the task list will tell). */
  forget(taskId: string): void {
    this.early.delete(taskId);
  }

  has(taskId: string): boolean {
    return this.early.has(taskId);
  }

  get size(): number {
    return this.early.size;
  }

  clear(): void {
    this.early.clear();
  }

  /** The diff's changes without what was already published early. */
  filter(changes: ClusterChange[], now = Date.now()): ClusterChange[] {
    if (!this.early.size) return changes;
    for (const [id, e] of this.early) {
      if (e.until <= now) {
        this.early.delete(id);
        this.onOutcome('expired');
      }
    }
    return changes.filter((c) => {
      if (c.type !== 'task') return true;
      const e = this.early.get(c.payload.taskId);
      if (!e) return true;
      const to = c.payload.to;
      if (to === e.to) {
        this.early.delete(c.payload.taskId);
        this.onOutcome('confirmed');
        return false;
      }
      if (!TERMINAL_TASK_STATES.has(to) && to !== 'removed') return false;
      this.early.delete(c.payload.taskId);
      this.onOutcome('corrected');
      return true;
    });
  }
}

/** A data handler for a stream of JSON lines (engine events): each complete line, parsed, to `each`. */
export function jsonLines(each: (e: EngineEvent) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString();
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (!line) continue;
      let e: EngineEvent;
      try {
        e = JSON.parse(line) as EngineEvent;
      } catch {
        continue; // not an event
      }
      each(e);
    }
    // A line never ends: do not let it grow without bound.
    if (rest.length > 1 << 20) rest = '';
  };
}
