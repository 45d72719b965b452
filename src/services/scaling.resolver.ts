import { Args, Int, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { ScaleServicesInput } from './scaling.input';
import { ScaleBatchResult, ScaleResult } from './scaling.models';
import { ScalingService } from './scaling.service';

@Resolver()
export class ScalingResolver {
  constructor(private readonly scaling: ScalingService) {}

  @Mutation(() => ScaleResult, { description: 'set the desired replicas of a replicated service' })
  @RequireRole('scaler')
  scaleService(
    @Args('name') name: string,
    @Args('replicas', { type: () => Int }) replicas: number,
    @CurrentCaller() caller: Caller,
    @IdempotencyKeyArg() _key?: string,
  ): Promise<ScaleResult> {
    return this.scaling.scale(name, replicas, caller);
  }

  @Mutation(() => ScaleBatchResult, { description: 'scale several services; atomic by default (all or nothing)' })
  @RequireRole('scaler')
  scaleServices(
    @Args('input') input: ScaleServicesInput,
    @CurrentCaller() caller: Caller,
    @IdempotencyKeyArg() _key?: string,
  ): Promise<ScaleBatchResult> {
    return this.scaling.scaleBatch(input, caller);
  }
}
