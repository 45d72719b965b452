import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ScaleInput, ScaleServicesInput } from './scaling.input';
import { ScaleBatchResult, ScaleResult } from './scaling.models';
import { ScalingService } from './scaling.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('scaling')
@ApiBearerAuth()
@Controller('v1')
export class ScalingController {
  constructor(private readonly scaling: ScalingService) {}

  @Put('services/:name/replicas')
  @RequireRole('scaler')
  @ApiOperation({ summary: 'Scale one service' })
  @ApiErrors('SERVICE_NOT_FOUND', 'GLOBAL_SERVICE', 'OUT_OF_BOUNDS')
  @ApiOkResponse({ type: ScaleResult })
  scale(@Param('name') name: string, @Body() body: ScaleInput, @CurrentCaller() caller: Caller): Promise<ScaleResult> {
    return this.scaling.scale(name, body.replicas, caller);
  }

  @Post('scale')
  @HttpCode(200)
  @RequireRole('scaler')
  @ApiOperation({ summary: 'Scale several services, atomically or not' })
  @ApiErrors('SERVICE_NOT_FOUND', 'GLOBAL_SERVICE', 'BATCH_FAILED', 'OUT_OF_BOUNDS')
  @ApiOkResponse({ type: ScaleBatchResult, description: 'atomic batches answer 409 BATCH_FAILED with `results` when the engine refused one part-way' })
  scaleBatch(@Body() body: ScaleServicesInput, @CurrentCaller() caller: Caller): Promise<ScaleBatchResult> {
    return this.scaling.scaleBatch(body, caller);
  }
}
