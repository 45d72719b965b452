import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';

/** A service log line as the SSE `log` events carry it (data: JSON). */
export interface LogLineView {
  service: string;
  taskId: string | null;
  slot: number | null;
  /** hostname of the node that ran the task */
  node: string | null;
  stream: 'stdout' | 'stderr';
  /** RFC 3339, when timestamps=true */
  timestamp: string | null;
  message: string;
}

@ObjectType()
export class TaskStats {
  @Prop('string') taskId!: string;
  @Prop('int', { optional: true }) slot!: number | null;
  @Prop('string', { optional: true }) nodeId!: string | null;
  @Prop('string', { optional: true }) nodeName!: string | null;
  @Prop('string', { optional: true }) containerId!: string | null;
  @Prop('boolean', { description: "false when the task's node cannot be asked (no node agent or engine endpoint answers for it, or not in time); see reason" })
  available!: boolean;
  @Prop('string', { optional: true, description: 'why the stats are unavailable' }) reason!: string | null;
  @Prop('float', { optional: true, description: 'CPU % as docker stats shows it (100 = one CPU)' }) cpuPercent!: number | null;
  @Prop('float', { optional: true, description: "CPU % of the task's NanoCPUs limit (or reservation); null without either" })
  cpuLimitPercent!: number | null;
  @Prop('float', { optional: true, description: 'memory in use without page cache, bytes' }) memoryBytes!: number | null;
  @Prop('float', { optional: true, description: "the container's memory limit (the host's memory without one), bytes" })
  memoryLimitBytes!: number | null;
  @Prop('float', { optional: true, description: 'memory % of the task limit (or reservation, or the container limit)' })
  memoryPercent!: number | null;
}

@ObjectType()
export class StatsTotals {
  @Prop('int', { description: 'running tasks' }) tasks!: number;
  @Prop('int', { description: 'running tasks with stats' }) available!: number;
  @Prop('float', { description: 'sum over available tasks' }) cpuPercent!: number;
  @Prop('float', { optional: true, description: 'mean over available tasks that have a CPU limit or reservation' })
  cpuLimitPercent!: number | null;
  @Prop('float', { description: 'sum over available tasks' }) memoryBytes!: number;
  @Prop('float', { description: 'sum over available tasks' }) memoryLimitBytes!: number;
  @Prop('float', { optional: true, description: 'mean over available tasks' }) memoryPercent!: number | null;
}

@ObjectType()
export class ServiceStats {
  @Prop('string') service!: string;
  @Prop('string', { description: 'when the samples were taken (ISO 8601)' }) at!: string;
  @Prop(TaskStats, { array: true }) tasks!: TaskStats[];
  @Prop(StatsTotals) total!: StatsTotals;
}

@ObjectType()
export class NodeCounts {
  @Prop('int') total!: number;
  @Prop('json', { description: 'ready, down, unknown, disconnected -> count' }) byState!: Record<string, number>;
  @Prop('json', { description: 'active, pause, drain -> count' }) byAvailability!: Record<string, number>;
  @Prop('json', { description: 'manager, worker -> count' }) byRole!: Record<string, number>;
}

@ObjectType()
export class LeaderView {
  @Prop('string') id!: string;
  @Prop('string') hostname!: string;
  @Prop('string', { optional: true }) addr!: string | null;
}

@ObjectType()
export class ServiceCounts {
  @Prop('int', { description: "services the caller's token may see" }) total!: number;
  @Prop('int') replicated!: number;
  @Prop('int') global!: number;
  @Prop('int', { description: 'sum of desired replicas of replicated services' }) desiredReplicas!: number;
  @Prop('int', { description: 'running tasks of those services' }) runningReplicas!: number;
}

@ObjectType()
export class TaskCounts {
  @Prop('int', { description: 'tasks the engine lists for visible services, history included' }) total!: number;
  @Prop('json', { description: 'task state (running, failed, shutdown, ...) -> count' }) byState!: Record<string, number>;
}

@ObjectType()
export class DeploymentCounts {
  @Prop('int', { description: 'deployments queued or running' }) running!: number;
}

@ObjectType({ description: 'a swarm manager as the raft quorum sees it' })
export class QuorumMember {
  @Prop('string') id!: string;
  @Prop('string') hostname!: string;
  @Prop('string', { optional: true, description: 'raft address (host:port)' }) addr!: string | null;
  @Prop('string', { enum: ['reachable', 'unreachable', 'unknown'], description: 'unknown while the swarm has no leader to ask' })
  reachability!: 'reachable' | 'unreachable' | 'unknown';
  @Prop('boolean') leader!: boolean;
  @Prop('boolean', { description: 'active and running workload tasks (not global or swarm-cp.system services)' }) runsWorkloads!: boolean;
}

@ObjectType({ description: "the managers' raft quorum" })
export class QuorumView {
  @Prop('int') managers!: number;
  @Prop('int') reachable!: number;
  @Prop('int', { description: '(managers - 1) / 2 - unreachable managers: more failures the swarm survives; below 0 the quorum is lost (or a leader is being elected)' })
  faultTolerance!: number;
  @Prop('boolean') hasQuorum!: boolean;
  @Prop(LeaderView, { optional: true }) leader!: LeaderView | null;
  @Prop(QuorumMember, { array: true }) members!: QuorumMember[];
  @Prop('string', { array: true, description: 'even number of managers, fault tolerance 0, quorum lost, managers running workloads' })
  warnings!: string[];
}

@ObjectType({ description: 'how fresh the snapshot reads are served from is' })
export class ReadModelStatus {
  @Prop('boolean', { description: 'true while the engine could not confirm the snapshot recently (unreachable, no leader): reads are served from the last one' })
  stale!: boolean;
  @Prop('float', { description: 'seconds since the engine last confirmed the snapshot' }) ageSeconds!: number;
}

@ObjectType()
export class ClusterOverview {
  @Prop(NodeCounts) nodes!: NodeCounts;
  @Prop(LeaderView, { optional: true, description: 'the swarm leader (manager)' }) leader!: LeaderView | null;
  @Prop(ServiceCounts) services!: ServiceCounts;
  @Prop(TaskCounts) tasks!: TaskCounts;
  @Prop(DeploymentCounts) deployments!: DeploymentCounts;
  @Prop('string', { description: 'when the read model was refreshed (ISO 8601)' }) snapshotAt!: string;
  @Prop(QuorumView) quorum!: QuorumView;
  @Prop(ReadModelStatus) readModel!: ReadModelStatus;
}
