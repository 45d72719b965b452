import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';

/**
 * The kinds of live events. One GraphQL/OpenAPI class per payload: the same object is
 * the `data:` of an SSE message and the value of a GraphQL subscription.
 */
export const EVENT_TYPES = ['task', 'service', 'node', 'deployment', 'autoscaling', 'cluster'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

@ObjectType({ description: 'a task moved from one state to another (from is null for a new task)' })
export class TaskStateChanged {
  @Prop('string') taskId!: string;
  @Prop('string') serviceId!: string;
  @Prop('string') service!: string;
  @Prop('int', { optional: true, description: 'null for global services' }) slot!: number | null;
  @Prop('string', { optional: true }) nodeId!: string | null;
  @Prop('string', { optional: true }) nodeName!: string | null;
  @Prop('string', { optional: true, description: 'previous state; null when the task is new' }) from!: string | null;
  @Prop('string', { description: 'new state (new, pending, assigned, ..., running, complete, failed, shutdown, rejected), or "removed"' })
  to!: string;
  @Prop('string') desiredState!: string;
  @Prop('string', { optional: true }) message!: string | null;
  @Prop('string', { optional: true }) error!: string | null;
  @Prop('string', { optional: true }) containerId!: string | null;
  @Prop('int', { optional: true }) exitCode!: number | null;
  @Prop('string', { description: 'when the engine recorded the transition (ISO 8601); for source "node", when the container died' }) at!: string;
  @Prop('string', {
    optional: true,
    enum: ['tasks', 'node'],
    description:
      'where the transition was seen: "tasks", the engine\'s task list; "node", the container\'s death reported by its node before the task list shows it (an early event: not published again when the task list confirms it; a different end state in the task list follows as its own event). Absent on events stored before this field existed: read as "tasks"',
  })
  source?: 'tasks' | 'node' | null;
}

@ObjectType({ description: 'a service was created, changed (spec or update status) or removed' })
export class ServiceChanged {
  @Prop('string') serviceId!: string;
  @Prop('string') service!: string;
  @Prop('string', { enum: ['created', 'updated', 'removed'] }) change!: 'created' | 'updated' | 'removed';
  @Prop('int', { description: 'engine object version after the change (before it, for removed)' }) version!: number;
  @Prop('int', { optional: true }) previousVersion!: number | null;
  @Prop('string', { array: true, description: 'what changed: image, replicas, env, labels, resources, placement, ports, ...' })
  changedFields!: string[];
  @Prop('string') image!: string;
  @Prop('int', { optional: true, description: 'desired replicas; null for global services' }) replicas!: number | null;
  @Prop('string', { optional: true, description: 'the engine update state (updating, completed, paused, rollback_*)' })
  updateState!: string | null;
  @Prop('string') at!: string;
}

@ObjectType({ description: 'a node joined, changed state, availability, role or labels, or left' })
export class NodeChanged {
  @Prop('string') nodeId!: string;
  @Prop('string') hostname!: string;
  @Prop('string', { enum: ['created', 'updated', 'removed'] }) change!: 'created' | 'updated' | 'removed';
  @Prop('string', { description: 'ready, down, unknown, disconnected' }) state!: string;
  @Prop('string', { enum: ['active', 'pause', 'drain'] }) availability!: string;
  @Prop('string', { enum: ['manager', 'worker'] }) role!: string;
  @Prop('string', { optional: true }) previousState!: string | null;
  @Prop('string', { optional: true }) previousAvailability!: string | null;
  @Prop('string', { array: true, description: 'state, availability, role, labels, leader, reachability, address' })
  changedFields!: string[];
  @Prop('string', { optional: true }) message!: string | null;
  @Prop('string') at!: string;
}

@ObjectType()
export class DeploymentProgressCount {
  @Prop('int') updated!: number;
  @Prop('int') total!: number;
}

@ObjectType({ description: 'a deployment moved on (published by the deployment processor)' })
export class DeploymentProgressEvent {
  @Prop('string', { description: 'deployment id' }) id!: string;
  @Prop('string') service!: string;
  @Prop('string', { description: 'queued, running, awaiting-promotion, succeeded, failed, rolled-back, cancelled' })
  status!: string;
  @Prop('string', { optional: true, description: 'rolling or blue-green' }) strategy?: string | null;
  @Prop('string', { optional: true, description: 'the step now running or just finished' }) step?: string | null;
  @Prop('string', { optional: true }) message?: string | null;
  @Prop('string', { optional: true }) error?: string | null;
  @Prop(DeploymentProgressCount, { optional: true }) progress?: DeploymentProgressCount | null;
  @Prop('string') at!: string;
}

@ObjectType({ description: 'one autoscaling round for a service (published by the autoscaler)' })
export class AutoscalingDecisionEvent {
  @Prop('string') service!: string;
  @Prop('string', { description: 'scale-up, scale-down, none' }) action!: string;
  @Prop('int', { description: 'replicas before' }) from!: number;
  @Prop('int', { description: 'replicas after (equal to from when nothing changed)' }) to!: number;
  @Prop('string', { optional: true }) reason?: string | null;
  @Prop('string', { optional: true, description: 'the metric that decided, e.g. cpu' }) metric?: string | null;
  @Prop('float', { optional: true }) value?: number | null;
  @Prop('float', { optional: true }) target?: number | null;
  @Prop('boolean', { optional: true, description: 'true when the change was held back (cooldown, bounds, dry run)' })
  held?: boolean | null;
  @Prop('string', { optional: true, description: 'the decision id in GET /v1/autoscaling/decisions' }) decisionId?: string | null;
  @Prop('string', { optional: true, description: 'why, machine-readable (AutoscalingDecision.code)' }) code?: string | null;
  @Prop('boolean', { optional: true, description: 'true when the replica count was changed' }) applied?: boolean | null;
  @Prop('boolean', { optional: true }) dryRun?: boolean | null;
  @Prop('string') at!: string;
}

@ObjectType({ description: "the managers' fault tolerance changed (published by the watcher leader); kind ManagerQuorumChanged" })
export class ManagerQuorumChanged {
  @Prop('string', { enum: ['ManagerQuorumChanged'] }) kind!: 'ManagerQuorumChanged';
  @Prop('int', { description: '(managers - 1) / 2 - unreachable managers; below 0 the quorum is lost (or no leader is elected yet)' })
  faultTolerance!: number;
  @Prop('int', { description: 'the fault tolerance before this change' }) previous!: number;
  @Prop('int') managers!: number;
  @Prop('int', { description: 'managers reachable from the leader (0 while there is none)' }) reachable!: number;
  @Prop('string') at!: string;
}

export interface EventPayloads {
  task: TaskStateChanged;
  service: ServiceChanged;
  node: NodeChanged;
  deployment: DeploymentProgressEvent;
  autoscaling: AutoscalingDecisionEvent;
  cluster: ManagerQuorumChanged;
}

/** One event as the bus carries it: the stream entry id, routing data and the payload. */
export interface BusEvent<T extends EventType = EventType> {
  /** Redis stream entry id ("1700000000000-0"); the SSE `id:` and the Last-Event-ID to resume from. */
  id: string;
  type: T;
  /** The service the event is about (null for node events): the `service=` filter. */
  service: string | null;
  /** The service's labels when published: token scope is checked against them. */
  labels: Record<string, string> | null;
  payload: EventPayloads[T];
}
