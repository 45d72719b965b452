import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';

/** The project's own view of Swarm objects; nothing outside src/swarm sees engine JSON. */

@ObjectType()
export class PortView {
  @Prop('int') target!: number;
  @Prop('int', { optional: true }) published?: number | null;
  @Prop('string', { enum: ['tcp', 'udp', 'sctp'] }) protocol!: string;
  @Prop('string', { enum: ['ingress', 'host'] }) mode!: string;
}

@ObjectType()
export class ReplicaCounts {
  @Prop('int', { optional: true, description: 'null for global services' }) desired!: number | null;
  @Prop('int') running!: number;
}

@ObjectType()
export class UpdateStatusView {
  @Prop('string', { description: 'updating, paused, completed, rollback_started, rollback_paused, rollback_completed' })
  state!: string;
  @Prop('string', { optional: true }) message?: string | null;
  @Prop('string', { optional: true }) startedAt?: string | null;
  @Prop('string', { optional: true }) completedAt?: string | null;
}

@ObjectType()
export class ResourceAmounts {
  @Prop('float', { optional: true, description: 'CPUs as a decimal (0.5 = half a CPU)' }) cpus?: number | null;
  @Prop('float', { optional: true, description: 'bytes' }) memoryBytes?: number | null;
}

@ObjectType()
export class ResourcesView {
  @Prop(ResourceAmounts, { optional: true }) limits?: ResourceAmounts | null;
  @Prop(ResourceAmounts, { optional: true }) reservations?: ResourceAmounts | null;
}

@ObjectType()
export class SpreadPreference {
  @Prop('string', { example: 'node.labels.zone' }) spread!: string;
}

@ObjectType()
export class PlacementView {
  @Prop('string', { array: true }) constraints!: string[];
  @Prop(SpreadPreference, { array: true }) preferences!: SpreadPreference[];
  @Prop('int', { optional: true }) maxReplicasPerNode?: number | null;
}

@ObjectType()
export class RestartPolicyView {
  @Prop('string', { enum: ['none', 'on-failure', 'any'] }) condition!: string;
  @Prop('float', { optional: true }) delaySeconds?: number | null;
  @Prop('int', { optional: true }) maxAttempts?: number | null;
  @Prop('float', { optional: true }) windowSeconds?: number | null;
}

@ObjectType()
export class UpdateConfigView {
  @Prop('int') parallelism!: number;
  @Prop('float') delaySeconds!: number;
  @Prop('string', { enum: ['start-first', 'stop-first'] }) order!: string;
  @Prop('string', { enum: ['pause', 'continue', 'rollback'] }) failureAction!: string;
  @Prop('float') monitorSeconds!: number;
  @Prop('float') maxFailureRatio!: number;
}

@ObjectType()
export class NetworkAttachmentView {
  @Prop('string') id!: string;
  @Prop('string', { optional: true }) name?: string | null;
  @Prop('string', { array: true }) aliases!: string[];
}

@ObjectType()
export class HealthcheckView {
  @Prop('string', { array: true }) test!: string[];
  @Prop('float', { optional: true }) intervalSeconds?: number | null;
  @Prop('float', { optional: true }) timeoutSeconds?: number | null;
  @Prop('int', { optional: true }) retries?: number | null;
  @Prop('float', { optional: true }) startPeriodSeconds?: number | null;
}

@ObjectType()
export class MountView {
  @Prop('string', { enum: ['volume', 'tmpfs', 'bind'] }) type!: string;
  @Prop('string', { optional: true }) source?: string | null;
  @Prop('string') target!: string;
  @Prop('boolean') readOnly!: boolean;
}

@ObjectType()
export class ServiceSummary {
  @Prop('string') id!: string;
  @Prop('string') name!: string;
  @Prop('string') image!: string;
  @Prop('string', { enum: ['replicated', 'global'] }) mode!: 'replicated' | 'global';
  @Prop(ReplicaCounts) replicas!: ReplicaCounts;
  @Prop('int', { description: 'engine object version; send it back in If-Match' }) version!: number;
  @Prop('json') labels!: Record<string, string>;
  @Prop('string', { enum: ['vip', 'dnsrr'] }) endpointMode!: string;
  @Prop(PortView, { array: true }) ports!: PortView[];
  @Prop(UpdateStatusView, { optional: true }) updateStatus?: UpdateStatusView | null;
  @Prop('string') createdAt!: string;
  @Prop('string') updatedAt!: string;
}

