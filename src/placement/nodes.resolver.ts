import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { NodeView, TaskView } from '../swarm/swarm.types';
import { NodeAvailabilityInput, NodeLabelsInput } from './placement.input';
import { NodesService } from './nodes.service';

@Resolver(() => NodeView)
export class NodesResolver {
  constructor(private readonly nodeService: NodesService) {}

  @Query(() => [NodeView])
  @RequireRole('viewer')
  nodes(): Promise<NodeView[]> {
    return this.nodeService.list();
  }

  @Query(() => NodeView, { description: 'a node by id or hostname' })
  @RequireRole('viewer')
  node(@Args('id') id: string): Promise<NodeView> {
    return this.nodeService.get(id);
  }

  @Mutation(() => NodeView, { description: 'adds and removes labels of a node (id or hostname)' })
  @RequireRole('admin')
  labelNode(@Args('id') id: string, @Args('input') input: NodeLabelsInput, @IdempotencyKeyArg() _key?: string): Promise<NodeView> {
    return this.nodeService.label(id, input);
  }

  @Mutation(() => NodeView, { description: 'active, pause or drain a node (id or hostname)' })
  @RequireRole('admin')
  setNodeAvailability(@Args('id') id: string, @Args('input') input: NodeAvailabilityInput, @IdempotencyKeyArg() _key?: string): Promise<NodeView> {
    return this.nodeService.setAvailability(id, input);
  }

  // Field resolvers are not guarded: the parent query was, and the caller travels in the context.
  @ResolveField(() => [TaskView], { description: 'tasks on the node (of services the caller may see)' })
  tasks(@Parent() n: NodeView, @Context() ctx: { req?: { caller: Caller }; caller?: Caller }): Promise<TaskView[]> {
    return this.nodeService.tasks(n.id, (ctx.caller ?? ctx.req?.caller)!);
  }
}
