import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { ApiErrors } from '../common/openapi/api-errors';
import { Caller } from '../common/auth/roles';
import { AlertmanagerWebhookBody } from './alertmanager-payload';
import { AlertmanagerReceiver } from './alertmanager-receiver.service';
import { AlertReceiptView, AlertRulesInput, AlertRuleSetView } from './alert-rules.models';
import { AlertRulesService } from './alert-rules.service';

@ApiTags('alerting')
@ApiBearerAuth()
@Controller('v1')
export class AlertingController {
  constructor(
    private readonly rules: AlertRulesService,
    private readonly receiver: AlertmanagerReceiver,
  ) {}

  @Get('services/:name/alert-rules')
  @RequireRole('viewer')
  @ApiOperation({ summary: "A service's alert rules (which Alertmanager alert scales it, and how)" })
  @ApiErrors('SERVICE_NOT_FOUND', 'NOT_FOUND')
  @ApiOkResponse({ type: AlertRuleSetView })
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AlertRuleSetView> {
    return this.rules.get(name, caller);
  }

  @Put('services/:name/alert-rules')
  @RequireRole('admin')
  @ApiOperation({ summary: "Set a service's alert rules (replaces them)" })
  @ApiErrors('SERVICE_NOT_FOUND', 'INVALID_STATE')
  @ApiOkResponse({ type: AlertRuleSetView })
  set(@Param('name') name: string, @Body() body: AlertRulesInput, @CurrentCaller() caller: Caller): Promise<AlertRuleSetView> {
    return this.rules.set(name, body, caller);
  }

  @Delete('services/:name/alert-rules')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a service's alert rules" })
  @ApiErrors('SERVICE_NOT_FOUND', 'NOT_FOUND')
  @ApiNoContentResponse()
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.rules.remove(name, caller);
  }

  // scaler: the receiver only changes replica counts, within bounds an admin set (rules, policies).
  @Post('alerts/alertmanager')
  @RequireRole('scaler')
  @HttpCode(200)
  @ApiOperation({ summary: "Alertmanager's webhook receiver (webhook_config, payload version 4)" })
  @ApiBody({ type: AlertmanagerWebhookBody })
  @ApiOkResponse({ type: AlertReceiptView })
  alertmanager(@Body() body: unknown, @CurrentCaller() caller: Caller, @Req() req: { id?: string }): Promise<AlertReceiptView> {
    return this.receiver.receive(body, caller, req.id);
  }
}
