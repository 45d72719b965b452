import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { AutoscalingDecisionView, AutoscalingPolicyInput, AutoscalingPolicyView, DecisionsQuery } from './autoscaling.models';
import { AutoscalingService } from './autoscaling.service';

@Resolver()
export class AutoscalingResolver {
  constructor(private readonly autoscaling: AutoscalingService) {}

  @Query(() => AutoscalingPolicyView, { nullable: true, description: 'null when the service has no policy' })
  @RequireRole('viewer')
  autoscalingPolicy(@Args('service') service: string, @CurrentCaller() caller: Caller): Promise<AutoscalingPolicyView | null> {
    return this.autoscaling.find(service, caller);
  }

  @Query(() => [AutoscalingDecisionView])
  @RequireRole('viewer')
  autoscalingDecisions(@Args() q: DecisionsQuery, @CurrentCaller() caller: Caller): Promise<AutoscalingDecisionView[]> {
    return this.autoscaling.listDecisions(q, caller);
  }

  @Mutation(() => AutoscalingPolicyView)
  @RequireRole('admin')
  setAutoscalingPolicy(
    @Args('service') service: string,
    @Args('input') input: AutoscalingPolicyInput,
    @CurrentCaller() caller: Caller,
    @IdempotencyKeyArg() _key?: string,
  ): Promise<AutoscalingPolicyView> {
    return this.autoscaling.set(service, input, caller);
  }

  @Mutation(() => Boolean, { description: 'true when a policy was removed' })
  @RequireRole('admin')
  async removeAutoscalingPolicy(@Args('service') service: string, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<boolean> {
    await this.autoscaling.remove(service, caller);
    return true;
  }
}
