import { Body, Controller, Delete, Headers, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ServiceDetail } from '../swarm/swarm.types';
import { CreateServiceInput, UpdateResourcesInput, UpdateServiceInput } from './service-spec.input';
import { ServiceLifecycleService } from './service-lifecycle.service';
import { ApiErrors } from '../common/openapi/api-errors';

interface HeaderReply {
  header(name: string, value: string): unknown;
}

/** The answer's version as an ETag: send it back in If-Match. */
function tag(reply: HeaderReply, s: ServiceDetail): ServiceDetail {
  reply.header('ETag', `"${s.version}"`);
  return s;
}

@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/services')
export class ServiceLifecycleController {
  constructor(private readonly lifecycle: ServiceLifecycleService) {}

  @Post()
  @RequireRole('admin')
  @ApiErrors('SPEC_NOT_ALLOWED', 'SERVICE_EXISTS')
  @ApiOperation({ summary: 'Create a service', description: 'Unknown fields are refused. Host-level settings need BIND_MOUNT_ALLOWLIST / SPEC_ALLOW (403 SPEC_NOT_ALLOWED).' })
  @ApiCreatedResponse({
    type: ServiceDetail,
    headers: {
      ETag: { description: 'the service version', schema: { type: 'string' } },
      Location: { description: 'the new service', schema: { type: 'string' } },
    },
  })
  async create(@Body() input: CreateServiceInput, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: HeaderReply): Promise<ServiceDetail> {
    const s = await this.lifecycle.create(input, caller);
    reply.header('Location', `/v1/services/${encodeURIComponent(s.name)}`);
    return tag(reply, s);
  }

  @Patch(':name')
  @RequireRole('admin')
  @ApiErrors('SPEC_NOT_ALLOWED', 'SERVICE_NOT_FOUND', 'VERSION_CONFLICT')
  @ApiOperation({
    summary: 'Change a service spec',
    description:
      'Groups not given stay. Object groups merge field by field; lists and maps replace; null clears a top-level group ' +
      '(and resources.limits/reservations); 0 for cpus, memory or maxReplicasPerNode means none. Stale If-Match: 409 VERSION_CONFLICT.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version the change is based on (from GET, or the ETag)' })
  @ApiOkResponse({ type: ServiceDetail, headers: { ETag: { description: 'the new service version', schema: { type: 'string' } } } })
  async update(
    @Param('name') name: string,
    @Body() input: UpdateServiceInput,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: HeaderReply,
  ): Promise<ServiceDetail> {
    return tag(reply, await this.lifecycle.update(name, input, caller, ifMatch));
  }

  @Delete(':name')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Remove a service' })
  @ApiErrors('SERVICE_NOT_FOUND')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed' })
  remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    return this.lifecycle.remove(name, caller);
  }

  @Put(':name/resources')
  @RequireRole('deployer')
  @ApiErrors('SERVICE_NOT_FOUND', 'UNSCHEDULABLE')
  @ApiOperation({
    summary: 'Vertical scaling: CPU and memory limits and reservations',
    description: 'Merged like PATCH resources. A reservation above its limit is 400; one no ready, active node can hold is 422 UNSCHEDULABLE unless force.',
  })
  @ApiOkResponse({ type: ServiceDetail, headers: { ETag: { description: 'the new service version', schema: { type: 'string' } } } })
  async resources(
    @Param('name') name: string,
    @Body() input: UpdateResourcesInput,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: HeaderReply,
  ): Promise<ServiceDetail> {
    return tag(reply, await this.lifecycle.updateResources(name, input, caller));
  }
}
