import { Args, Query, Resolver } from '@nestjs/graphql';
import { RequireRole } from '../common/auth/decorators';
import { NodeView } from '../swarm/swarm.types';
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
}
