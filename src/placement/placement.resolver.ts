import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { PlanPlacementInput, UpdatePlacementInput } from './placement.input';
import { PlacementPlan, PlacementUpdateResult, RebalanceResult } from './placement.models';
import { PlacementService } from './placement.service';

@Resolver()
export class PlacementResolver {
  constructor(private readonly placement: PlacementService) {}

  @Query(() => PlacementPlan, { description: 'where Swarm would put the tasks of an existing or new service; changes nothing' })
  @RequireRole('viewer')
  planPlacement(@Args('input') input: PlanPlacementInput, @CurrentCaller() caller: Caller): Promise<PlacementPlan> {
    return this.placement.plan(input, caller);
  }

  @Mutation(() => PlacementUpdateResult)
  @RequireRole('deployer')
  updatePlacement(
    @Args('name') name: string,
    @Args('input') input: UpdatePlacementInput,
    @CurrentCaller() caller: Caller,
    @IdempotencyKeyArg() _key?: string,
  ): Promise<PlacementUpdateResult> {
    return this.placement.updatePlacement(name, input, caller);
  }

  @Mutation(() => RebalanceResult, { description: 'forced rolling update that re-places every task' })
  @RequireRole('deployer')
  rebalanceService(@Args('name') name: string, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<RebalanceResult> {
    return this.placement.rebalance(name, caller);
  }
}
