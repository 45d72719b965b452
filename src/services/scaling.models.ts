import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';

export const SCALE_STATUSES = ['scaled', 'unchanged', 'would-scale', 'failed', 'restored', 'restore-failed', 'skipped'] as const;
export type ScaleStatus = (typeof SCALE_STATUSES)[number];

@ObjectType()
export class ScaleResult {
  @Prop('string') service!: string;
  @Prop('int', { description: 'desired replicas before the change' }) previous!: number;
  @Prop('int', { description: 'desired replicas now' }) replicas!: number;
}

@ObjectType()
export class ScaleItemError {
  @Prop('string') code!: string;
  @Prop('string') message!: string;
}

@ObjectType()
export class ScaleItemResult {
  @Prop('string') service!: string;
  @Prop('int', { optional: true, description: 'desired replicas before (null when the service could not be read)' }) previous!: number | null;
  @Prop('int', { optional: true, description: 'desired replicas now (or, for a dry run, after the change)' }) replicas!: number | null;
  @Prop('int', { description: 'what the request asked for' }) requested!: number;
  @Prop('string', {
    enum: SCALE_STATUSES,
    description:
      'scaled | unchanged | would-scale (dry run) | failed | restored (changed, then set back because another target failed) | restore-failed | skipped (not attempted after a failure)',
  })
  status!: ScaleStatus;
  @Prop(ScaleItemError, { optional: true }) error?: ScaleItemError | null;
}

@ObjectType()
export class ScaleBatchResult {
  @Prop(ScaleItemResult, { array: true }) results!: ScaleItemResult[];
  @Prop('boolean') atomic!: boolean;
  @Prop('boolean') dryRun!: boolean;
}
