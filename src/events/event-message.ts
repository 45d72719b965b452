import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { AutoscalingDecisionEvent, DeploymentProgressEvent, EVENT_TYPES, EventType, ManagerQuorumChanged, NodeChanged, ServiceChanged, TaskStateChanged } from './event.types';

export const EVENT_PAYLOADS = [TaskStateChanged, ServiceChanged, NodeChanged, DeploymentProgressEvent, AutoscalingDecisionEvent, ManagerQuorumChanged];

/** One message of the GET /v1/events stream, for the contract (the wire format is SSE text). */
export class EventMessage {
  @ApiProperty({ description: 'the SSE `id:`: send it back as Last-Event-ID to resume after this event', example: '1700000000000-0' })
  id!: string;

  @ApiProperty({ enum: EVENT_TYPES, description: 'the SSE `event:` name; it says which payload `data` holds' })
  event!: EventType;

  @ApiProperty({ description: 'the SSE `data:` line, JSON', oneOf: EVENT_PAYLOADS.map((m) => ({ $ref: getSchemaPath(m) })) })
  data!: unknown;
}
