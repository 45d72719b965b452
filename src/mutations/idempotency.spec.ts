import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { checkIdempotencyKey, fingerprint, stableJson } from './idempotency.store';
import { KeyedMutex } from '../common/keyed-mutex';
import { redact, visibleTo } from '../audit/audit.service';

describe('idempotency fingerprints', () => {
  it('ignore key order', () => assert.equal(stableJson({ b: 1, a: { d: 2, c: [1, { y: 1, x: 2 }] } }), '{"a":{"c":[1,{"x":2,"y":1}],"d":2},"b":1}'));
  it('differ by operation and by body', () => {
    const a = fingerprint('PUT /v1/services/web/replicas', { replicas: 2 });
    assert.equal(a, fingerprint('PUT /v1/services/web/replicas', { replicas: 2 }));
    assert.notEqual(a, fingerprint('PUT /v1/services/api/replicas', { replicas: 2 }));
    assert.notEqual(a, fingerprint('PUT /v1/services/web/replicas', { replicas: 3 }));
  });
  const bad: unknown[] = ['', 'has space', 'é', 'x'.repeat(256), 5, ['a', 'b']];
  for (const k of bad) {
    it(`key ${JSON.stringify(k)?.slice(0, 20)} is refused`, () =>
      assert.throws(() => checkIdempotencyKey(k, 'Idempotency-Key'), (e: AppError) => e.errors?.[0]?.path === 'Idempotency-Key'));
  }
});

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in order; other keys in parallel', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const task = (k: string, i: number, ms: number) =>
      m.run(k, async () => {
        log.push(`start ${k}${i}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${k}${i}`);
        if (i === 1) throw new Error('boom');
      });
    await Promise.allSettled([task('a', 1, 20), task('a', 2, 1), task('b', 1, 5)]);
    assert.deepEqual(log, ['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
  });
});

describe('audit helpers', () => {
  it('redact hides env values and secret-looking fields', () => {
    assert.deepEqual(redact({ name: 'web', env: { DB_PASSWORD: 'x', MODE: 'y' }, nested: { token: 'abc', keep: 1 } }), {
      name: 'web',
      env: { DB_PASSWORD: '[redacted]', MODE: '[redacted]' },
      nested: { token: '[redacted]', keep: 1 },
    });
  });
  it('a scoped caller sees entries whose every service is in scope', () => {
    const teamA = { name: 'a', role: 'admin' as const, scope: { labels: { team: 'a' } } };
    assert.equal(visibleTo(teamA, { services: [{ name: 'w', labels: { team: 'a' } }] }), true);
    assert.equal(visibleTo(teamA, { services: [{ name: 'w', labels: { team: 'a' } }, { name: 'x', labels: {} }] }), false);
    assert.equal(visibleTo(teamA, { services: [] }), false);
    assert.equal(visibleTo({ name: 'admin', role: 'admin' }, { services: [] }), true);
  });
});
