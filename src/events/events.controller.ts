import { Controller, Get, Headers, Inject, Logger, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { openSse } from '../common/sse';
import { EventsService } from './events.service';
import { EventsQuery } from './events.query';
import { EVENT_PAYLOADS, EventMessage } from './event-message';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('events')
@ApiExtraModels(EventMessage, ...EVENT_PAYLOADS)
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  private readonly log = new Logger('Events');

  constructor(
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Follow live events (Server-Sent Events)' })
  @ApiErrors('TOO_MANY_CONNECTIONS')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event id (sent back by EventSource on reconnect)' })
  @ApiOkResponse({
    description:
      'Server-Sent Events: `id:` the event id, `event:` task|service|node|deployment|autoscaling, `data:` the JSON payload ' +
      '(TaskStateChanged, ServiceChanged, NodeChanged, DeploymentProgressEvent, AutoscalingDecisionEvent); `: ping` heartbeats. ' +
      'Events of services outside the token scope are left out. 429 TOO_MANY_CONNECTIONS past the per-token limit. ' +
      'With Last-Event-ID (or lastEventId) the kept events after it come first, then a `: replayed` comment, then live ones.',
    schema: { $ref: getSchemaPath(EventMessage) },
  })
  async stream(
    @Query() query: EventsQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const events = await this.events.stream(caller, query, lastEventId);
    // A live feed: a client that stops reading is dropped rather than buffered for.
    const sse = openSse(reply, {
      heartbeatMs: this.config.sseHeartbeatMs,
      dropStalled: true,
      onClose: (reason) => this.log.debug(`SSE stream of ${caller.name} closed: ${reason}`),
    });
    // Clients that only want what was kept (`swarmctl events` without --follow) stop at this comment.
    events.onReplayed = () => sse.comment('replayed');
    void sse.pipe(events, (e) => ({ id: e.id, event: e.type, data: e.payload }));
  }
}
