import { ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { Prop } from '../common/schema';
import { RollingSettings } from '../services/update-settings.input';
import { BlueGreenSettings } from './deploy.input';

export const DEPLOYMENT_STATUSES = ['queued', 'running', 'awaiting-promotion', 'succeeded', 'failed', 'rolled-back', 'cancelled'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<DeploymentStatus> = new Set(['succeeded', 'failed', 'rolled-back', 'cancelled']);
export const isTerminal = (s: DeploymentStatus): boolean => TERMINAL_STATUSES.has(s);

/** `rollback` is a service rollback to its previous spec (POST /v1/services/{name}/rollback). */
export const STRATEGIES = ['rolling', 'blue-green', 'rollback'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** What a caller asked of a deployment that is running; the worker acts on it between steps. */
export type DeploymentRequest = 'promote' | 'cancel' | 'rollback';

export interface StepRecord {
  name: string;
  at: string;
  message: string | null;
}

/** The deployment as stored in Redis (DeploymentStore): everything needed to resume it. */
export interface DeploymentRecord {
  id: string;
  /** Bumped by every write; writes are compare-and-set on it. */
  rev: number;
  /** The stable service name (a blue-green service keeps it across colours). */
  service: string;
  strategy: StrategyName;
  image: string;
  previousImage: string | null;
  status: DeploymentStatus;
  progress: { updated: number; total: number };
  steps: StepRecord[];
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  reason: string | null;
  rollbackOf: string | null;
  rolling: RollingSettings | null;
  blueGreen: BlueGreenSettings | null;
  progressDeadlineSeconds: number;
  requests: DeploymentRequest[];
  /** How many times a worker started on it (more than 1 after a worker died). */
  attempts: number;
  /** Strategy bookkeeping (versions seen, names, traffic to move), written before each action. */
  state: Record<string, any>;
}

@ObjectType('DeploymentProgress')
export class DeploymentProgressView {
  @Prop('int', { description: 'tasks running the new image' }) updated!: number;
  @Prop('int', { description: 'tasks wanted' }) total!: number;
}

@ObjectType('DeploymentStep')
export class DeploymentStepView {
  @Prop('string') name!: string;
  @Prop('string') at!: string;
  @Prop('string', { optional: true }) message!: string | null;
}

@ObjectType('Deployment')
export class DeploymentView {
  @Prop('string') id!: string;
  @Prop('string', { description: 'stable service name' }) service!: string;
  @Prop('string', { enum: STRATEGIES }) strategy!: StrategyName;
  @Prop('string') image!: string;
  @Prop('string', { optional: true }) previousImage!: string | null;
  @Prop('string', { enum: DEPLOYMENT_STATUSES }) status!: DeploymentStatus;
  @Prop(DeploymentProgressView) progress!: DeploymentProgressView;
  @Prop(DeploymentStepView, { array: true }) steps!: DeploymentStepView[];
  @Prop('string') createdBy!: string;
  @Prop('string') createdAt!: string;
  @Prop('string', { optional: true }) startedAt!: string | null;
  @Prop('string', { optional: true }) finishedAt!: string | null;
  @Prop('string', { optional: true }) error!: string | null;
  @Prop('string', { optional: true }) reason!: string | null;
  @Prop('string', { optional: true, description: 'the deployment this one rolls back' }) rollbackOf!: string | null;
  @Prop('int', { optional: true, description: 'deployments of this service ahead of this one (0: next or running); null when finished' })
  position!: number | null;
  @Prop(RollingSettings, { optional: true }) rolling!: RollingSettings | null;
  @Prop(BlueGreenSettings, { optional: true }) blueGreen!: BlueGreenSettings | null;
  @Prop('int') progressDeadlineSeconds!: number;
  @Prop('string', { array: true, enum: ['promote', 'cancel', 'rollback'], description: 'requests the worker has not acted on yet' })
  pendingRequests!: DeploymentRequest[];
  @Prop('int', { description: 'worker starts (more than 1 after a worker died and another resumed it)' }) attempts!: number;
}

export class DeploymentList {
  @ApiProperty({ type: [DeploymentView] }) items!: DeploymentView[];
}

export function toDeploymentView(d: DeploymentRecord, position: number | null): DeploymentView {
  return {
    id: d.id,
    service: d.service,
    strategy: d.strategy,
    image: d.image,
    previousImage: d.previousImage,
    status: d.status,
    progress: { ...d.progress },
    steps: d.steps.map((s) => ({ ...s })),
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    error: d.error,
    reason: d.reason,
    rollbackOf: d.rollbackOf,
    position: isTerminal(d.status) ? null : position,
    rolling: d.rolling,
    blueGreen: d.blueGreen,
    progressDeadlineSeconds: d.progressDeadlineSeconds,
    pendingRequests: [...d.requests],
    attempts: d.attempts,
  };
}
