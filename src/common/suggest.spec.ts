import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from './suggest';

describe('editDistance', () => {
  const cases: Array<[string, string, number]> = [
    ['web', 'web', 0],
    ['wbe', 'web', 1],
    ['scael', 'scale', 1],
    ['we', 'web', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ];
  for (const [a, b, d] of cases) it(`${a} -> ${b} is ${d}`, () => assert.equal(editDistance(a, b), d));
});

describe('closest: a likely typo, or nothing', () => {
  const names = ['web', 'api', 'worker', 'payments-api', 'status', 'scale', 'help'];
  const cases: Array<[string, string | undefined]> = [
    ['wev', 'web'],
    ['WEB', 'web'],
    ['apu', 'api'],
    ['paymnts-api', 'payments-api'],
    ['work', 'worker'],
    ['stauts', 'status'],
    ['database', undefined],
    ['x', undefined],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => assert.equal(closest(input, names), want));
});
