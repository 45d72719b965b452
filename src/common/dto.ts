import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { AppError } from './errors';

/** Query-string flags: only true/false (or 1/0) are accepted; anything else is a 400. */
export function ParseFlag(name: string) {
  return Transform(({ value }) => {
    if (value === undefined || value === '' || typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw AppError.validation(name, 'must be true or false');
  });
}

export class TasksQuery {
  @ApiPropertyOptional({ description: 'include finished tasks (the history of `docker service ps`)', type: Boolean })
  @IsOptional()
  @ParseFlag('all')
  @IsBoolean()
  all?: boolean;
}
