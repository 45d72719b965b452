import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { PlanPlacementInput, UpdatePlacementInput } from './placement.input';
import { PlacementPlan, PlacementUpdateResult, RebalanceResult } from './placement.models';
import { PlacementService } from './placement.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('placement')
@ApiBearerAuth()
@Controller('v1')
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  @Put('services/:name/placement')
  @RequireRole('deployer')
  @ApiOperation({ summary: "Change a service's placement" })
  @ApiErrors('SERVICE_NOT_FOUND', 'UNSCHEDULABLE')
  @ApiOkResponse({ type: PlacementUpdateResult, description: '422 UNSCHEDULABLE when the plan leaves tasks unplaced (unless force)' })
  update(@Param('name') name: string, @Body() body: UpdatePlacementInput, @CurrentCaller() caller: Caller): Promise<PlacementUpdateResult> {
    return this.placement.updatePlacement(name, body, caller);
  }

  @Post('services/:name/rebalance')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiOperation({ summary: "Spread a service's tasks again (rolling replacement)" })
  @ApiErrors('SERVICE_NOT_FOUND', 'INVALID_STATE')
  @ApiAcceptedResponse({ type: RebalanceResult })
  rebalance(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<RebalanceResult> {
    return this.placement.rebalance(name, caller);
  }

  @Post('placement/plan')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Plan a placement without changing anything' })
  @ApiErrors('SERVICE_NOT_FOUND')
  @ApiOkResponse({ type: PlacementPlan })
  plan(@Body() body: PlanPlacementInput, @CurrentCaller() caller: Caller): Promise<PlacementPlan> {
    return this.placement.plan(body, caller);
  }
}
