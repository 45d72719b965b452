import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide, DecisionCode, DecisionHistory, PolicySpec, pruneRecommendations, TaskSample } from './decision';

const NOW = Date.parse('2030-01-01T00:10:00Z');
const POLICY: PolicySpec = {
  enabled: true,
  minReplicas: 1,
  maxReplicas: 10,
  metric: 'cpu',
  targetPercent: 50,
  tolerance: 0.1,
  scaleUpCooldownSeconds: 60,
  scaleDownStabilizationSeconds: 300,
  maxStepUp: null,
  maxStepDown: null,
  dryRun: false,
};
const NO_HISTORY: DecisionHistory = { lastScaleUpAt: null, recommendations: [] };

/** `values`: one per running task; null = that task has no data. */
function tasks(...values: Array<number | null>): TaskSample[] {
  return values.map((value, i) => ({ taskId: `t${i}`, value }));
}
const ago = (s: number) => NOW - s * 1000;

interface Row {
  name: string;
  current: number;
  samples: TaskSample[];
  policy?: Partial<PolicySpec>;
  history?: Partial<DecisionHistory>;
  desired: number;
  code: DecisionCode;
  recommendation?: number | null;
}

const ROWS: Row[] = [
  // tolerance
  { name: 'on target: hold', current: 2, samples: tasks(50, 50), desired: 2, code: 'within-tolerance' },
  { name: 'just inside tolerance above (ratio 1.1)', current: 4, samples: tasks(55, 55, 55, 55), desired: 4, code: 'within-tolerance' },
  { name: 'just inside tolerance below (ratio 0.9)', current: 4, samples: tasks(45, 45, 45, 45), desired: 4, code: 'within-tolerance' },
  { name: 'just outside tolerance above scales up', current: 4, samples: tasks(56, 56, 56, 56), desired: 5, code: 'metric' },
  { name: 'tolerance 0 reacts to small excess', current: 4, samples: tasks(52, 52, 52, 52), policy: { tolerance: 0 }, desired: 5, code: 'metric' },
  { name: 'wide tolerance ignores ratio 1.4', current: 2, samples: tasks(70, 70), policy: { tolerance: 0.5 }, desired: 2, code: 'within-tolerance' },
  // the HPA formula
  { name: 'double load doubles replicas', current: 2, samples: tasks(100, 100), desired: 4, code: 'metric' },
  { name: 'ceil rounds up', current: 3, samples: tasks(60, 60, 60), policy: { tolerance: 0.05 }, desired: 4, code: 'metric' },
  { name: 'uneven tasks use the average', current: 2, samples: tasks(150, 50), desired: 4, code: 'metric' },
  { name: 'low load scales down (no history)', current: 4, samples: tasks(10, 10, 10, 10), desired: 1, code: 'metric' },
  { name: 'exact division is not bumped by float error', current: 3, samples: tasks(40, 40, 40), policy: { targetPercent: 60 }, desired: 2, code: 'metric' },
  { name: 'ratio below 1 but ceil keeps the count', current: 3, samples: tasks(40, 40, 40), desired: 3, code: 'metric' },
  // clamps
  { name: 'clamped to max', current: 2, samples: tasks(400, 400), policy: { maxReplicas: 3 }, desired: 3, code: 'metric', recommendation: 3 },
  { name: 'at max under load: no further', current: 3, samples: tasks(400, 400, 400), policy: { maxReplicas: 3 }, desired: 3, code: 'at-max' },
  { name: 'clamped to min', current: 4, samples: tasks(1, 1, 1, 1), policy: { minReplicas: 2 }, desired: 2, code: 'metric', recommendation: 2 },
  { name: 'at min when idle: no further', current: 2, samples: tasks(0, 0), policy: { minReplicas: 2 }, desired: 2, code: 'at-min' },
  { name: 'above max is brought down at once', current: 8, samples: tasks(50), policy: { maxReplicas: 5, maxStepDown: 1 }, desired: 5, code: 'above-max' },
  { name: 'below min is brought up at once, cooldown or not', current: 1, samples: tasks(0), policy: { minReplicas: 3, maxStepUp: 1 }, history: { lastScaleUpAt: ago(1) }, desired: 3, code: 'below-min' },
  // steps
  { name: 'maxStepUp limits a big jump', current: 2, samples: tasks(500, 500), policy: { maxStepUp: 2 }, desired: 4, code: 'metric', recommendation: 10 },
  { name: 'maxStepDown limits a big drop', current: 8, samples: tasks(...Array(8).fill(1)), policy: { maxStepDown: 3 }, desired: 5, code: 'metric', recommendation: 1 },
  { name: 'a step larger than the change does nothing', current: 2, samples: tasks(75, 75), policy: { maxStepUp: 5 }, desired: 3, code: 'metric' },
  // cooldown
  { name: 'scale-up within cooldown holds', current: 2, samples: tasks(100, 100), history: { lastScaleUpAt: ago(30) }, desired: 2, code: 'cooldown', recommendation: 4 },
  { name: 'scale-up after cooldown proceeds', current: 2, samples: tasks(100, 100), history: { lastScaleUpAt: ago(61) }, desired: 4, code: 'metric' },
  { name: 'cooldown 0 never holds', current: 2, samples: tasks(100, 100), policy: { scaleUpCooldownSeconds: 0 }, history: { lastScaleUpAt: ago(0) }, desired: 4, code: 'metric' },
  { name: 'cooldown does not block scale-down', current: 4, samples: tasks(10, 10, 10, 10), policy: { scaleDownStabilizationSeconds: 0 }, history: { lastScaleUpAt: ago(5) }, desired: 1, code: 'metric' },
  // stabilization window
  {
    name: 'scale-down held by a high recommendation inside the window',
    current: 4, samples: tasks(10, 10, 10, 10),
    history: { recommendations: [{ at: ago(120), replicas: 4 }] },
    desired: 4, code: 'stabilizing', recommendation: 1,
  },
  {
    name: 'scale-down goes to the highest recommendation in the window',
    current: 4, samples: tasks(10, 10, 10, 10),
    history: { recommendations: [{ at: ago(200), replicas: 3 }, { at: ago(100), replicas: 2 }, { at: ago(400), replicas: 9 }] },
    desired: 3, code: 'metric', recommendation: 1,
  },
  {
    name: 'recommendations older than the window are ignored',
    current: 4, samples: tasks(10, 10, 10, 10),
    history: { recommendations: [{ at: ago(301), replicas: 4 }] },
    desired: 1, code: 'metric',
  },
  {
    name: 'the window never blocks a scale-up',
    current: 2, samples: tasks(100, 100),
    history: { recommendations: [{ at: ago(10), replicas: 1 }] },
    desired: 4, code: 'metric',
  },
  {
    name: 'stabilized, then stepped',
    current: 8, samples: tasks(...Array(8).fill(1)),
    policy: { maxStepDown: 1 },
    history: { recommendations: [{ at: ago(60), replicas: 5 }] },
    desired: 7, code: 'metric', recommendation: 1,
  },
  // missing metrics
  { name: 'some tasks without data: scale up on the rest', current: 3, samples: tasks(100, null, null), desired: 6, code: 'metric' },
  { name: 'some tasks without data: never scale down', current: 3, samples: tasks(5, null, 5), desired: 3, code: 'missing-metrics', recommendation: 3 },
  { name: 'fewer running tasks than replicas: never scale down', current: 4, samples: tasks(5, 5), desired: 4, code: 'missing-metrics' },
  { name: 'fewer running tasks than replicas: scale up uses the average', current: 4, samples: tasks(100, 100), desired: 8, code: 'metric' },
  { name: 'non-finite samples count as missing', current: 2, samples: [{ taskId: 'a', value: Number.NaN }, { taskId: 'b', value: 5 }], desired: 2, code: 'missing-metrics' },
  { name: 'no task has data: hold, recommending the current count', current: 3, samples: tasks(null, null, null), desired: 3, code: 'no-metrics', recommendation: 3 },
  // zero running tasks / zero replicas
  { name: 'zero running tasks: hold', current: 2, samples: [], desired: 2, code: 'no-metrics', recommendation: 2 },
  { name: 'zero running tasks below min: back to min', current: 1, samples: [], policy: { minReplicas: 2 }, desired: 2, code: 'below-min' },
  { name: 'scaled to zero: idle, as the HPA', current: 0, samples: [], policy: { minReplicas: 2 }, desired: 0, code: 'scaled-to-zero', recommendation: null },
  // memory and other targets
  { name: 'memory metric, same formula', current: 1, samples: tasks(90), policy: { metric: 'memory', targetPercent: 30 }, desired: 3, code: 'metric' },
  { name: 'target 100%: over the limit scales', current: 1, samples: tasks(180), policy: { targetPercent: 100 }, desired: 2, code: 'metric' },
];

