import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { TasksQuery } from '../common/dto';
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
  @ApiOperation({ summary: 'List services' })
  @ApiOkResponse({ type: ServiceList })
  async list(@CurrentCaller() caller: Caller): Promise<ServiceList> {
    return { items: await this.services.list(caller) };
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
  @ApiOperation({ summary: "List a service's tasks" })
  @ApiErrors('SERVICE_NOT_FOUND')
  @ApiOkResponse({ type: TaskList })
  async tasks(@Param('name') name: string, @Query() q: TasksQuery, @CurrentCaller() caller: Caller): Promise<TaskList> {
    return { items: await this.services.tasks(name, caller, !!q.all) };
  }
}
