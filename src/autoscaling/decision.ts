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
 */

export const METRICS = ['cpu', 'memory'] as const;
export type Metric = (typeof METRICS)[number];

export interface PolicySpec {
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  metric: Metric;
  /** Percent of the task's limit (or reservation when it has no limit), in (0, 100]. */
  targetPercent: number;
  tolerance: number;
  scaleUpCooldownSeconds: number;
  scaleDownStabilizationSeconds: number;
  /** null: no limit on the step. */
  maxStepUp: number | null;
  maxStepDown: number | null;
  dryRun: boolean;
}

/** One running task's metric, in percent of its limit or reservation; null when it has no data. */
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
  targetPercent: number;
  tolerance: number;
  minReplicas: number;
  maxReplicas: number;
  runningTasks: number;
  tasksWithData: number;
  /** Average metric over the tasks with data, percent; null without data. */
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

export function decide(input: DecisionInput): Decision {
  const { policy: p, current, samples, history, now } = input;
  const withData = samples.filter((s): s is { taskId: string; value: number } => s.value !== null && Number.isFinite(s.value));
  const average = withData.length ? withData.reduce((a, s) => a + s.value, 0) / withData.length : null;
  const ratio = average === null ? null : average / p.targetPercent;
  const inputs: DecisionInputs = {
    metric: p.metric,
    targetPercent: p.targetPercent,
    tolerance: p.tolerance,
    minReplicas: p.minReplicas,
    maxReplicas: p.maxReplicas,
    runningTasks: samples.length,
    tasksWithData: withData.length,
    average: average === null ? null : Math.round(average * 100) / 100,
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
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
    return out(current, 'no-metrics', `no ${p.metric} metrics from any of ${samples.length} running tasks: holding at ${current}`, current);
  }

  const observed = `${p.metric} ${fmt(average)}% vs target ${fmt(p.targetPercent)}% (ratio ${ratio.toFixed(2)}) over ${withData.length} of ${samples.length} running tasks`;
  const missing = Math.max(0, current - withData.length);

  // 3-4: the recommendation from the metric.
  let raw: number;
  let code: DecisionCode = 'metric';
  let why: string;
  if (Math.abs(ratio - 1) <= p.tolerance + EPSILON) {
    raw = current;
    code = 'within-tolerance';
    why = `within tolerance ${p.tolerance}`;
  } else {
    raw = Math.max(1, Math.ceil((current * average) / p.targetPercent - EPSILON));
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
