/**
 * Alert-driven scaling, as pure functions: which rule an alert matches, and what a matching
 * rule does to a service's replica count within its bounds.
 */

export const ALERT_ACTIONS = ['scale-up', 'scale-down'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];
export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

export interface AlertMatcher {
  name: string;
  value: string;
  op: MatcherOp;
}

export interface AlertRule {
  name: string;
  alertname: string;
  matchers: AlertMatcher[];
  action: AlertAction;
  step: number;
  cooldownSeconds: number;
  minReplicas: number | null;
  maxReplicas: number | null;
  enabled: boolean;
}

export interface StoredRuleSet {
  service: string;
  rules: AlertRule[];
  updatedAt: string;
  updatedBy: string;
}

export const RULE_DEFAULTS = { step: 1, cooldownSeconds: 300, enabled: true } as const;

/** Alertmanager's regex semantics: anchored at both ends. Throws on a bad pattern. */
export function matcherRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** A missing label matches as the empty string, as in Alertmanager and PromQL. */
export function matcherMatches(m: AlertMatcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return matcherRegex(m.value).test(v);
    case '!~':
      return !matcherRegex(m.value).test(v);
  }
}

export function ruleMatches(rule: AlertRule, labels: Record<string, string>): boolean {
  return rule.enabled && labels.alertname === rule.alertname && rule.matchers.every((m) => matcherMatches(m, labels));
}

/** Every (service, rule) whose rule matches the alert's labels. */
export function matchingRules(sets: StoredRuleSet[], labels: Record<string, string>): Array<{ service: string; rule: AlertRule }> {
  return sets.flatMap((s) => s.rules.filter((r) => ruleMatches(r, labels)).map((rule) => ({ service: s.service, rule })));
}

export interface ReplicaRange {
  min: number;
  max: number;
  /** policy: the bounds other capabilities put on scaling (an enabled autoscaling policy); rule: the rule's own. */
  from: 'policy' | 'rule';
}

/** The bounds an action stays within: the policy's when there is one, else the rule's own; null when neither. */
export function actionBounds(policy: Array<{ min: number; max: number }>, rule: Pick<AlertRule, 'minReplicas' | 'maxReplicas'>): ReplicaRange | null {
  if (policy.length) {
    return { min: Math.max(...policy.map((b) => b.min)), max: Math.min(...policy.map((b) => b.max)), from: 'policy' };
  }
  if (rule.minReplicas !== null && rule.maxReplicas !== null) return { min: rule.minReplicas, max: rule.maxReplicas, from: 'rule' };
  return null;
}

export interface PlannedAction {
  desired: number;
  code: 'alert' | 'at-max' | 'at-min';
  reason: string;
}

/**
 * What a firing alert's rule does: current ± step, brought within the bounds. A scale-up never
 * lowers the count and a scale-down never raises it (a count outside the bounds in the rule's
 * own direction is brought to the bound; in the other direction it is left alone).
 */
export function planAction(rule: Pick<AlertRule, 'action' | 'step'>, current: number, bounds: ReplicaRange): PlannedAction {
  const within = `${bounds.min}..${bounds.max} (${bounds.from === 'policy' ? "the autoscaling policy's bounds" : "the rule's own bounds"})`;
  if (rule.action === 'scale-up') {
    const desired = Math.min(bounds.max, Math.max(bounds.min, current + rule.step));
    if (desired <= current) return { desired: current, code: 'at-max', reason: `scale-up by ${rule.step}: ${current} is already at the top of ${within}` };
    return { desired, code: 'alert', reason: `scale-up by ${rule.step} within ${within}: ${current} -> ${desired}` };
  }
  const desired = Math.max(bounds.min, Math.min(bounds.max, current - rule.step));
  if (desired >= current) return { desired: current, code: 'at-min', reason: `scale-down by ${rule.step}: ${current} is already at the bottom of ${within}` };
  return { desired, code: 'alert', reason: `scale-down by ${rule.step} within ${within}: ${current} -> ${desired}` };
}
