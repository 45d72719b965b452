import { ApiExtension, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors';

/** The OpenAPI extension that carries a route's declared error codes to `describeErrors`. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/**
 * The error codes a route answers with besides the ones every route of its kind has (those
 * come from rules in `describeErrors`: the role, the rate limit, input validation, the
 * Idempotency-Key, an unreachable engine or Redis). Statuses follow from `ERROR_STATUS`, so a
 * code and its status cannot disagree between the filter and the contract.
 */
export const ApiErrors = (...codes: ErrorCode[]) => ApiExtension(ERROR_CODES_EXTENSION, codes);

export class FieldErrorBody {
  @ApiProperty({ description: 'the field, e.g. `rolling.parallelism` or `services.web`', example: 'replicas' })
  path!: string;

  @ApiProperty({ example: 'must not be less than 0' })
  message!: string;
}

/** Every REST error: the body `errorBody()` in error.filter.ts writes. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', description: 'the HTTP status', example: 404 })
  statusCode!: number;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS), description: 'stable machine-readable code', example: 'SERVICE_NOT_FOUND' })
  code!: ErrorCode;

  @ApiProperty({ example: 'service "web" not found' })
  message!: string;

  @ApiProperty({ description: 'the x-request-id of the request (also in the response header)' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorBody], description: 'for bad input: one entry per field' })
  errors?: FieldErrorBody[];
}
