import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { DeployInput, DeploymentsQuery, RollbackServiceInput } from './deploy.input';
import { DeploymentView } from './deployment.types';
import { DeploymentsService } from './deployments.service';
import { validateInput } from '../common/validation';

@Resolver(() => DeploymentView)
export class DeploymentsResolver {
  constructor(private readonly service: DeploymentsService) {}

  @Query(() => [DeploymentView], { description: 'newest first' })
  @RequireRole('viewer')
  deployments(
    @CurrentCaller() caller: Caller,
    @Args('service', { nullable: true }) service?: string,
    @Args('status', { nullable: true }) status?: string,
  ): Promise<DeploymentView[]> {
    const q = validateInput(DeploymentsQuery, { ...(service !== undefined && service !== null ? { service } : {}), ...(status ? { status } : {}) });
    return this.service.list(q, caller);
  }

  @Query(() => DeploymentView)
  @RequireRole('viewer')
  deployment(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<DeploymentView> {
    return this.service.get(id, caller);
  }

  @Mutation(() => DeploymentView, { description: 'queues a rolling or blue-green deployment' })
  @RequireRole('deployer')
  deploy(@Args('input') input: DeployInput, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<DeploymentView> {
    return this.service.deploy(input, caller);
  }

  @Mutation(() => DeploymentView)
  @RequireRole('deployer')
  promoteDeployment(@Args('id') id: string, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<DeploymentView> {
    return this.service.promote(id, caller);
  }

  @Mutation(() => DeploymentView)
  @RequireRole('deployer')
  cancelDeployment(@Args('id') id: string, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<DeploymentView> {
    return this.service.cancel(id, caller);
  }

  @Mutation(() => DeploymentView)
  @RequireRole('deployer')
  rollbackDeployment(@Args('id') id: string, @CurrentCaller() caller: Caller, @IdempotencyKeyArg() _key?: string): Promise<DeploymentView> {
    return this.service.rollback(id, caller);
  }

  @Mutation(() => DeploymentView, { description: 'back to the previous spec, as a deployment' })
  @RequireRole('deployer')
  rollbackService(
    @Args('name') name: string,
    @CurrentCaller() caller: Caller,
    @Args('input', { nullable: true, type: () => RollbackServiceInput }) input?: RollbackServiceInput,
    @IdempotencyKeyArg() _key?: string,
  ): Promise<DeploymentView> {
    return this.service.rollbackService(name, input?.reason, caller);
  }
}
