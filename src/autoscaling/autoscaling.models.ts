import { ArgsType, Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsPositive, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { Prop } from '../common/schema';
import { METRICS, Metric } from './decision';

/** Body of PUT /v1/services/{name}/autoscaling and the `setAutoscalingPolicy` input (a full replace). */
@InputType('AutoscalingPolicyInput')
export class AutoscalingPolicyInput {
  @Prop('boolean', { optional: true, description: 'default true; a disabled policy neither scales nor bounds manual scaling' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Prop('int', { example: 2 })
  @IsInt()
  @Min(1)
  minReplicas!: number;

  @Prop('int', { example: 6, description: 'at most MAX_REPLICAS' })
  @IsInt()
  @Min(1)
  maxReplicas!: number;

  @Prop('string', { enum: METRICS, description: 'cpu or memory (per task, targetPercent), or prometheus (a PromQL query and a target per replica)' })
  @IsIn(METRICS as unknown as string[])
  metric!: Metric;

  @Prop('float', {
    optional: true,
    example: 60,
    description: "cpu and memory (required): percent of the task's limit, or of its reservation when it has no limit; in (0, 100]",
  })
  @ValidateIf((o: AutoscalingPolicyInput) => o.metric !== 'prometheus' || o.targetPercent !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(100)
  targetPercent?: number;

  @Prop('string', {
    optional: true,
    example: 'sum(queue_jobs_waiting{queue="mail"})',
    description: "prometheus (required): a PromQL instant query; its result summed over all series is the service's total",
  })
  @ValidateIf((o: AutoscalingPolicyInput) => o.metric === 'prometheus' || o.query !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  query?: string;

  @Prop('float', {
    optional: true,
    example: 30,
    description: 'prometheus (required): the value per replica to keep; desired = ceil(total / target) (the HPA AverageValue)',
  })
  @ValidateIf((o: AutoscalingPolicyInput) => o.metric === 'prometheus' || o.target !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  target?: number;

  @Prop('float', { optional: true, description: 'no change while |metric/target - 1| <= tolerance (default 0.1)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  tolerance?: number;

  @Prop('int', { optional: true, description: 'no scale-up within this many seconds of the last one the autoscaler applied (default 60)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  scaleUpCooldownSeconds?: number;

  @Prop('int', {
    optional: true,
    description: 'scale down only to the highest recommendation made within this many seconds (default 300, as the HPA)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  scaleDownStabilizationSeconds?: number;

  @Prop('int', { optional: true, description: 'most replicas added by one decision (default: no limit)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxStepUp?: number;

  @Prop('int', { optional: true, description: 'most replicas removed by one decision (default: no limit)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxStepDown?: number;

  @Prop('boolean', { optional: true, description: 'decide and record, never scale (default false)' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

@ObjectType('AutoscalingPolicy')
export class AutoscalingPolicyView {
  @Prop('string') service!: string;
  @Prop('boolean') enabled!: boolean;
  @Prop('int') minReplicas!: number;
  @Prop('int') maxReplicas!: number;
  @Prop('string', { enum: METRICS }) metric!: Metric;
  @Prop('float', { optional: true, description: 'cpu and memory; null for prometheus' }) targetPercent!: number | null;
  @Prop('string', { optional: true, description: 'prometheus: the PromQL query; null otherwise' }) query!: string | null;
  @Prop('float', { optional: true, description: 'prometheus: the value per replica to keep; null otherwise' }) target!: number | null;
  @Prop('float') tolerance!: number;
  @Prop('int') scaleUpCooldownSeconds!: number;
  @Prop('int') scaleDownStabilizationSeconds!: number;
  @Prop('int', { optional: true, description: 'null: no limit' }) maxStepUp!: number | null;
  @Prop('int', { optional: true, description: 'null: no limit' }) maxStepDown!: number | null;
  @Prop('boolean') dryRun!: boolean;
  @Prop('string', {
    optional: true,
    enum: ['limit', 'reservation'],
    description:
      "what targetPercent is a percentage of for this service's tasks now; null when it has neither (the policy then idles) or for prometheus",
  })
  basis!: 'limit' | 'reservation' | null;
  @Prop('string') updatedAt!: string;
  @Prop('string') updatedBy!: string;
}

@ObjectType('AutoscalingDecision')
export class AutoscalingDecisionView {
  @Prop('string') id!: string;
  @Prop('string') service!: string;
  @Prop('string') at!: string;
  @Prop('int', { optional: true, description: 'replicas before the decision; null when the service could not be read' })
  current!: number | null;
  @Prop('int', { optional: true }) desired!: number | null;
  @Prop('string', { enum: ['scale-up', 'scale-down', 'none', 'skip'] }) action!: string;
  @Prop('string', {
    description:
      'why: metric, below-min, above-max, within-tolerance, at-max, at-min, cooldown, stabilizing, missing-metrics, no-metrics, ' +
      'scaled-to-zero, deployment-running, service-not-found, not-replicated, no-resource-basis, stats-unavailable, query-failed, ' +
      'scale-failed; alert-driven: alert (inputs.source "alertmanager"), no-bounds',
  })
  code!: string;
  @Prop('string') reason!: string;
  @Prop('boolean', { description: 'true when the replica count was changed' }) applied!: boolean;
  @Prop('boolean') dryRun!: boolean;
  @Prop('json', { description: 'what the decision was computed from (metric samples, window, cooldown, policy bounds)' })
  inputs!: Record<string, unknown>;
}

export class AutoscalingDecisionList {
  @ApiProperty({ type: [AutoscalingDecisionView] }) items!: AutoscalingDecisionView[];
}

/** Query of GET /v1/autoscaling/decisions and args of the GraphQL field. */
@ArgsType()
export class DecisionsQuery {
  @ApiPropertyOptional({ description: 'only this service' })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  service?: string;

  @ApiPropertyOptional({ description: 'newest first; default 50, at most 1000', type: 'integer' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
