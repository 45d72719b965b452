import { Injectable, Logger } from '@nestjs/common';
import { counter } from '../common/metrics';
import { EventBus } from '../events/event-bus';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineEvent } from '../swarm/engine.types';
import { ClusterStateService } from './cluster-state.service';
import { LeaderService } from './leader.service';
import { ClusterChange, TERMINAL_TASK_STATES } from './snapshot-diff';
import { ContainerDeath, EarlyTaskEvents, earlyEvent, earlyTransition, jsonLines, parseContainerDeath, wantedRunning } from './task-deaths';

const earlyEvents = counter(
  'swarm_cp_task_events_early_total',
  'task transitions published from a node\'s container event before the task list showed them, by outcome: published, then confirmed (the task list showed the same), corrected (it showed another end state, published too) or expired',
  ['outcome'],
);

/** How long an early event waits for the task list before it is forgotten. */
const CONFIRM_WITHIN_MS = 60_000;
/** How long the snapshot diff's events wait at most for an early event being decided. */
const HOLD_MS = 1000;

/**
 * Task events faster than the task list. A node reports a task container's death at once; the
 * manager's task list shows it a few hundred milliseconds later (the worker reports, the
 * manager records, the next refresh reads it). While this process leads, a death the
 * orchestrator did not ask for (the manager still wants the task running) is published at once
 * as the task's failure, marked `source: "node"`; the snapshot diff then does not publish the
 * same transition again (see EarlyTaskEvents). What this process published early stays
 * remembered across a leadership change (it lost and regained the lock: its own early events
 * are still confirmed); a new leader has none of them and publishes the task list's version:
 * at least once, as every event around a handover.
 *
 * The read model only pre-filters (a task it already knows as wanted stopped costs nothing);
 * the decision is made on the manager's record read right after the death, because Swarm sets
 * a task's desired state before it tells the node to stop the container: a scale-down, update
 * or removal is never announced as a failure, even when the read model has not caught up. When
 * that record already shows the failure (the worker reported before we asked), the record is
 * published, still ahead of the read model. A task the read model does not know yet (started
 * and died between two refreshes) is decided the same way.
 */
@Injectable()
export class TaskDeathTracker {
  private readonly log = new Logger('TaskDeaths');
  private readonly early = new EarlyTaskEvents(CONFIRM_WITHIN_MS, (o) => earlyEvents.inc({ outcome: o }));
  /** Tasks whose early event is being decided. */
  private readonly pending = new Set<string>();
  private readonly held: ClusterChange[][] = [];
  private holdTimer?: NodeJS.Timeout;
  private publishChange?: (c: ClusterChange) => void;

  constructor(
    private readonly state: ClusterStateService,
    private readonly swarm: SwarmRepository,
    private readonly bus: EventBus,
    private readonly leader: LeaderService,
  ) {}

  /** The data handler for one node's container event stream. */
  follow(hostname: string): (chunk: Buffer | string) => void {
    return jsonLines((e) => this.onEvent(hostname, e));
  }

  /**
   * Publishes the snapshot diff's changes (in order) without the transitions already published
   * early. While an early event is being decided (one read of the manager) they wait, at most
   * HOLD_MS, so the early event goes first and its confirmation by the task list is recognised
   * even when a refresh finishes during that read.
   */
  pass(changes: ClusterChange[], publish: (c: ClusterChange) => void): void {
    this.publishChange = publish;
    if (changes.length) this.held.push(changes);
    this.release();
  }

  private release(force = false): void {
    if (this.pending.size && !force) {
      if (this.held.length && !this.holdTimer) {
        this.holdTimer = setTimeout(() => {
          this.holdTimer = undefined;
          this.pending.clear(); // late answers then find the task list ahead of them
          this.release(true);
        }, HOLD_MS);
        this.holdTimer.unref();
      }
      return;
    }
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    for (let batch = this.held.shift(); batch; batch = this.held.shift()) for (const c of this.early.filter(batch)) this.publishChange?.(c);
  }

  private onEvent(hostname: string, e: EngineEvent): void {
    const death = parseContainerDeath(e);
    if (!death || !this.leader.isLeader || this.pending.has(death.taskId) || this.early.has(death.taskId)) return;
    const known = this.state.lastSnapshot?.tasks.find((t) => t.ID === death.taskId);
    if (known && !wantedRunning(known)) return; // a stop Swarm asked for, or already in the task list
    this.pending.add(death.taskId);
    this.announce(hostname, death, known?.Status.State ?? null)
      .catch((err) => this.log.warn(`early event for task ${death.taskId}: ${(err as Error).message}`))
      .finally(() => {
        this.pending.delete(death.taskId);
        this.release();
      });
  }

  private async announce(hostname: string, death: ContainerDeath, knownState: string | null): Promise<void> {
    const task = await this.swarm.inspectTask(death.taskId).catch(() => null);
    if (!task) return; // gone already: nothing to announce
    const snap = this.state.lastSnapshot;
    // Held too long: the diff's events went out, and the task list may have had it first.
    const listed = snap?.tasks.find((x) => x.ID === task.ID);
    if (!this.pending.has(task.ID) && listed && TERMINAL_TASK_STATES.has(listed.Status.State)) return;
    const t = earlyTransition(task, death, knownState);
    if (!t || !this.leader.isLeader) return;
    // Recorded before anything else is awaited: a refresh finishing meanwhile is filtered.
    this.early.record(task.ID, t.to);
    const service = snap?.servicesById.get(task.ServiceID) ?? (await this.swarm.inspectService(task.ServiceID).catch(() => undefined));
    const name = service?.Spec.Name ?? death.serviceName ?? task.ServiceID;
    const payload = earlyEvent(task, death, t, { service: name, nodeName: snap?.nodeName(task.NodeID) ?? hostname });
    const id = await this.bus.publish('task', payload, { service: name, labels: service?.Spec.Labels ?? {} });
    if (id) earlyEvents.inc({ outcome: 'published' });
    else this.early.forget(task.ID); // not published (Redis unreachable): the task list's event is the one to publish
  }
}
