import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ServiceDetail, ServiceSummary, TaskView } from '../swarm/swarm.types';
import { ServicesService } from './services.service';

@Resolver(() => ServiceDetail)
export class ServicesResolver {
  constructor(private readonly serviceReads: ServicesService) {}

  @Query(() => [ServiceSummary])
  @RequireRole('viewer')
  services(@CurrentCaller() caller: Caller): Promise<ServiceSummary[]> {
    return this.serviceReads.list(caller);
  }

  @Query(() => ServiceDetail)
  @RequireRole('viewer')
  service(@Args('name') name: string, @CurrentCaller() caller: Caller): Promise<ServiceDetail> {
    return this.serviceReads.get(name, caller);
  }

  // Field resolvers are not guarded: the parent query was, and the caller travels in the context.
  @ResolveField(() => [TaskView])
  tasks(
    @Parent() s: ServiceDetail,
    @Args('all', { nullable: true, defaultValue: false }) all: boolean,
    @Context() ctx: { req?: { caller: Caller }; caller?: Caller },
  ): Promise<TaskView[]> {
    return this.serviceReads.tasks(s.id, (ctx.caller ?? ctx.req?.caller)!, all);
  }
}
