import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { AlertRulesInput, AlertRuleSetView } from './alert-rules.models';
import { AlertRulesService } from './alert-rules.service';

@Resolver()
export class AlertingResolver {
  constructor(private readonly rules: AlertRulesService) {}

  @Query(() => AlertRuleSetView, { nullable: true, description: 'null when the service has no alert rules' })
  @RequireRole('viewer')
  alertRules(@Args('service') service: string, @CurrentCaller() caller: Caller): Promise<AlertRuleSetView | null> {
    return this.rules.find(service, caller);
  }

  @Mutation(() => AlertRuleSetView)
  @RequireRole('admin')
  setAlertRules(
    @Args('service') service: string,
    @Args('input') input: AlertRulesInput,
    @CurrentCaller() caller: Caller,
    @IdempotencyKeyArg() _key?: string,
  ): Promise<AlertRuleSetView> {
    return this.rules.set(service, input, caller);
  }

  @Mutation(() => Boolean, { description: 'true when rules were removed' })
  @RequireRole('admin')
  async removeAlertRules(@Args('service') service: string, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<boolean> {
    await this.rules.remove(service, caller);
    return true;
  }
}
