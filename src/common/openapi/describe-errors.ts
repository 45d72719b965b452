import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors';
import { REQUIRED_ROLE_EXTENSION } from '../auth/decorators';
import { ERROR_CODES_EXTENSION } from './api-errors';

const MUTATIONS = ['post', 'put', 'patch', 'delete'] as const;
const METHODS = ['get', ...MUTATIONS] as const;

const REASONS: Record<number, string> = {
  400: 'Bad input: `errors` names each field',
  401: 'No token, or an unknown one',
  403: 'Not allowed',
  404: 'Not found (also what a token sees outside its label scope)',
  409: 'Conflict with the current state',
  422: 'Well-formed but refused',
  429: 'Too many requests',
  503: 'A dependency is unreachable (the engine or Redis)',
};

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };

/** What every operation of a kind can answer, whatever the route: one rule per line. */
export function ruleCodes(path: string, method: string, op: Record<string, any>): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const role = op[REQUIRED_ROLE_EXTENSION];
  const operational = path.startsWith('/health') || path === '/metrics';
  if (role !== 'none') codes.push('UNAUTHENTICATED');
  if (role !== 'none' && role !== 'viewer') codes.push('FORBIDDEN');
  // The per-token rate limiter (app.factory.ts) covers every route but health and metrics.
  if (!operational) codes.push('RATE_LIMITED');
  // Bodies, queries and headers go through the validation pipe (or an explicit check).
  if (op.requestBody || (op.parameters ?? []).some((p: any) => p.in !== 'path')) codes.push('VALIDATION_FAILED');
  if ((MUTATIONS as readonly string[]).includes(method)) codes.push('IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED');
  // Every /v1 route reads the read model (engine) or Redis, and answers 503 rather than hang.
  if (!operational) codes.push('DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE');
  // A change needs the swarm's leader; reads go on from the last snapshot without one.
  if (!operational && (MUTATIONS as readonly string[]).includes(method)) codes.push('SWARM_NO_QUORUM');
  return codes;
}

/**
 * Completes the generated document so that tools accept it: every operation declares its
 * security (explicitly none on public routes) and its error responses (the rule codes plus the
 * ones the route declares with `@ApiErrors`), each referencing the one `ErrorResponse` schema.
 * Throws on a route that declares no role, as the guard refuses such a route.
 */
export function describeErrors(doc: OpenAPIObject): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, any>)[method];
      if (!op) continue;
      const role = op[REQUIRED_ROLE_EXTENSION];
      if (!role) throw new Error(`${method.toUpperCase()} ${path} declares no role (@RequireRole or @Public)`);
      if (role === 'none') op.security ??= [];
      else op.security ??= [{ bearer: [] }];

      const codes = new Set<ErrorCode>([...ruleCodes(path, method, op), ...(op[ERROR_CODES_EXTENSION] ?? [])]);
      delete op[ERROR_CODES_EXTENSION];
      const byStatus = new Map<number, ErrorCode[]>();
      for (const code of codes) {
        const status = ERROR_STATUS[code];
        byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      }
      op.responses ??= {};
      // Error answers declared elsewhere (terminus' 503) still have the one error body.
      for (const [status, res] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) >= 400) res.content = { 'application/json': { schema: ERROR_REF } };
      }
      for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
        op.responses[String(status)] = {
          description: `${REASONS[status] ?? 'Error'}: ${list.sort().join(', ')}`,
          content: { 'application/json': { schema: ERROR_REF } },
          ...(list.includes('RATE_LIMITED')
            ? { headers: { 'Retry-After': { description: 'seconds until the token may call again', schema: { type: 'integer', minimum: 1 } } } }
            : {}),
        };
      }
      op.responses.default = {
        description: 'Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE)',
        content: { 'application/json': { schema: ERROR_REF } },
      };
    }
  }
  const schema = (doc.components?.schemas as Record<string, any> | undefined)?.ErrorResponse;
  if (!schema) throw new Error('ErrorResponse is not among the schemas: pass it in extraModels');
  schema.description = 'Every error answer. Some codes add details beside these fields: `results` (BATCH_FAILED), `bounds` (OUT_OF_BOUNDS), `currentVersion` (VERSION_CONFLICT), `suggestion` (a service name not found), `checks` (readiness).';
  schema.additionalProperties = true;
}
