import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenAPIObject } from '@nestjs/swagger';
import { describeErrors, ruleCodes } from './describe-errors';

function doc(paths: Record<string, Record<string, any>>): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: { schemas: { ErrorResponse: { type: 'object' } } } } as OpenAPIObject;
}

describe('ruleCodes: what every route of a kind can answer', () => {
  const cases: Array<[string, string, string, Record<string, any>, string[]]> = [
    ['a viewer read with no input', 'get', '/v1/cluster', { 'x-required-role': 'viewer' }, ['UNAUTHENTICATED', 'RATE_LIMITED', 'DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE']],
    [
      'a viewer read with a query',
      'get',
      '/v1/deployments',
      { 'x-required-role': 'viewer', parameters: [{ in: 'query', name: 'service' }] },
      ['UNAUTHENTICATED', 'RATE_LIMITED', 'VALIDATION_FAILED', 'DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE'],
    ],
    ['a path parameter is no input to validate', 'get', '/v1/services/{name}', { 'x-required-role': 'viewer', parameters: [{ in: 'path', name: 'name' }] }, ['UNAUTHENTICATED', 'RATE_LIMITED', 'DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE']],
    [
      'a scaler mutation: role, body, Idempotency-Key',
      'put',
      '/v1/services/{name}/replicas',
      { 'x-required-role': 'scaler', requestBody: {} },
      ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'VALIDATION_FAILED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE', 'SWARM_NO_QUORUM'],
    ],
    ['health: public, not rate-limited', 'get', '/health/live', { 'x-required-role': 'none' }, []],
    ['metrics: public, not rate-limited', 'get', '/metrics', { 'x-required-role': 'none' }, []],
  ];
  for (const [what, method, path, op, want] of cases) it(what, () => assert.deepEqual(ruleCodes(path, method, op), want));
});

describe('describeErrors', () => {
  it('groups declared and rule codes by status, each referencing ErrorResponse, and consumes x-error-codes', () => {
    const d = doc({
      '/v1/scale': { post: { 'x-required-role': 'scaler', 'x-error-codes': ['SERVICE_NOT_FOUND', 'BATCH_FAILED', 'OUT_OF_BOUNDS'], requestBody: {}, responses: { 200: { description: 'ok' } } } },
    });
    describeErrors(d);
    const op: any = d.paths['/v1/scale'].post;
    assert.equal(op['x-error-codes'], undefined);
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '401', '403', '404', '409', '422', '429', '503', 'default']);
    assert.equal(op.responses['409'].description, 'Conflict with the current state: BATCH_FAILED, IDEMPOTENCY_IN_PROGRESS');
    assert.equal(op.responses['422'].description, 'Well-formed but refused: IDEMPOTENCY_KEY_REUSED, OUT_OF_BOUNDS');
    for (const s of ['400', '401', '403', '404', '409', '422', '429', '503', 'default']) {
      assert.deepEqual(op.responses[s].content, { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } }, s);
    }
    assert.deepEqual(op.responses['429'].headers['Retry-After'].schema, { type: 'integer', minimum: 1 });
    assert.deepEqual(op.security, [{ bearer: [] }]);
  });

  it('public routes get an explicitly empty security; declared security stays', () => {
    const d = doc({
      '/health/live': { get: { 'x-required-role': 'none', responses: { 200: { description: 'ok' }, 503: { description: 'down', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/v1/chatops/commands': { post: { 'x-required-role': 'none', security: [{ bearer: [] }, { slackSignature: [] }], responses: {} } },
    });
    describeErrors(d);
    assert.deepEqual((d.paths['/health/live'].get as any).security, []);
    assert.deepEqual((d.paths['/health/live'].get as any).responses['503'].content['application/json'].schema, { $ref: '#/components/schemas/ErrorResponse' });
    assert.deepEqual((d.paths['/v1/chatops/commands'].post as any).security, [{ bearer: [] }, { slackSignature: [] }]);
  });

  it('refuses a route that declares no role, as the guard does', () => {
    assert.throws(() => describeErrors(doc({ '/v1/x': { get: { responses: {} } } })), /GET \/v1\/x declares no role/);
  });
});
