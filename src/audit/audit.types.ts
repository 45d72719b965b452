import { ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { AppError } from '../common/errors';
import { Prop } from '../common/schema';

export type AuditVia = 'rest' | 'graphql' | 'chatops' | 'job';

/** What a mutation did, as appended to the audit stream (and written by jobs and chat commands). */
export interface AuditRecord {
  at?: string;
  actor: string;
  role: string;
  via: AuditVia;
  action: string;
  target: string | null;
  /** Services the entry concerns, with their labels at the time (scoped reads and filters). */
  services?: Array<{ name: string; labels?: Record<string, string> }>;
  request?: unknown;
  outcome: { status: 'succeeded' | 'failed' | 'pending'; httpStatus?: number; code?: string; message?: string };
  before?: unknown;
  after?: unknown;
  requestId?: string;
  /** The id of the `pending` entry this one completes (the mutation's opening entry); that one is then not shown. */
  opened?: string;
  /** Completes an opening entry without an entry of its own (the mutation turned out read-only). */
  closesOnly?: boolean;
}

@ObjectType()
export class AuditOutcome {
  @Prop('string', {
    enum: ['succeeded', 'failed', 'pending'],
    description: 'pending: the mutation was received and its outcome is not recorded yet; one that stays pending was cut short by its process ending',
  })
  status!: string;
  @Prop('int', { optional: true }) httpStatus?: number | null;
  @Prop('string', { optional: true }) code?: string | null;
  @Prop('string', { optional: true }) message?: string | null;
}

@ObjectType()
export class AuditEntryView {
  @Prop('string', { description: 'stream id (time-ordered)' }) id!: string;
  @Prop('string', { description: 'ISO 8601' }) at!: string;
  @Prop('string', { description: 'token name, "slack:<user>" or "autoscaler"' }) actor!: string;
  @Prop('string') role!: string;
  @Prop('string', { enum: ['rest', 'graphql', 'chatops', 'job'] }) via!: string;
  @Prop('string', { example: 'service.scale' }) action!: string;
  @Prop('string', { optional: true }) target?: string | null;
  @Prop('string', { array: true }) services!: string[];
  @Prop('json', { optional: true, description: 'the request as received (secret-looking values redacted)' }) request?: unknown;
  @Prop(AuditOutcome) outcome!: AuditOutcome;
  @Prop('json', { optional: true }) before?: unknown;
  @Prop('json', { optional: true }) after?: unknown;
  @Prop('string', { optional: true }) requestId?: string | null;
}

export class AuditList {
  @ApiProperty({ type: [AuditEntryView] }) items!: AuditEntryView[];
}

function intQuery(name: string) {
  return Transform(({ value }) => {
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
    throw AppError.validation(name, 'must be an integer');
  });
}

export class AuditQuery {
  @ApiPropertyOptional({ description: 'entries concerning this service' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  service?: string;

  @ApiPropertyOptional({ description: 'entries by this actor (token name, slack:<user>, autoscaler)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 time, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 time, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ description: 'newest first, at most this many (1..1000, default 100)', type: 'integer' })
  @IsOptional()
  @intQuery('limit')
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
