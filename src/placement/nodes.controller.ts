import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { NodeView } from '../swarm/swarm.types';
import { TaskList } from '../swarm/swarm.types';
import { NodeAvailabilityInput, NodeLabelsInput } from './placement.input';
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

  @Get(':idOrHostname/tasks')
  @RequireRole('viewer')
  @ApiOkResponse({ type: TaskList, description: 'tasks on the node: wanted ones, and ones still running there (desired shutdown while the node is down)' })
  async tasks(@Param('idOrHostname') id: string, @CurrentCaller() caller: Caller): Promise<TaskList> {
    return { items: await this.nodes.tasks(id, caller) };
  }

  @Put(':idOrHostname/labels')
  @RequireRole('admin')
  @ApiOkResponse({ type: NodeView })
  label(@Param('idOrHostname') id: string, @Body() body: NodeLabelsInput): Promise<NodeView> {
    return this.nodes.label(id, body);
  }

  @Put(':idOrHostname/availability')
  @RequireRole('admin')
  @ApiOkResponse({ type: NodeView })
  availability(@Param('idOrHostname') id: string, @Body() body: NodeAvailabilityInput): Promise<NodeView> {
    return this.nodes.setAvailability(id, body);
  }
}
