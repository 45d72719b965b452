import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ApiCachedAnswer, sendAnswer } from '../common/http/cached-answer';
import { ServiceListQuery, TaskListQuery } from '../cluster/list-queries';
import { ServiceDetail, TaskList } from '../swarm/swarm.types';
import { ServiceList } from './services.models';
import { ServicesService } from './services.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List services', description: 'filtered as `docker service ls --filter`, by name; a page with `limit` and `cursor`' })
  @ApiCachedAnswer(ServiceList)
  async list(@Query() q: ServiceListQuery, @CurrentCaller() caller: Caller, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendAnswer(req, reply, await this.services.listAnswer(q, caller));
  }

  @Get(':name')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a service' })
  @ApiErrors('SERVICE_NOT_FOUND')
  @ApiOkResponse({ type: ServiceDetail })
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<ServiceDetail> {
    return this.services.get(name, caller);
  }

  @Get(':name/tasks')
  @RequireRole('viewer')
  @ApiOperation({ summary: "List a service's tasks", description: 'by slot, newest first; filtered as `docker service ps --filter`; a page with `limit` and `cursor`' })
  @ApiErrors('SERVICE_NOT_FOUND')
  @ApiCachedAnswer(TaskList)
  async tasks(@Param('name') name: string, @Query() q: TaskListQuery, @CurrentCaller() caller: Caller, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendAnswer(req, reply, await this.services.tasksAnswer(name, caller, q));
  }
}
