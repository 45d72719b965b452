import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { NodeView } from '../swarm/swarm.types';
import { TaskList } from '../swarm/swarm.types';
import { NodeAvailabilityInput, NodeLabelsInput } from './placement.input';
import { NodesService } from './nodes.service';
import { ApiErrors } from '../common/openapi/api-errors';

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
  @ApiOperation({ summary: 'List nodes' })
  @ApiOkResponse({ type: NodeList })
  async list(): Promise<NodeList> {
    return { items: await this.nodes.list() };
  }

  @Get(':idOrHostname')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a node by id or hostname' })
  @ApiErrors('NODE_NOT_FOUND')
  @ApiOkResponse({ type: NodeView })
  get(@Param('idOrHostname') id: string): Promise<NodeView> {
    return this.nodes.get(id);
  }

  @Get(':idOrHostname/tasks')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List the tasks on a node' })
  @ApiErrors('NODE_NOT_FOUND')
  @ApiOkResponse({ type: TaskList, description: 'tasks on the node: wanted ones, and ones still running there (desired shutdown while the node is down)' })
  async tasks(@Param('idOrHostname') id: string, @CurrentCaller() caller: Caller): Promise<TaskList> {
    return { items: await this.nodes.tasks(id, caller) };
  }

  @Put(':idOrHostname/labels')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Add or remove node labels' })
  @ApiErrors('NODE_NOT_FOUND', 'VERSION_CONFLICT')
  @ApiOkResponse({ type: NodeView })
  label(@Param('idOrHostname') id: string, @Body() body: NodeLabelsInput): Promise<NodeView> {
    return this.nodes.label(id, body);
  }

  @Put(':idOrHostname/availability')
  @RequireRole('admin')
  @ApiOperation({ summary: "Set a node's availability (active, pause, drain)" })
  @ApiErrors('NODE_NOT_FOUND', 'VERSION_CONFLICT')
  @ApiOkResponse({ type: NodeView })
  availability(@Param('idOrHostname') id: string, @Body() body: NodeAvailabilityInput): Promise<NodeView> {
    return this.nodes.setAvailability(id, body);
  }
}
