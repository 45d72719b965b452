import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { GqlExecutionContext } from '@nestjs/graphql';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AuditRecord, AuditVia } from '../audit/audit.types';
import { AuthService } from '../common/auth/auth.service';
import { callerOf } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { toAppError } from '../common/error.filter';
import { IDEMPOTENCY_ARG } from './idempotency-key.decorator';
import { checkIdempotencyKey, fingerprint, IdempotencyStore, StoredAnswer } from './idempotency.store';
import { OperationAudit, OperationDefaults } from './operation-audit';
import { Operation, OperationRecord } from './operation-context';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** One mutation as the interceptor sees it, whatever the transport. */
interface Mutation {
  via: AuditVia;
  caller?: Caller;
  /** What the request was (with its path): the idempotency fingerprint covers it. */
  operation: string;
  /** The route pattern ("PUT /v1/services/:name/replicas", "mutation scaleService"): the default audit action. */
  route: string;
  input: unknown;
  key?: string;
  keyPath: string;
  target: string | null;
  request: unknown;
  requestId?: string;
  successStatus: number;
  reply?: { header(name: string, value: string): unknown };
}

/**
 * Errors whose request may simply be sent again: bad input (the same body fails the same way
 * without acting), rate limits and 5xx (the engine or Redis was unreachable). Their key is
 * freed so the retry runs. Every other outcome (success, 404, 409 including a restored batch,
 * 422) is stored and replayed as it was: the first run may have acted.
 */
function retryable(status: number): boolean {
  return status >= 500 || status === 400 || status === 429;
}

/**
 * Every mutation — REST routes other than GET and GraphQL mutations — runs here: inside an
 * Operation (what the domain code notes), behind the Idempotency-Key check, and audited: an
 * opening entry written while it runs, its outcome entry after the answer (see AuditService).
 * Reads pass through untouched.
 */
@Injectable()
export class MutationInterceptor implements NestInterceptor {
  private readonly log = new Logger('Mutations');

  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyStore,
    private readonly audit: OperationAudit,
    private readonly auth: AuthService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const m = this.describe(ctx);
    if (!m) return next.handle();
    return from(this.run(m, next));
  }

  private describe(ctx: ExecutionContext): Mutation | null {
    if (ctx.getType<string>() === 'graphql') {
      const g = GqlExecutionContext.create(ctx);
      const info = g.getInfo();
      if (info?.parentType?.name !== 'Mutation') return null;
      const { [IDEMPOTENCY_ARG]: key, ...args } = (g.getArgs() ?? {}) as Record<string, unknown>;
      const req = g.getContext()?.req;
      return {
        via: 'graphql',
        caller: callerOf(ctx),
        operation: `mutation ${info.fieldName}`,
        route: `mutation ${info.fieldName}`,
        input: args,
        key: key === undefined || key === null ? undefined : checkIdempotencyKey(key, IDEMPOTENCY_ARG),
        keyPath: IDEMPOTENCY_ARG,
        target: pickTarget(args),
        request: { mutation: info.fieldName, args },
        requestId: req?.id,
        successStatus: 200,
      };
    }
    if (ctx.getType() !== 'http') return null;
    const req = ctx.switchToHttp().getRequest();
    if (READS.has(req.method)) return null;
    const header = req.headers['idempotency-key'];
    return {
      via: 'rest',
      caller: req.caller ?? this.bearerCaller(req.headers.authorization),
      operation: `${req.method} ${req.url}`,
      route: `${req.method} ${req.routeOptions?.url ?? req.url}`,
      input: req.body ?? null,
      key: header === undefined ? undefined : checkIdempotencyKey(header, 'Idempotency-Key'),
      keyPath: 'Idempotency-Key',
      target: pickTarget(req.params) ?? pickTarget(req.body),
      request: { method: req.method, path: req.url, body: req.body },
      requestId: req.id,
      successStatus: this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? (req.method === 'POST' ? 201 : 200),
      reply: ctx.switchToHttp().getResponse(),
    };
  }

  /** Public routes (chat posts) check their token in the handler; idempotency needs it before. */
  private bearerCaller(header: unknown): Caller | undefined {
    if (typeof header !== 'string') return undefined;
    try {
      return this.auth.authenticate(header);
    } catch {
      return undefined; // the handler answers 401
    }
  }

  private async run(m: Mutation, next: CallHandler): Promise<unknown> {
    const record: OperationRecord = { caller: m.caller };
    // Without a known caller (a Slack-signed chat post) there is no one to key the record to.
    const keyed = m.key !== undefined && m.caller ? { caller: m.caller.name, key: m.key, print: fingerprint(m.operation, m.input) } : null;
    if (keyed) {
      const stored = await this.idempotency.begin(keyed.caller, keyed.key, keyed.print);
      if (stored) return this.replay(m, stored);
    }
    // The opening audit entry is written while the mutation runs; a success is answered once it
    // is durable, and its outcome entry follows the answer (see AuditService).
    const opening = m.caller ? this.audit.open({ ...this.defaults(m), caller: m.caller }) : undefined;
    let result: unknown;
    try {
      result = await Operation.run(record, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    } catch (err) {
      const e = toAppError(err);
      await Promise.all([
        keyed && (retryable(e.status) ? this.forget(keyed) : this.remember(keyed, { status: e.status, error: { code: e.code, message: e.message, errors: e.errors, details: e.details } })),
        this.write(m, record, { status: 'failed', httpStatus: e.status, code: e.code, message: e.message }, opening),
      ]);
      throw err;
    }
    await Promise.all([
      keyed && this.remember(keyed, { status: m.successStatus, body: result === undefined ? null : JSON.parse(JSON.stringify(result)) }),
      opening,
      this.write(m, record, record.failure ? { status: 'failed', ...record.failure } : { status: 'succeeded', httpStatus: m.successStatus }, opening),
    ]);
    return result;
  }

  private replay(m: Mutation, stored: StoredAnswer): unknown {
    m.reply?.header('idempotent-replayed', 'true');
    if (stored.error) {
      const e = stored.error;
      throw new AppError(e.code, e.message, e.errors, e.details);
    }
    return stored.body ?? undefined;
  }

  // The engine already acted: failing to store the answer must not fail the request. The claim
  // then lapses after PENDING_TTL_SECONDS (a retry meanwhile answers 409 IDEMPOTENCY_IN_PROGRESS).
  private async remember(k: { caller: string; key: string; print: string }, answer: StoredAnswer): Promise<void> {
    await this.idempotency.complete(k.caller, k.key, k.print, answer).catch((e: Error) => this.log.error(`idempotency answer not stored: ${e.message}`));
  }

  private async forget(k: { caller: string; key: string }): Promise<void> {
    await this.idempotency.release(k.caller, k.key).catch((e: Error) => this.log.error(`idempotency key not released: ${e.message}`));
  }

  private defaults(m: Mutation): OperationDefaults {
    return { caller: m.caller, via: m.via, action: m.route, target: m.target, request: m.request, requestId: m.requestId };
  }

  private write(m: Mutation, r: OperationRecord, outcome: AuditRecord['outcome'], opening?: Promise<string | undefined>): Promise<void> {
    return this.audit.record(r, this.defaults(m), outcome, opening);
  }
}

function pickTarget(o: unknown): string | null {
  if (!o || typeof o !== 'object') return null;
  const r = o as Record<string, unknown>;
  for (const k of ['name', 'service', 'id', 'idOrHostname']) if (typeof r[k] === 'string') return r[k] as string;
  return null;
}
