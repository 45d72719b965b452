import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then asks to wait', () => {
    const r = new RateLimiter(3);
    const t = 1_000_000;
    assert.deepEqual([r.take('a', t), r.take('a', t), r.take('a', t)], [0, 0, 0]);
    assert.equal(r.take('a', t), 20); // one token refills in 20 s at 3/min
  });

  it('refills over time and keeps callers apart', () => {
    const r = new RateLimiter(60);
    const t = 0;
    for (let i = 0; i < 60; i++) assert.equal(r.take('a', t), 0);
    assert.equal(r.take('a', t), 1);
    assert.equal(r.take('b', t), 0);
    assert.equal(r.take('a', t + 1000), 0);
  });

  it('bounds the number of buckets kept', () => {
    const r = new RateLimiter(10, 100);
    for (let i = 0; i < 1000; i++) r.take('k' + i, 0);
    assert.ok((r as any).buckets.size <= 100);
  });
});