describe('decide(): HPA semantics', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const d = decide({
        now: NOW,
        policy: { ...POLICY, ...row.policy },
        current: row.current,
        samples: row.samples,
        history: { ...NO_HISTORY, ...row.history },
      });
      assert.equal(d.current, row.current);
      assert.equal(d.desired, row.desired, d.reason);
      assert.equal(d.code, row.code, d.reason);
      assert.equal(d.action, row.desired > row.current ? 'scale-up' : row.desired < row.current ? 'scale-down' : 'none');
      if (row.recommendation !== undefined) assert.equal(d.recommendation, row.recommendation, d.reason);
      assert.ok(d.reason.length > 0);
    });
  }

  it('records its inputs', () => {
    const d = decide({ now: NOW, policy: POLICY, current: 2, samples: tasks(80, null, 40), history: { lastScaleUpAt: ago(10), recommendations: [] } });
    assert.equal(d.inputs.average, 60);
    assert.equal(d.inputs.ratio, 1.2);
    assert.equal(d.inputs.runningTasks, 3);
    assert.equal(d.inputs.tasksWithData, 2);
    assert.equal(d.inputs.targetPercent, 50);
    assert.equal(d.inputs.lastScaleUpAt, new Date(ago(10)).toISOString());
    assert.deepEqual(d.inputs.samples, tasks(80, null, 40));
    assert.match(d.reason, /cpu 60% vs target 50%/);
    assert.match(d.reason, /cooldown/);
  });

  it('a gap in the data does not shorten the scale-down window', () => {
    const policy = { ...POLICY, scaleDownStabilizationSeconds: 8 };
    const high = { at: NOW - 9000, replicas: 3 }; // older than the window by now
    const gap = decide({ now: NOW - 2000, policy, current: 3, samples: tasks(null, null, null), history: { lastScaleUpAt: null, recommendations: [high] } });
    assert.equal(gap.code, 'no-metrics');
    const next = decide({ now: NOW, policy, current: 3, samples: tasks(0, 0, 0), history: { lastScaleUpAt: null, recommendations: [high, { at: NOW - 2000, replicas: gap.recommendation! }] } });
    assert.equal(next.desired, 3);
    assert.equal(next.code, 'stabilizing');
  });

  it('a flapping metric does not flap the replica count inside the window', () => {
    // Load alternates high/low each round; after the first scale-up the window holds it.
    const policy = { ...POLICY, maxReplicas: 3, scaleUpCooldownSeconds: 10, scaleDownStabilizationSeconds: 30 };
    let current = 1;
    let lastScaleUpAt: number | null = null;
    let recs: Array<{ at: number; replicas: number }> = [];
    const changes: number[] = [];
    for (let round = 0; round < 20; round++) {
      const now = NOW + round * 2000;
      const total = round % 2 === 0 ? 150 : 5; // percent of one task's limit, shared by all tasks
      const d = decide({ now, policy, current, samples: tasks(...Array(current).fill(total / current)), history: { lastScaleUpAt, recommendations: recs } });
      if (d.recommendation !== null) recs = pruneRecommendations([...recs, { at: now, replicas: d.recommendation }], now, policy.scaleDownStabilizationSeconds);
      if (d.desired !== current) {
        changes.push(d.desired);
        if (d.desired > current) lastScaleUpAt = now;
        current = d.desired;
      }
    }
    assert.deepEqual(changes, [3]);
  });
});

