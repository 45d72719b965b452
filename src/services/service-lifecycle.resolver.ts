import { Args, Int, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ServiceDetail } from '../swarm/swarm.types';
import { CreateServiceInput, UpdateResourcesInput, UpdateServiceInput } from './service-spec.input';
import { ServiceLifecycleService } from './service-lifecycle.service';

const idempotencyKey = { nullable: true, description: 'same key and same input: the first answer, without acting again' } as const;

/** GraphQL twins of POST/PATCH/DELETE /v1/services and PUT /v1/services/{name}/resources. */
@Resolver()
export class ServiceLifecycleResolver {
  constructor(private readonly lifecycle: ServiceLifecycleService) {}

  @Mutation(() => ServiceDetail)
  @RequireRole('admin')
  createService(
    @Args('input') input: CreateServiceInput,
    @CurrentCaller() caller: Caller,
    @Args('idempotencyKey', idempotencyKey) _key?: string,
  ): Promise<ServiceDetail> {
    return this.lifecycle.create(input, caller);
  }

  @Mutation(() => ServiceDetail)
  @RequireRole('admin')
  updateService(
    @Args('name') name: string,
    @Args('input') input: UpdateServiceInput,
    @CurrentCaller() caller: Caller,
    @Args('ifMatch', { type: () => Int, nullable: true, description: 'the version the change is based on; stale: VERSION_CONFLICT' }) ifMatch?: number,
    @Args('idempotencyKey', idempotencyKey) _key?: string,
  ): Promise<ServiceDetail> {
    return this.lifecycle.update(name, input, caller, ifMatch);
  }

  @Mutation(() => Boolean)
  @RequireRole('admin')
  async removeService(
    @Args('name') name: string,
    @CurrentCaller() caller: Caller,
    @Args('idempotencyKey', idempotencyKey) _key?: string,
  ): Promise<boolean> {
    await this.lifecycle.remove(name, caller);
    return true;
  }

  @Mutation(() => ServiceDetail)
  @RequireRole('deployer')
  updateResources(
    @Args('name') name: string,
    @Args('input') input: UpdateResourcesInput,
    @CurrentCaller() caller: Caller,
    @Args('idempotencyKey', idempotencyKey) _key?: string,
  ): Promise<ServiceDetail> {
    return this.lifecycle.updateResources(name, input, caller);
  }
}
