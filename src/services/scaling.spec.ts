import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { boundsProblem, MAX_BATCH, parseTargets, replicaProblem } from './scaling.service';

describe('replicaProblem: 0..MAX_REPLICAS whole numbers only', () => {
  const cases: Array<[unknown, string | null]> = [
    [0, null],
    [100, null],
    [101, 'must not be greater than 100 (MAX_REPLICAS)'],
    [-1, 'must not be less than 0'],
    [1.5, 'must be an integer'],
    ['3', 'must be an integer'],
    [null, 'must be an integer'],
    [Number.NaN, 'must be an integer'],
    [1e20, 'must not be greater than 100 (MAX_REPLICAS)'],
  ];
  for (const [v, want] of cases) it(`${JSON.stringify(v)}`, () => assert.equal(replicaProblem(v, 100), want));
});

describe('parseTargets', () => {
  it('turns the map into targets in order', () => {
    assert.deepEqual(parseTargets({ web: 5, api: 0 }, 10), [
      { name: 'web', replicas: 5 },
      { name: 'api', replicas: 0 },
    ]);
  });
  it('names every bad entry by its path', () => {
    try {
      parseTargets({ web: -1, api: 'x', ok: 2, big: 11 }, 10);
      assert.fail('expected a validation error');
    } catch (e) {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'VALIDATION_FAILED');
      assert.deepEqual(e.errors?.map((x) => x.path), ['services.web', 'services.api', 'services.big']);
    }
  });
  const bad: Array<[string, unknown]> = [
    ['empty', {}],
    ['array', [1]],
    ['null', null],
    ['string', 'web=5'],
    ['too many', Object.fromEntries(Array.from({ length: MAX_BATCH + 1 }, (_, i) => [`s${i}`, 1]))],
  ];
  for (const [what, v] of bad) {
    it(`refuses ${what} at path "services"`, () => {
      assert.throws(() => parseTargets(v, 10), (e: AppError) => e.code === 'VALIDATION_FAILED' && e.errors?.[0]?.path === 'services');
    });
  }
});

describe('boundsProblem', () => {
  const policy = [{ min: 2, max: 5, reason: 'autoscaling policy of web' }];
  it('inside the range passes', () => assert.equal(boundsProblem('web', 3, policy), null));
  it('outside is 422 OUT_OF_BOUNDS naming the policy', () => {
    const e = boundsProblem('web', 6, policy)!;
    assert.equal(e.code, 'OUT_OF_BOUNDS');
    assert.equal(e.status, 422);
    assert.match(e.message, /2\.\.5 set by autoscaling policy of web/);
  });
  it('the tightest of several bounds applies', () => {
    assert.ok(boundsProblem('web', 4, [...policy, { min: 0, max: 3, reason: 'budget' }]));
  });
});
