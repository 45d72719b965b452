import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { parseSince, parseTail } from './logs.query';

function field(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return e.errors?.[0]?.path;
  }
}

describe('logs query', () => {
  it('tail: a non-negative integer or "all"', () => {
    assert.equal(parseTail('10'), 10);
    assert.equal(parseTail('0'), 0);
    assert.equal(parseTail('all'), 'all');
    assert.equal(parseTail(undefined), undefined);
    for (const bad of ['-1', '1.5', 'ALL', 'ten', ['1', '2'], '9999999999']) assert.equal(field(() => parseTail(bad)), 'tail', String(bad));
  });

  it('since: unix seconds or RFC 3339', () => {
    assert.equal(parseSince('1700000000'), 1700000000);
    assert.equal(parseSince('1700000000.5'), 1700000000.5);
    assert.equal(parseSince('2024-05-01T12:00:00Z'), Date.parse('2024-05-01T12:00:00Z') / 1000);
    assert.equal(parseSince('2024-05-01T12:00:00.250+02:00'), Date.parse('2024-05-01T10:00:00.250Z') / 1000);
    for (const bad of ['yesterday', '-5', '2024-05-01', '2024-13-01T00:00:00Z', '1e9', ['1']]) assert.equal(field(() => parseSince(bad)), 'since', String(bad));
  });
});