describe('pruneRecommendations', () => {
  it('keeps only the window', () => {
    const recs = [{ at: ago(10), replicas: 1 }, { at: ago(100), replicas: 2 }, { at: ago(31), replicas: 3 }];
    assert.deepEqual(pruneRecommendations(recs, NOW, 30), [{ at: ago(10), replicas: 1 }]);
  });
});

describe('decide(): prometheus, the HPA AverageValue target', () => {
  const PROM: PolicySpec = { ...POLICY, metric: 'prometheus', targetPercent: null, query: 'sum(queue_depth)', target: 30 };
  /** `values`: one per series the query returned. */
  const series = (...values: Array<number | null>): TaskSample[] => values.map((value, i) => ({ taskId: `{shard="${i}"}`, value }));
  const run = (current: number, samples: TaskSample[], policy: Partial<PolicySpec> = {}, history: Partial<DecisionHistory> = {}) =>
    decide({ now: NOW, policy: { ...PROM, ...policy }, current, samples, history: { ...NO_HISTORY, ...history } });

  const rows: Array<{ name: string; current: number; samples: TaskSample[]; policy?: Partial<PolicySpec>; desired: number; code: DecisionCode }> = [
    { name: 'desired = ceil(total / target), whatever the current count', current: 1, samples: series(90), desired: 3, code: 'metric' },
    { name: 'the series are summed', current: 2, samples: series(40, 50), desired: 3, code: 'metric' },
    { name: 'on target per replica: hold', current: 3, samples: series(90), desired: 3, code: 'within-tolerance' },
    { name: 'tolerance applies to total / (target * current)', current: 3, samples: series(97), desired: 3, code: 'within-tolerance' },
    { name: 'just outside the tolerance scales', current: 3, samples: series(100), desired: 4, code: 'metric' },
    { name: 'low total scales down (no history)', current: 4, samples: series(10), desired: 1, code: 'metric' },
    { name: 'a total of 0 goes to min, never to 0', current: 3, samples: series(0), policy: { minReplicas: 1 }, desired: 1, code: 'metric' },
    { name: 'clamped to max', current: 1, samples: series(900), policy: { maxReplicas: 4 }, desired: 4, code: 'metric' },
    { name: 'no series: hold (no data is never a scale-down)', current: 4, samples: [], desired: 4, code: 'no-metrics' },
    { name: 'only NaN series: hold', current: 4, samples: series(null, null), desired: 4, code: 'no-metrics' },
    { name: 'a NaN series beside a finite one: the finite total counts, no partial-data guard', current: 4, samples: series(null, 10), desired: 1, code: 'metric' },
    { name: 'fractional targets', current: 2, samples: series(1.5), policy: { target: 0.25 }, desired: 6, code: 'metric' },
    { name: 'scaled to zero: idle', current: 0, samples: series(500), desired: 0, code: 'scaled-to-zero' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const d = run(row.current, row.samples, row.policy);
      assert.equal(d.desired, row.desired, d.reason);
      assert.equal(d.code, row.code, d.reason);
    });
  }

  it('the window, cooldown and steps work as for cpu', () => {
    assert.equal(run(4, series(10), {}, { recommendations: [{ at: ago(60), replicas: 4 }] }).code, 'stabilizing');
    assert.equal(run(1, series(90), {}, { lastScaleUpAt: ago(5) }).code, 'cooldown');
    assert.equal(run(1, series(900), { maxStepUp: 2 }).desired, 3);
  });

  it('records the query, the total, the value per replica and the target', () => {
    const d = run(2, series(40, 50));
    assert.equal(d.inputs.query, 'sum(queue_depth)');
    assert.equal(d.inputs.total, 90);
    assert.equal(d.inputs.average, 45);
    assert.equal(d.inputs.target, 30);
    assert.equal(d.inputs.ratio, 1.5);
    assert.equal(d.inputs.targetPercent, null);
    assert.match(d.reason, /prometheus 90 in total from 2 series, 45 per replica over 2 vs target 30/);
    assert.match(run(3, []).reason, /the query returned no sample/);
  });
});
