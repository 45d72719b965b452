import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../common/auth/decorators';
import { NodeView } from '../swarm/swarm.types';
import { NodesService } from './nodes.service';

export class NodeList {
  @ApiProperty({ type: [NodeView] }) items!: NodeView[];
}

@ApiTags('nodes')
@ApiBearerAuth()
@Controller('v1/nodes')
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOkResponse({ type: NodeList })
  async list(): Promise<NodeList> {
    return { items: await this.nodes.list() };
  }

  @Get(':idOrHostname')
  @RequireRole('viewer')
  @ApiOkResponse({ type: NodeView })
  get(@Param('idOrHostname') id: string): Promise<NodeView> {
    return this.nodes.get(id);
  }
}
