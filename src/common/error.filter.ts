import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { AppError, ErrorCode } from './errors';

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** Any thrown value as an AppError: the one mapping used for REST bodies and GraphQL errors. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const res = err.getResponse() as any;
    // Terminus reports a failed readiness check as a 503 with the state of each dependency.
    if (status === 503 && res?.status === 'error') {
      const code: ErrorCode = res.error?.docker ? 'DOCKER_UNAVAILABLE' : 'REDIS_UNAVAILABLE';
      const down = Object.keys(res.error ?? {}).join(', ');
      return new AppError(code, `not ready: ${down} down`, undefined, { checks: res.details });
    }
    const code = HTTP_CODES[status];
    if (code) {
      const message = typeof res === 'string' ? res : Array.isArray(res?.message) ? res.message.join('; ') : (res?.message ?? err.message);
      return new AppError(code, String(message));
    }
  }
  // Fastify's own errors (body too large, bad content type, malformed JSON) carry a statusCode.
  const status = (err as any)?.statusCode;
  if (typeof status === 'number' && HTTP_CODES[status]) {
    return new AppError(HTTP_CODES[status], (err as Error).message);
  }
  return new AppError('INTERNAL', 'internal error');
}

export function errorBody(e: AppError, requestId: string | undefined) {
  return {
    statusCode: e.status,
    code: e.code,
    message: e.message,
    requestId,
    ...(e.errors ? { errors: e.errors } : {}),
    ...(e.details ?? {}),
  };
}

export function toGraphQLError(e: AppError): GraphQLError {
  return new GraphQLError(e.message, {
    extensions: { code: e.code, statusCode: e.status, ...(e.errors ? { errors: e.errors } : {}), ...(e.details ?? {}) },
  });
}

@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost) {
    const e = toAppError(err);
    if (e.code === 'INTERNAL') this.log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (host.getType<string>() === 'graphql') return toGraphQLError(e);
    const ctx = host.switchToHttp();
    const req = ctx.getRequest();
    const reply = ctx.getResponse();
    if (reply.sent || reply.raw?.headersSent) {
      reply.raw?.end?.();
      return;
    }
    reply.status(e.status).send(errorBody(e, req?.id));
  }
}
