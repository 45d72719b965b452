import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError, FieldError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { Operation } from '../mutations/operation-context';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { ScaleBoundsRegistry } from '../services/scale-bounds.registry';
import { stableName } from '../swarm/labels';
import { AlertRule, matcherRegex, RULE_DEFAULTS, StoredRuleSet } from './alert-rules';
import { AlertRulesInput, AlertRuleSetView } from './alert-rules.models';
import { AlertRuleStore } from './alert-rule.store';

/** Per-service alert rules (which alert scales the service how), shared by REST and GraphQL. */
@Injectable()
export class AlertRulesService {
  constructor(
    private readonly store: AlertRuleStore,
    private readonly state: ClusterStateService,
    private readonly bounds: ScaleBoundsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(service: string, caller: Caller): Promise<AlertRuleSetView> {
    const set = await this.find(service, caller);
    if (!set) throw new AppError('NOT_FOUND', `service "${service}" has no alert rules`);
    return set;
  }

  /** The service's rules, or null. */
  async find(service: string, caller: Caller): Promise<AlertRuleSetView | null> {
    const svc = await this.state.serviceRecord(service, caller);
    return this.store.get(stableName(svc));
  }

  async set(service: string, input: AlertRulesInput, caller: Caller): Promise<AlertRuleSetView> {
    const rules = input.rules.map(
      (r): AlertRule => ({
        name: r.name,
        alertname: r.alertname,
        matchers: (r.matchers ?? []).map((m) => ({ name: m.name, value: m.value, op: m.op ?? '=' })),
        action: r.action,
        step: r.step ?? RULE_DEFAULTS.step,
        cooldownSeconds: r.cooldownSeconds ?? RULE_DEFAULTS.cooldownSeconds,
        minReplicas: r.minReplicas ?? null,
        maxReplicas: r.maxReplicas ?? null,
        enabled: r.enabled ?? RULE_DEFAULTS.enabled,
      }),
    );
    const svc = await this.state.serviceRecord(service, caller);
    const name = stableName(svc);
    if (!svc.Spec.Mode?.Replicated) {
      throw new AppError('INVALID_STATE', `service "${name}" runs in global mode: only replicated services can be scaled by alerts`);
    }
    const hasPolicy = (await this.bounds.boundsFor(name)).length > 0;
    const errors = ruleProblems(rules, this.config.maxReplicas, hasPolicy);
    if (errors.length) throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
    const before = await this.store.get(name);
    const set: StoredRuleSet = { service: name, rules, updatedAt: new Date().toISOString(), updatedBy: caller.name };
    await this.store.put(set);
    Operation.note({ action: 'alert-rules.set', target: name, before: before ?? null, after: set });
    return set;
  }

  async remove(service: string, caller: Caller): Promise<void> {
    const svc = await this.state.serviceRecord(service, caller);
    const name = stableName(svc);
    const before = await this.store.get(name);
    if (!before || !(await this.store.remove(name))) throw new AppError('NOT_FOUND', `service "${service}" has no alert rules`);
    Operation.note({ action: 'alert-rules.remove', target: name, before, after: null });
  }
}

/**
 * What the field validators cannot see: unique names, patterns that compile, bounds in order and
 * within MAX_REPLICAS, and bounds of its own for a rule of a service without an enabled policy.
 */
export function ruleProblems(rules: AlertRule[], maxReplicas: number, hasPolicy: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  rules.forEach((r, i) => {
    const at = `rules.${i}`;
    if (names.has(r.name)) errors.push({ path: `${at}.name`, message: `"${r.name}" names another rule of this service` });
    names.add(r.name);
    r.matchers.forEach((m, j) => {
      if (m.op !== '=~' && m.op !== '!~') return;
      try {
        matcherRegex(m.value);
      } catch (e) {
        errors.push({ path: `${at}.matchers.${j}.value`, message: `not a regular expression: ${(e as Error).message}` });
      }
    });
    const { minReplicas: min, maxReplicas: max } = r;
    if ((min === null) !== (max === null)) {
      errors.push({ path: `${at}.${min === null ? 'minReplicas' : 'maxReplicas'}`, message: 'give both minReplicas and maxReplicas, or neither' });
    } else if (min === null && !hasPolicy) {
      errors.push({
        path: `${at}.maxReplicas`,
        message: 'required (with minReplicas): the service has no enabled autoscaling policy whose bounds the rule could use',
      });
    } else if (min !== null && max !== null) {
      if (max > maxReplicas) errors.push({ path: `${at}.maxReplicas`, message: `must be at most MAX_REPLICAS (${maxReplicas}), got ${max}` });
      if (min > max) errors.push({ path: `${at}.minReplicas`, message: `must be at most maxReplicas (${max}), got ${min}` });
    }
  });
  return errors;
}
