import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { AutoscalingDecisionList, AutoscalingPolicyInput, AutoscalingPolicyView, DecisionsQuery } from './autoscaling.models';
import { AutoscalingService } from './autoscaling.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('autoscaling')
@ApiBearerAuth()
@Controller('v1')
export class AutoscalingController {
  constructor(private readonly autoscaling: AutoscalingService) {}

  @Get('services/:name/autoscaling')
  @RequireRole('viewer')
  @ApiOperation({ summary: "Get a service's autoscaling policy" })
  @ApiErrors('SERVICE_NOT_FOUND', 'POLICY_NOT_FOUND')
  @ApiOkResponse({ type: AutoscalingPolicyView })
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AutoscalingPolicyView> {
    return this.autoscaling.get(name, caller);
  }

  @Put('services/:name/autoscaling')
  @RequireRole('admin')
  @ApiOperation({ summary: "Set a service's autoscaling policy" })
  @ApiErrors('SERVICE_NOT_FOUND', 'INVALID_STATE', 'RESOURCES_REQUIRED')
  @ApiOkResponse({ type: AutoscalingPolicyView })
  set(@Param('name') name: string, @Body() body: AutoscalingPolicyInput, @CurrentCaller() caller: Caller): Promise<AutoscalingPolicyView> {
    return this.autoscaling.set(name, body, caller);
  }

  @Delete('services/:name/autoscaling')
  @RequireRole('admin')
  @ApiOperation({ summary: "Remove a service's autoscaling policy" })
  @ApiErrors('SERVICE_NOT_FOUND', 'POLICY_NOT_FOUND')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.autoscaling.remove(name, caller);
  }

  @Get('autoscaling/decisions')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List autoscaling decisions, newest first' })
  @ApiOkResponse({ type: AutoscalingDecisionList })
  async decisions(@Query() q: DecisionsQuery, @CurrentCaller() caller: Caller): Promise<AutoscalingDecisionList> {
    return { items: await this.autoscaling.listDecisions(q, caller) };
  }
}