@ObjectType()
export class ServiceDetail extends ServiceSummary {
  @Prop('string', { array: true, optional: true }) command?: string[] | null;
  @Prop('string', { array: true, optional: true }) args?: string[] | null;
  @Prop('json', { description: 'environment (values redacted for viewers)' }) env!: Record<string, string>;
  @Prop(ResourcesView) resources!: ResourcesView;
  @Prop(PlacementView) placement!: PlacementView;
  @Prop(RestartPolicyView, { optional: true }) restartPolicy?: RestartPolicyView | null;
  @Prop(UpdateConfigView, { optional: true }) updateConfig?: UpdateConfigView | null;
  @Prop(UpdateConfigView, { optional: true }) rollbackConfig?: UpdateConfigView | null;
  @Prop(NetworkAttachmentView, { array: true }) networks!: NetworkAttachmentView[];
  @Prop(MountView, { array: true }) mounts!: MountView[];
  @Prop(HealthcheckView, { optional: true }) healthcheck?: HealthcheckView | null;
  @Prop('string', { optional: true, description: 'image of the previous spec, when the engine kept one' })
  previousImage?: string | null;
}

@ObjectType()
export class TaskView {
  @Prop('string') id!: string;
  @Prop('string') serviceId!: string;
  @Prop('string') service!: string;
  @Prop('int', { optional: true }) slot?: number | null;
  @Prop('string', { optional: true }) nodeId?: string | null;
  @Prop('string', { optional: true }) nodeName?: string | null;
  @Prop('string') desiredState!: string;
  @Prop('string') state!: string;
  @Prop('string', { optional: true }) message?: string | null;
  @Prop('string', { optional: true }) error?: string | null;
  @Prop('string', { optional: true }) containerId?: string | null;
  @Prop('string') image!: string;
  @Prop('string') createdAt!: string;
  @Prop('string') updatedAt!: string;
}

const NEXT_CURSOR = 'pass it as `cursor` for the next page; null on the last page';

/** A list of tasks (a service's, or a node's), one page of it. */
@ObjectType()
export class TaskList {
  @Prop(TaskView, { array: true }) items!: TaskView[];
  @Prop('string', { optional: true, description: NEXT_CURSOR }) nextCursor!: string | null;
}

@ObjectType()
export class ManagerStatusView {
  @Prop('boolean') leader!: boolean;
  @Prop('string', { optional: true }) reachability?: string | null;
  @Prop('string', { optional: true }) addr?: string | null;
}

@ObjectType()
export class NodeView {
  @Prop('string') id!: string;
  @Prop('string') hostname!: string;
  @Prop('string', { enum: ['manager', 'worker'] }) role!: string;
  @Prop('string', { enum: ['active', 'pause', 'drain'] }) availability!: string;
  @Prop('string', { description: 'ready, down, unknown, disconnected' }) state!: string;
  @Prop('string', { optional: true }) address?: string | null;
  @Prop('json') labels!: Record<string, string>;
  @Prop('json') engineLabels!: Record<string, string>;
  @Prop('string', { optional: true }) engineVersion?: string | null;
  @Prop('string', { optional: true }) os?: string | null;
  @Prop('string', { optional: true }) arch?: string | null;
  @Prop('float') cpus!: number;
  @Prop('float') memoryBytes!: number;
  @Prop(ManagerStatusView, { optional: true }) managerStatus?: ManagerStatusView | null;
  @Prop('int') version!: number;
  @Prop('string') createdAt!: string;
  @Prop('string') updatedAt!: string;
}

/** The nodes, one page of them. */
@ObjectType()
export class NodeList {
  @Prop(NodeView, { array: true }) items!: NodeView[];
  @Prop('string', { optional: true, description: NEXT_CURSOR }) nextCursor!: string | null;
}
