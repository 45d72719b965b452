import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, createSwarmClient, retryDelay } from './client';

describe('retryDelay: Retry-After honoured, bounded', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const cases: Array<[string | null, number, number | null]> = [
    ['3', 0, 3000],
    ['0', 2, 0],
    [new Date(now + 4000).toUTCString(), 0, 4000],
    ['120', 0, null],
    [null, 0, 500],
    [null, 3, 4000],
    [null, 10, 30_000],
    ['soon', 1, 1000],
  ];
  for (const [header, attempt, want] of cases) it(`${header} (attempt ${attempt}) -> ${want}`, () => assert.equal(retryDelay(header, attempt, 30_000, now), want));
});

describe('createSwarmClient: bearer token, one Idempotency-Key per call kept across retries, bounded retries', () => {
  function recorder(statuses: number[], retryAfter = '0') {
    const seen: Request[] = [];
    const fetch = async (r: Request) => {
      seen.push(r);
      const status = statuses[Math.min(seen.length - 1, statuses.length - 1)];
      return new Response(status === 200 ? '{"ok":true}' : JSON.stringify({ statusCode: status, code: 'RATE_LIMITED', message: 'slow down', requestId: 'r1' }), {
        status,
        headers: { 'content-type': 'application/json', 'retry-after': retryAfter },
      });
    };
    return { seen, fetch };
  }

  it('a mutation answered 429 then 503 is sent again with the same key and body, and succeeds', async () => {
    const rec = recorder([429, 503, 200]);
    const api = createSwarmClient({ baseUrl: 'http://cp.test/', token: 's3cret', fetch: rec.fetch });
    const r = await api.raw('PUT', '/v1/services/web/replicas', { body: { replicas: 3 } });
    assert.equal(r.status, 200);
    assert.equal(rec.seen.length, 3);
    assert.equal(rec.seen[0].url, 'http://cp.test/v1/services/web/replicas');
    const keys = rec.seen.map((q) => q.headers.get('idempotency-key'));
    assert.match(keys[0] ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(new Set(keys).size, 1);
    assert.ok(rec.seen.every((q) => q.headers.get('authorization') === 'Bearer s3cret'));
    assert.deepEqual(await Promise.all(rec.seen.map((q) => q.text())), Array(3).fill('{"replicas":3}'));

    await api.raw('PUT', '/v1/services/web/replicas', { body: { replicas: 4 } });
    assert.notEqual(rec.seen[3].headers.get('idempotency-key'), keys[0], 'a new call, a new key');
  });

  it('reads carry no key; retries stop at the bound and at a Retry-After beyond the longest wait', async () => {
    const rec = recorder([503]);
    const api = createSwarmClient({ baseUrl: 'http://cp.test', retries: 2, fetch: rec.fetch });
    const r = await api.raw('GET', '/v1/services');
    assert.equal(r.status, 503);
    assert.equal(rec.seen.length, 3);
    assert.equal(rec.seen[0].headers.get('idempotency-key'), null);
    assert.equal(rec.seen[0].headers.get('authorization'), null);

    const slow = recorder([429], '3600');
    await createSwarmClient({ baseUrl: 'http://cp.test', fetch: slow.fetch }).raw('GET', '/v1/services');
    assert.equal(slow.seen.length, 1);
  });

  it('typed calls: errors become ApiError with the code and field errors', async () => {
    const api = createSwarmClient({
      baseUrl: 'http://cp.test',
      retries: 0,
      fetch: async () =>
        new Response(JSON.stringify({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'replicas: must be >= 0', requestId: 'q', errors: [{ path: 'replicas', message: 'must be >= 0' }] }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        }),
    });
    const r = await api.rest.PUT('/v1/services/{name}/replicas', { params: { path: { name: 'web' } }, body: { replicas: -1 } });
    const e = new ApiError(r.response.status, r.error);
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.deepEqual(e.errors, [{ path: 'replicas', message: 'must be >= 0' }]);
    assert.equal(e.requestId, 'q');
  });
});
