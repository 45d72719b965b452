import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, EventType } from './event.types';

function commaList({ value }: { value: unknown }): unknown {
  if (value === undefined || value === null) return value;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter(Boolean);
}

export class EventsQuery {
  @ApiPropertyOptional({
    description: `comma-separated event types to receive (default: all): ${EVENT_TYPES.join(', ')}`,
    type: String,
    example: 'task,service',
  })
  @IsOptional()
  @Transform(commaList)
  @ArrayNotEmpty({ message: `types must name at least one of ${EVENT_TYPES.join(', ')}` })
  @IsIn(EVENT_TYPES, { each: true, message: `each of types must be one of ${EVENT_TYPES.join(', ')}` })
  types?: EventType[];

  @ApiPropertyOptional({ description: 'only events about this service (node and cluster events are left out)' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  service?: string;

  @ApiPropertyOptional({ description: 'resume after this event id, as the Last-Event-ID header does (the header wins)', example: '1700000000000-0' })
  @IsOptional()
  @Matches(/^\d{1,20}-\d{1,20}$/, { message: 'lastEventId must be an event id like 1700000000000-0' })
  lastEventId?: string;
}
