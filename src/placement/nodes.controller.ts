import { Body, Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ApiCachedAnswer, sendAnswer } from '../common/http/cached-answer';
import { NodeListQuery, NodeTaskListQuery } from '../cluster/list-queries';
import { NodeList, NodeView, TaskList } from '../swarm/swarm.types';
import { NodeAvailabilityInput, NodeLabelsInput } from './placement.input';
import { NodesService } from './nodes.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('nodes')
@ApiBearerAuth()
@Controller('v1/nodes')
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List nodes', description: 'by hostname; filtered as `docker node ls --filter`; a page with `limit` and `cursor`' })
  @ApiCachedAnswer(NodeList)
  async list(@Query() q: NodeListQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendAnswer(req, reply, await this.nodes.listAnswer(q));
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
  @ApiOperation({
    summary: 'List the tasks on a node',
    description: 'wanted ones, and ones still running there (desired shutdown while the node is down), of the services the caller may see; by service, slot, newest first; a page with `limit` and `cursor`',
  })
  @ApiErrors('NODE_NOT_FOUND')
  @ApiCachedAnswer(TaskList)
  async tasks(
    @Param('idOrHostname') id: string,
    @Query() q: NodeTaskListQuery,
    @CurrentCaller() caller: Caller,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendAnswer(req, reply, await this.nodes.tasksAnswer(id, caller, q));
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
