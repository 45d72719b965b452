import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ServiceListQuery, TaskListQuery } from '../cluster/list-queries';
import { ServiceDetail, ServiceSummary, TaskList, TaskView } from '../swarm/swarm.types';
import { ServiceList } from './services.models';
import { ServicesService } from './services.service';

type FieldContext = { req?: { caller: Caller }; caller?: Caller };

@Resolver(() => ServiceDetail)
export class ServicesResolver {
  constructor(private readonly serviceReads: ServicesService) {}

  @Query(() => [ServiceSummary], { description: 'services the caller may see, by name, filtered as docker service ls --filter' })
  @RequireRole('viewer')
  async services(@Args() q: ServiceListQuery, @CurrentCaller() caller: Caller): Promise<ServiceSummary[]> {
    return (await this.serviceReads.list(q, caller)).items;
  }

  @Query(() => ServiceList, { description: 'a page of services: pass nextCursor as cursor for the next one' })
  @RequireRole('viewer')
  serviceList(@Args() q: ServiceListQuery, @CurrentCaller() caller: Caller): Promise<ServiceList> {
    return this.serviceReads.list(q, caller);
  }

  @Query(() => ServiceDetail)
  @RequireRole('viewer')
  service(@Args('name') name: string, @CurrentCaller() caller: Caller): Promise<ServiceDetail> {
    return this.serviceReads.get(name, caller);
  }

  // Field resolvers are not guarded: the parent query was, and the caller travels in the context.
  @ResolveField(() => [TaskView], { description: 'by slot, newest first; filtered as docker service ps --filter' })
  async tasks(@Parent() s: ServiceDetail, @Args() q: TaskListQuery, @Context() ctx: FieldContext): Promise<TaskView[]> {
    return (await this.serviceReads.tasks(s.id, (ctx.caller ?? ctx.req?.caller)!, q)).items;
  }

  @ResolveField(() => TaskList, { description: 'a page of the tasks: pass nextCursor as cursor for the next one' })
  taskList(@Parent() s: ServiceDetail, @Args() q: TaskListQuery, @Context() ctx: FieldContext): Promise<TaskList> {
    return this.serviceReads.tasks(s.id, (ctx.caller ?? ctx.req?.caller)!, q);
  }
}
