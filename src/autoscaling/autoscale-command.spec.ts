import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { parseAutoscale } from './autoscale-command';

describe('parseAutoscale', () => {
  const ok: Array<[string, unknown]> = [
    ['web 2..6 cpu 60', { kind: 'set', service: 'web', minReplicas: 2, maxReplicas: 6, metric: 'cpu', targetPercent: 60, dryRun: false }],
    ['api 1..3 memory 75% dry-run', { kind: 'set', service: 'api', minReplicas: 1, maxReplicas: 3, metric: 'memory', targetPercent: 75, dryRun: true }],
    ['web 2..6 CPU 62.5', { kind: 'set', service: 'web', minReplicas: 2, maxReplicas: 6, metric: 'cpu', targetPercent: 62.5, dryRun: false }],
    ['web', { kind: 'show', service: 'web' }],
    ['web off', { kind: 'off', service: 'web' }],
  ];
  for (const [text, want] of ok) {
    it(`"${text}"`, () => assert.deepEqual(parseAutoscale(text.split(' ')), want));
  }
  const bad = ['', 'web 2-6 cpu 60', 'web 2..6 disk 60', 'web 2..6 cpu sixty', 'web 2..6 cpu', 'web 2..6 cpu 60 now', 'web on'];
  for (const text of bad) {
    it(`refuses "${text}" with usage`, () => {
      assert.throws(
        () => parseAutoscale(text.split(' ').filter(Boolean)),
        (e: unknown) => e instanceof AppError && e.code === 'VALIDATION_FAILED' && /usage/.test(e.message),
      );
    });
  }
});
