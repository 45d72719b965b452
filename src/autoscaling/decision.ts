/**
 * The autoscaler's decision, as a pure function of the policy, the service's replica count,
 * per-task metric samples and the service's decision history. Semantics follow the
 * Kubernetes HPA (pkg/controller/podautoscaler):
 *
 * 1. A service scaled to 0 is left alone (the HPA treats 0 as "autoscaling disabled").
 * 2. A replica count outside [min, max] is brought back to the nearest bound at once.
 * 3. The metric is averaged over the running tasks that report it; ratio = average / target.
 *    Within tolerance (|ratio - 1| <= tolerance) the recommendation is the current count,
 *    otherwise ceil(current * ratio), clamped to [min, max].
 * 4. Missing data: the decision uses the tasks that have data, but a recommendation below the
 *    current count is replaced by the current count while any expected task lacks data
 *    (never scale down on missing data). No data at all: hold, recommending the current
 *    count, so a scale-down after a gap in the data still waits a full window.
 * 5. Scale-down stabilization: the result never goes below the highest recommendation made
 *    within the last scaleDownStabilizationSeconds (this one included).
 * 6. Steps: at most maxStepUp replicas added, maxStepDown removed, per decision.
 * 7. Scale-up cooldown: no scale-up within scaleUpCooldownSeconds of the last scale-up the
 *    autoscaler applied to this service (manual scaling does not start a cooldown).
 *
 * `prometheus` policies follow the HPA's AverageValue target for external metrics: the samples
 * are the series a PromQL query returns, their sum is the service's total, the value per
 * replica is total / current, ratio = that / target, and desired = ceil(total / target) outside
 * the tolerance. The series are not tasks: none is "missing", so rule 4's partial-data guard
 * does not apply; no sample at all holds, as above.
 */

export const RESOURCE_METRICS = ['cpu', 'memory'] as const;
export type ResourceMetric = (typeof RESOURCE_METRICS)[number];
export const METRICS = [...RESOURCE_METRICS, 'prometheus'] as const;
export type Metric = (typeof METRICS)[number];

export function isResourceMetric(m: Metric): m is ResourceMetric {
  return m !== 'prometheus';
}

export interface PolicySpec {
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  metric: Metric;
  /** cpu and memory: percent of the task's limit (or reservation when it has no limit), in (0, 100]; null for prometheus. */
  targetPercent: number | null;
  /** prometheus: the PromQL query whose result (summed over its series) is the service's total. */
  query?: string | null;
  /** prometheus: the value per replica to keep (the HPA's AverageValue). */
  target?: number | null;
  tolerance: number;
  scaleUpCooldownSeconds: number;
  scaleDownStabilizationSeconds: number;
  /** null: no limit on the step. */
  maxStepUp: number | null;
  maxStepDown: number | null;
  dryRun: boolean;
}

/**
 * One running task's metric, in percent of its limit or reservation; null when it has no data.
 * For `prometheus`, one series of the query's result (taskId: its labels, `{job="x"}`).
 */
export interface TaskSample {
  taskId: string;
  value: number | null;
}

export interface Recommendation {
  at: number;
  replicas: number;
}

export interface DecisionHistory {
  /** When the autoscaler last applied a scale-up to this service (ms since epoch). */
  lastScaleUpAt: number | null;
  /** Earlier recommendations (clamped to [min, max]), any order; older ones are ignored. */
  recommendations: Recommendation[];
}

export interface DecisionInput {
  now: number;
  policy: PolicySpec;
  /** The service's desired replica count (the engine's spec). */
  current: number;
  /** One entry per running task. */
  samples: TaskSample[];
  history: DecisionHistory;
}

export type DecisionAction = 'scale-up' | 'scale-down' | 'none';

/** Why the decision came out as it did (machine-readable; `reason` says it in words). */
export type DecisionCode =
  | 'metric'
  | 'below-min'
  | 'above-max'
  | 'within-tolerance'
  | 'at-max'
  | 'at-min'
  | 'cooldown'
  | 'stabilizing'
  | 'missing-metrics'
  | 'no-metrics'
  | 'scaled-to-zero';

