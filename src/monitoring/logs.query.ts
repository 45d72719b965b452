import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { AppError } from '../common/errors';
import { ParseFlag } from '../common/dto';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `tail`: a non-negative number of lines per task, or `all`. */
export function parseTail(value: unknown): number | 'all' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'all') return 'all';
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  throw AppError.validation('tail', 'must be a non-negative integer or "all"');
}

/** `since`: unix seconds (fractions allowed) or an RFC 3339 time; returns unix seconds. */
export function parseSince(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && /^\d{1,12}(\.\d{1,9})?$/.test(value)) return Number(value);
  if (typeof value === 'string' && RFC3339.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  }
  throw AppError.validation('since', 'must be unix seconds or an RFC 3339 time (2024-05-01T12:00:00Z)');
}

export class LogsQuery {
  @ApiPropertyOptional({ description: 'lines per task from the end of the logs: a number or `all` (default all)', type: String, example: '100' })
  @IsOptional()
  @Transform(({ value }) => parseTail(value))
  tail?: number | 'all';

  @ApiPropertyOptional({ description: 'only lines after this time: unix seconds or RFC 3339', type: String, example: '2024-05-01T12:00:00Z' })
  @IsOptional()
  @Transform(({ value }) => parseSince(value))
  since?: number;

  @ApiPropertyOptional({ description: "prefix each line with the engine's RFC 3339 timestamp", type: Boolean })
  @IsOptional()
  @ParseFlag('timestamps')
  @IsBoolean()
  timestamps?: boolean;

  @ApiPropertyOptional({ description: 'keep the connection open and stream new lines as Server-Sent Events (`event: log`)', type: Boolean })
  @IsOptional()
  @ParseFlag('follow')
  @IsBoolean()
  follow?: boolean;
}
