import { InputType, ObjectType } from '@nestjs/graphql';
import { IsIn, IsInt, IsNumber, Max, Min, ValidateIf } from 'class-validator';
import { Prop } from '../common/schema';

/** The most replicas any request may name (MAX_REPLICAS, configurable, is checked below it). */
export const MAX_REPLICAS_INPUT = 100_000;

/**
 * The longest pause between batches, and the longest watch of each updated task: one day. The
 * engine takes any duration, but a deployment's progress deadline is at most a day
 * (progressDeadlineSeconds), so a longer pause could never finish within it; and a service's own
 * updateConfig is what its next deployment inherits.
 */
export const MAX_UPDATE_SECONDS = 86_400;

/** Absent is fine, null is not (a field inside a group). */
const Opt = () => ValidateIf((_o, v) => v !== undefined);

function UpdateSeconds(): PropertyDecorator {
  const decos = [Opt(), IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number of seconds' }), Min(0), Max(MAX_UPDATE_SECONDS)];
  return (t, k) => decos.forEach((d) => d(t, k));
}

/**
 * How the engine rolls a change out or back: the six fields of its UpdateConfig and
 * RollbackConfig, with one set of limits wherever they are taken (a service's updateConfig and
 * rollbackConfig, a rolling deployment's settings). Parallelism goes up to the largest replica
 * count the API accepts: more than the service's replicas is the same as 0 (all at once).
 */
@InputType({ isAbstract: true })
@ObjectType({ isAbstract: true })
export class UpdateSettings {
  @Prop('int', { optional: true, description: 'tasks updated at once; 0 = all at once' })
  @Opt()
  @IsInt()
  @Min(0)
  @Max(MAX_REPLICAS_INPUT)
  parallelism?: number;

  @Prop('float', { optional: true, description: `pause between batches (at most ${MAX_UPDATE_SECONDS} s)` })
  @UpdateSeconds()
  delaySeconds?: number;

  @Prop('string', { optional: true, enum: ['start-first', 'stop-first'] })
  @Opt()
  @IsIn(['start-first', 'stop-first'])
  order?: 'start-first' | 'stop-first';

  @Prop('string', { optional: true, enum: ['pause', 'continue', 'rollback'] })
  @Opt()
  @IsIn(['pause', 'continue', 'rollback'])
  failureAction?: 'pause' | 'continue' | 'rollback';

  @Prop('float', { optional: true, description: `how long each updated task is watched for failure (at most ${MAX_UPDATE_SECONDS} s)` })
  @UpdateSeconds()
  monitorSeconds?: number;

  @Prop('float', { optional: true, description: 'failed tasks tolerated, as a fraction (0..1)' })
  @Opt()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxFailureRatio?: number;
}

/** A service's updateConfig and rollbackConfig (the names are the API's: GraphQL input UpdateConfigInput). */
@InputType('UpdateConfigInput')
export class UpdateConfigInput extends UpdateSettings {}

/** A rolling deployment's settings, written in the same engine update as the new image, and shown on the deployment. */
@InputType('RollingSettingsInput')
@ObjectType('RollingSettings')
export class RollingSettings extends UpdateSettings {}