export interface DecisionInputs {
  metric: Metric;
  targetPercent: number | null;
  /** prometheus: the query, its total over all series and the target per replica. */
  query?: string;
  total?: number | null;
  target?: number;
  tolerance: number;
  minReplicas: number;
  maxReplicas: number;
  runningTasks: number;
  tasksWithData: number;
  /** Average metric over the tasks with data, percent (prometheus: total / replicas); null without data. */
  average: number | null;
  ratio: number | null;
  samples: TaskSample[];
  scaleDownStabilizationSeconds: number;
  /** Highest recommendation within the stabilization window (this one included). */
  stabilizationHighest: number | null;
  scaleUpCooldownSeconds: number;
  lastScaleUpAt: string | null;
  maxStepUp: number | null;
  maxStepDown: number | null;
}

export interface Decision {
  current: number;
  desired: number;
  action: DecisionAction;
  code: DecisionCode;
  reason: string;
  /** What to remember for later stabilization; null when this round made none. */
  recommendation: number | null;
  inputs: DecisionInputs;
}

const EPSILON = 1e-9;

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function round(n: number, per: number): number {
  return Math.round(n * per) / per;
}

export function decide(input: DecisionInput): Decision {
  const { policy: p, current, samples, history, now } = input;
  const perReplica = p.metric === 'prometheus';
  const target = (perReplica ? p.target : p.targetPercent) ?? Number.NaN;
  const withData = samples.filter((s): s is { taskId: string; value: number } => s.value !== null && Number.isFinite(s.value));
  const total = withData.length ? withData.reduce((a, s) => a + s.value, 0) : null;
  // AverageValue: the total shared by the replicas there are; resources: the mean over tasks.
  const average = total === null ? null : perReplica ? (current > 0 ? total / current : null) : total / withData.length;
  const ratio = average === null ? null : average / target;
  const inputs: DecisionInputs = {
    metric: p.metric,
    targetPercent: p.targetPercent,
    ...(perReplica ? { query: p.query ?? '', total: total === null ? null : round(total, 1000), target } : {}),
    tolerance: p.tolerance,
    minReplicas: p.minReplicas,
    maxReplicas: p.maxReplicas,
    runningTasks: samples.length,
    tasksWithData: withData.length,
    average: average === null ? null : round(average, perReplica ? 1000 : 100),
    ratio: ratio === null ? null : round(ratio, 1000),
    samples,
    scaleDownStabilizationSeconds: p.scaleDownStabilizationSeconds,
    stabilizationHighest: null,
    scaleUpCooldownSeconds: p.scaleUpCooldownSeconds,
    lastScaleUpAt: history.lastScaleUpAt === null ? null : new Date(history.lastScaleUpAt).toISOString(),
    maxStepUp: p.maxStepUp,
    maxStepDown: p.maxStepDown,
  };
  const out = (desired: number, code: DecisionCode, reason: string, recommendation: number | null): Decision => ({
    current,
    desired,
    action: desired > current ? 'scale-up' : desired < current ? 'scale-down' : 'none',
    code,
    reason,
    recommendation,
    inputs,
  });

  if (current === 0) {
    return out(0, 'scaled-to-zero', 'the service is scaled to 0: autoscaling stays idle until it has replicas', null);
  }
  if (current > p.maxReplicas) {
    return out(p.maxReplicas, 'above-max', `${current} replicas is above maxReplicas ${p.maxReplicas}`, p.maxReplicas);
  }
  if (current < p.minReplicas) {
    return out(p.minReplicas, 'below-min', `${current} replicas is below minReplicas ${p.minReplicas}`, p.minReplicas);
  }
  if (average === null || ratio === null) {
    // Recorded as a recommendation to stay: the scale-down window only counts time with data.
    const none = perReplica
      ? `the query returned no sample${samples.length ? ` with a finite value (${samples.length} series)` : ''}: holding at ${current}`
      : `no ${p.metric} metrics from any of ${samples.length} running tasks: holding at ${current}`;
    return out(current, 'no-metrics', none, current);
  }

  const observed = perReplica
    ? `prometheus ${fmt(total!)} in total from ${withData.length} series, ${fmt(average)} per replica over ${current} vs target ${fmt(target)} (ratio ${ratio.toFixed(2)})`
    : `${p.metric} ${fmt(average)}% vs target ${fmt(target)}% (ratio ${ratio.toFixed(2)}) over ${withData.length} of ${samples.length} running tasks`;
  // Series are not tasks: a query result has no "expected" sample that could be missing.
  const missing = perReplica ? 0 : Math.max(0, current - withData.length);

  // 3-4: the recommendation from the metric.
  let raw: number;
  let code: DecisionCode = 'metric';
  let why: string;
  if (Math.abs(ratio - 1) <= p.tolerance + EPSILON) {
    raw = current;
    code = 'within-tolerance';
    why = `within tolerance ${p.tolerance}`;
  } else {
    raw = Math.max(1, Math.ceil((current * average) / target - EPSILON));
    why = `recommends ${raw}`;
    if (raw < current && missing > 0) {
      why = `recommends ${raw}, but ${missing} of ${current} tasks have no metrics: never scaling down on missing data`;
      raw = current;
      code = 'missing-metrics';
    }
  }
  let recommendation = Math.min(p.maxReplicas, Math.max(p.minReplicas, raw));
  if (recommendation !== raw) {
    why += raw > p.maxReplicas ? `, clamped to maxReplicas ${p.maxReplicas}` : `, clamped to minReplicas ${p.minReplicas}`;
    if (recommendation === current) code = raw > p.maxReplicas ? 'at-max' : 'at-min';
  }

  // 5: scale-down stabilization.
  const cutoff = now - p.scaleDownStabilizationSeconds * 1000;
  let highest = recommendation;
  for (const r of history.recommendations) if (r.at > cutoff && r.replicas > highest) highest = r.replicas;
  inputs.stabilizationHighest = highest;
  let desired = recommendation;
  if (recommendation < current) {
    desired = Math.min(current, highest);
    if (desired > recommendation) {
      why += `; stabilizing: the highest recommendation in the last ${p.scaleDownStabilizationSeconds}s is ${highest}`;
      if (desired === current) code = 'stabilizing';
    }
  }

  // 6: steps.
  if (desired > current && p.maxStepUp !== null && desired - current > p.maxStepUp) {
    desired = current + p.maxStepUp;
    why += `; limited to +${p.maxStepUp} per step`;
  }
  if (desired < current && p.maxStepDown !== null && current - desired > p.maxStepDown) {
    desired = current - p.maxStepDown;
    why += `; limited to -${p.maxStepDown} per step`;
  }

  // 7: scale-up cooldown.
  if (desired > current && history.lastScaleUpAt !== null && p.scaleUpCooldownSeconds > 0) {
    const since = now - history.lastScaleUpAt;
    if (since < p.scaleUpCooldownSeconds * 1000) {
      why += `; in scale-up cooldown (last scale-up ${fmt(Math.round(since / 100) / 10)}s ago, cooldown ${p.scaleUpCooldownSeconds}s)`;
      desired = current;
      code = 'cooldown';
    }
  }

  const verdict = desired === current ? `holding at ${current}` : `${current} -> ${desired}`;
  return out(desired, code, `${observed}: ${why}; ${verdict}`, recommendation);
}

/** Drops recommendations that can no longer matter (older than the stabilization window). */
export function pruneRecommendations(recs: Recommendation[], now: number, windowSeconds: number): Recommendation[] {
  const cutoff = now - windowSeconds * 1000;
  return recs.filter((r) => r.at > cutoff);
}
