import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { PlanPlacementInput, UpdatePlacementInput } from './placement.input';
import { PlacementPlan, PlacementUpdateResult, RebalanceResult } from './placement.models';
import { PlacementService } from './placement.service';

@ApiTags('placement')
@ApiBearerAuth()
@Controller('v1')
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  @Put('services/:name/placement')
  @RequireRole('deployer')
  @ApiOkResponse({ type: PlacementUpdateResult, description: '422 UNSCHEDULABLE when the plan leaves tasks unplaced (unless force)' })
  update(@Param('name') name: string, @Body() body: UpdatePlacementInput, @CurrentCaller() caller: Caller): Promise<PlacementUpdateResult> {
    return this.placement.updatePlacement(name, body, caller);
  }

  @Post('services/:name/rebalance')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiAcceptedResponse({ type: RebalanceResult })
  rebalance(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<RebalanceResult> {
    return this.placement.rebalance(name, caller);
  }

  @Post('placement/plan')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiOkResponse({ type: PlacementPlan })
  plan(@Body() body: PlanPlacementInput, @CurrentCaller() caller: Caller): Promise<PlacementPlan> {
    return this.placement.plan(body, caller);
  }
}
