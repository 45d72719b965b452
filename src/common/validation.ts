import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError, FieldError } from './errors';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ path, message });
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}

export function validationError(errors: ValidationError[]): AppError {
  const list = flatten(errors);
  const message = list.map((f) => `${f.path}: ${f.message}`).join('; ') || 'invalid input';
  return new AppError('VALIDATION_FAILED', message, list);
}

/** The one validation pipe for REST bodies/queries and GraphQL args: unknown fields are refused. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: validationError,
  });
}

/** Validates a plain object against a DTO class outside the pipe (chat commands, job payloads). */
export function validateInput<T extends object>(cls: new () => T, value: unknown): T {
  const obj = plainToInstance(cls, value ?? {});
  const errors = validateSync(obj as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) throw validationError(errors);
  return obj;
}
