import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionBounds, AlertRule, matchingRules, planAction, ruleMatches } from './alert-rules';
import { ruleProblems } from './alert-rules.service';

const RULE: AlertRule = {
  name: 'down',
  alertname: 'SwarmServiceDown',
  matchers: [{ name: 'service', value: 'web', op: '=' }],
  action: 'scale-up',
  step: 2,
  cooldownSeconds: 300,
  minReplicas: 1,
  maxReplicas: 5,
  enabled: true,
};
const LABELS = { alertname: 'SwarmServiceDown', service: 'web', severity: 'page' };

describe('ruleMatches: alertname and Alertmanager-style matchers', () => {
  it('needs the alertname and every matcher', () => {
    assert.equal(ruleMatches(RULE, LABELS), true);
    assert.equal(ruleMatches(RULE, { ...LABELS, alertname: 'Other' }), false);
    assert.equal(ruleMatches(RULE, { ...LABELS, service: 'api' }), false);
    assert.equal(ruleMatches({ ...RULE, matchers: [] }, { alertname: 'SwarmServiceDown' }), true);
    assert.equal(ruleMatches({ ...RULE, enabled: false }, LABELS), false);
  });

  it('regexes are anchored; a missing label is ""', () => {
    const m = (op: '=~' | '!~' | '!=' | '=', value: string, name = 'service') => ruleMatches({ ...RULE, matchers: [{ name, value, op }] }, LABELS);
    assert.equal(m('=~', 'we'), false);
    assert.equal(m('=~', 'web|api'), true);
    assert.equal(m('!~', 'api.*'), true);
    assert.equal(m('!=', 'web'), false);
    assert.equal(m('=', '', 'team'), true);
    assert.equal(m('=~', '.+', 'team'), false);
  });

  it('every service whose rules match', () => {
    const sets = [
      { service: 'web', rules: [RULE, { ...RULE, name: 'other', alertname: 'X' }], updatedAt: '', updatedBy: '' },
      { service: 'api', rules: [{ ...RULE, matchers: [{ name: 'service', value: 'web|api', op: '=~' as const }] }], updatedAt: '', updatedBy: '' },
    ];
    assert.deepEqual(matchingRules(sets, LABELS).map((h) => `${h.service}/${h.rule.name}`), ['web/down', 'api/down']);
  });
});

describe('planAction: a step within bounds', () => {
  const rule = { min: 1, max: 5, from: 'rule' as const };
  const rows: Array<[string, AlertRule['action'], number, number, number, string]> = [
    ['up by the step', 'scale-up', 2, 1, 3, 'alert'],
    ['up from 0 (scaled to 0 behind its back)', 'scale-up', 2, 0, 2, 'alert'],
    ['up, clamped to max', 'scale-up', 2, 4, 5, 'alert'],
    ['up at max holds', 'scale-up', 2, 5, 5, 'at-max'],
    ['up never lowers a count above max', 'scale-up', 2, 7, 7, 'at-max'],
    ['up from below min goes at least to min', 'scale-up', 1, 0, 1, 'alert'],
    ['down by the step', 'scale-down', 2, 5, 3, 'alert'],
    ['down, clamped to min', 'scale-down', 2, 2, 1, 'alert'],
    ['down at min holds', 'scale-down', 2, 1, 1, 'at-min'],
    ['down never raises a count below min', 'scale-down', 1, 0, 0, 'at-min'],
    ['down from above max goes at least to max', 'scale-down', 1, 9, 5, 'alert'],
  ];
  for (const [name, action, step, current, desired, code] of rows) {
    it(name, () => {
      const p = planAction({ action, step }, current, rule);
      assert.equal(p.desired, desired, p.reason);
      assert.equal(p.code, code, p.reason);
    });
  }

  it("the policy's bounds win over the rule's; none at all is null", () => {
    assert.deepEqual(actionBounds([{ min: 2, max: 8 }], RULE), { min: 2, max: 8, from: 'policy' });
    assert.deepEqual(actionBounds([{ min: 2, max: 8 }, { min: 3, max: 9 }], RULE), { min: 3, max: 8, from: 'policy' });
    assert.deepEqual(actionBounds([], RULE), { min: 1, max: 5, from: 'rule' });
    assert.equal(actionBounds([], { minReplicas: null, maxReplicas: null }), null);
  });
});

describe('ruleProblems', () => {
  it('unique names, regexes that compile, bounds in order, within MAX_REPLICAS, given when no policy', () => {
    const p = (rules: AlertRule[], hasPolicy = false) => ruleProblems(rules, 10, hasPolicy).map((e) => e.path);
    assert.deepEqual(p([RULE]), []);
    assert.deepEqual(p([RULE, RULE]), ['rules.1.name']);
    assert.deepEqual(p([{ ...RULE, matchers: [RULE.matchers[0], { name: 'x', value: '(', op: '=~' }] }]), ['rules.0.matchers.1.value']);
    assert.deepEqual(p([{ ...RULE, minReplicas: 6 }]), ['rules.0.minReplicas']);
    assert.deepEqual(p([{ ...RULE, maxReplicas: 11 }]), ['rules.0.maxReplicas']);
    assert.deepEqual(p([{ ...RULE, minReplicas: null }]), ['rules.0.minReplicas']);
    assert.deepEqual(p([{ ...RULE, minReplicas: null, maxReplicas: null }]), ['rules.0.maxReplicas']);
    assert.deepEqual(p([{ ...RULE, minReplicas: null, maxReplicas: null }], true), []);
  });
});
