import { InputType, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Prop } from '../common/schema';
import { ALERT_ACTIONS, AlertAction, MATCHER_OPS, MatcherOp } from './alert-rules';

export const MAX_RULES = 20;
export const MAX_MATCHERS = 20;

@InputType('AlertMatcherInput')
export class AlertMatcherInput {
  @Prop('string', { example: 'service', description: 'label name' })
  @IsString()
  @Matches(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)' })
  @MaxLength(200)
  name!: string;

  @Prop('string', { example: 'web', description: 'a missing label matches as ""; regular expressions are anchored, as in Alertmanager' })
  @IsString()
  @MaxLength(1000)
  value!: string;

  @Prop('string', { optional: true, enum: MATCHER_OPS, description: 'default "="' })
  @IsOptional()
  @IsIn(MATCHER_OPS as unknown as string[])
  op?: MatcherOp;
}

@InputType('AlertRuleInput')
export class AlertRuleInput {
  @Prop('string', { example: 'down-restart', description: 'names the rule within the service (decisions and audit entries carry it)' })
  @IsString()
  @Matches(/^[a-z0-9]([a-z0-9-]{0,62})$/, { message: 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit' })
  name!: string;

  @Prop('string', { example: 'SwarmServiceDown', description: "the alert's alertname label" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  alertname!: string;

  @Prop(AlertMatcherInput, { array: true, optional: true, description: "the alert's other labels, all must match (default none)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MATCHERS)
  @ValidateNested({ each: true })
  @Type(() => AlertMatcherInput)
  matchers?: AlertMatcherInput[];

  @Prop('string', { enum: ALERT_ACTIONS })
  @IsIn(ALERT_ACTIONS as unknown as string[])
  action!: AlertAction;

  @Prop('int', { optional: true, description: 'replicas added or removed per firing alert (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  step?: number;

  @Prop('int', { optional: true, description: 'no action by this rule within this many seconds of its last one (default 300)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  cooldownSeconds?: number;

  @Prop('int', { optional: true, description: "the rule's own bounds, used when the service has no enabled autoscaling policy (then required)" })
  @IsOptional()
  @IsInt()
  @Min(0)
  minReplicas?: number;

  @Prop('int', { optional: true, description: 'see minReplicas; at most MAX_REPLICAS' })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxReplicas?: number;

  @Prop('boolean', { optional: true, description: 'default true' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** Body of PUT /v1/services/{name}/alert-rules and the `setAlertRules` input (a full replace). */
@InputType('AlertRulesInput')
export class AlertRulesInput {
  @Prop(AlertRuleInput, { array: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RULES)
  @ValidateNested({ each: true })
  @Type(() => AlertRuleInput)
  rules!: AlertRuleInput[];
}

@ObjectType('AlertMatcher')
export class AlertMatcherView {
  @Prop('string') name!: string;
  @Prop('string') value!: string;
  @Prop('string', { enum: MATCHER_OPS }) op!: MatcherOp;
}

@ObjectType('AlertRule')
export class AlertRuleView {
  @Prop('string') name!: string;
  @Prop('string') alertname!: string;
  @Prop(AlertMatcherView, { array: true }) matchers!: AlertMatcherView[];
  @Prop('string', { enum: ALERT_ACTIONS }) action!: AlertAction;
  @Prop('int') step!: number;
  @Prop('int') cooldownSeconds!: number;
  @Prop('int', { optional: true }) minReplicas!: number | null;
  @Prop('int', { optional: true }) maxReplicas!: number | null;
  @Prop('boolean') enabled!: boolean;
}

@ObjectType('AlertRuleSet')
export class AlertRuleSetView {
  @Prop('string') service!: string;
  @Prop(AlertRuleView, { array: true }) rules!: AlertRuleView[];
  @Prop('string') updatedAt!: string;
  @Prop('string') updatedBy!: string;
}

/** What the receiver did with one alert of a notification (per matching rule). */
export class AlertOutcomeView {
  @ApiProperty({ nullable: true, type: String }) alertname!: string | null;
  @ApiProperty() fingerprint!: string;
  @ApiProperty({ enum: ['firing', 'resolved'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the service of the matching rule' }) service!: string | null;
  @ApiProperty({ nullable: true, type: String }) rule!: string | null;
  @ApiProperty({
    enum: ['scaled', 'held', 'duplicate', 'unmatched', 'resolved', 'failed'],
    description:
      'scaled: acted; held: a rule matched but did not act (cooldown, bounds, see code); duplicate: this alert (group, fingerprint, ' +
      'startsAt) already acted; unmatched: no enabled rule matches; resolved: resolved alerts never scale; failed: the scale failed',
  })
  outcome!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the decision code (GET /v1/autoscaling/decisions)' }) code!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionId!: string | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
}

export class AlertReceiptView {
  @ApiProperty({ type: 'integer' }) received!: number;
  @ApiProperty({ type: [AlertOutcomeView] }) results!: AlertOutcomeView[];
}
