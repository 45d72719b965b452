import { IdempotencyKeyArg } from '../mutations/idempotency-key.decorator';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { NodeListQuery, NodeTaskListQuery } from '../cluster/list-queries';
import { NodeList, NodeView, TaskList, TaskView } from '../swarm/swarm.types';
import { NodeAvailabilityInput, NodeLabelsInput } from './placement.input';
import { NodesService } from './nodes.service';

type FieldContext = { req?: { caller: Caller }; caller?: Caller };

@Resolver(() => NodeView)
export class NodesResolver {
  constructor(private readonly nodeService: NodesService) {}

  @Query(() => [NodeView], { description: 'nodes by hostname, filtered as docker node ls --filter' })
  @RequireRole('viewer')
  async nodes(@Args() q: NodeListQuery): Promise<NodeView[]> {
    return (await this.nodeService.list(q)).items;
  }

  @Query(() => NodeList, { description: 'a page of nodes: pass nextCursor as cursor for the next one' })
  @RequireRole('viewer')
  nodeList(@Args() q: NodeListQuery): Promise<NodeList> {
    return this.nodeService.list(q);
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
  async tasks(@Parent() n: NodeView, @Args() q: NodeTaskListQuery, @Context() ctx: FieldContext): Promise<TaskView[]> {
    return (await this.nodeService.tasks(n.id, (ctx.caller ?? ctx.req?.caller)!, q)).items;
  }

  @ResolveField(() => TaskList, { description: 'a page of the tasks on the node: pass nextCursor as cursor for the next one' })
  taskList(@Parent() n: NodeView, @Args() q: NodeTaskListQuery, @Context() ctx: FieldContext): Promise<TaskList> {
    return this.nodeService.tasks(n.id, (ctx.caller ?? ctx.req?.caller)!, q);
  }
}
