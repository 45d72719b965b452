import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { openSse } from '../common/sse';
import { LogsQuery } from './logs.query';
import { LogsService } from './logs.service';
import { LogLineView, ServiceStats } from './monitoring.types';
import { StatsService } from './stats.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('v1/services')
export class ServiceMonitoringController {
  constructor(
    private readonly logs: LogsService,
    private readonly stats: StatsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':name/logs')
  @RequireRole('viewer')
  @ApiOperation({ summary: "A service's logs, as text or followed (SSE)" })
  @ApiErrors('SERVICE_NOT_FOUND', 'TOO_MANY_CONNECTIONS')
  @ApiProduces('text/plain', 'text/event-stream')
  @ApiOkResponse({
    description:
      'text/plain: one line per log line, `name.slot.task@node | message`. With follow=true, Server-Sent Events: ' +
      '`event: log` whose data is JSON `{ service, taskId, slot, node, stream, timestamp, message }`, then `event: end` when the service goes away.',
    schema: { type: 'string' },
  })
  async serviceLogs(@Param('name') name: string, @Query() q: LogsQuery, @CurrentCaller() caller: Caller, @Res() reply: FastifyReply): Promise<void> {
    if (!q.follow) {
      const text = await this.logs.openText(name, q, caller);
      reply.type('text/plain; charset=utf-8').send(text);
      return;
    }
    const lines = await this.logs.follow(name, q, caller);
    // The engine stream is paused while the client is slow: nothing piles up, so no one is dropped.
    void openSse(reply, { heartbeatMs: this.config.sseHeartbeatMs }).pipe(lines, (l: LogLineView, n) => ({ id: n, event: 'log', data: l }));
  }

  @Get(':name/stats')
  @RequireRole('viewer')
  @ApiOperation({ summary: "CPU and memory of a service's tasks" })
  @ApiErrors('SERVICE_NOT_FOUND')
  @ApiOkResponse({ type: ServiceStats })
  serviceStats(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<ServiceStats> {
    return this.stats.serviceStats(name, caller);
  }
}
