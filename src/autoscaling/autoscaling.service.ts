import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError, FieldError } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { Operation } from '../mutations/operation-context';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { EngineService } from '../swarm/engine.types';
import { stableName } from '../swarm/labels';
import { AutoscalingDecisionView, AutoscalingPolicyInput, AutoscalingPolicyView, DecisionsQuery } from './autoscaling.models';
import { resourceBasis } from './autoscaling.ports';
import { DecisionStore } from './decision.store';
import { PolicyStore, StoredPolicy } from './policy.store';
import { isResourceMetric } from './decision';
import { PrometheusMetricSource } from './prometheus-metric-source';

export const POLICY_DEFAULTS = {
  enabled: true,
  tolerance: 0.1,
  scaleUpCooldownSeconds: 60,
  scaleDownStabilizationSeconds: 300,
  maxStepUp: null,
  maxStepDown: null,
  dryRun: false,
} as const;

export interface ReplicaBounds {
  min: number;
  max: number;
  reason: string;
}

/** Autoscaling policies and the decision log, shared by REST, GraphQL and chatops. */
@Injectable()
export class AutoscalingService {
  constructor(
    private readonly policies: PolicyStore,
    private readonly decisions: DecisionStore,
    private readonly state: ClusterStateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prometheus: PrometheusMetricSource,
  ) {}

  async get(service: string, caller: Caller): Promise<AutoscalingPolicyView> {
    const svc = await this.state.serviceRecord(service, caller);
    const p = await this.policies.get(stableName(svc));
    if (!p) throw new AppError('POLICY_NOT_FOUND', `service "${service}" has no autoscaling policy`);
    return view(p, svc);
  }

  /** The policy of a service, or null; for `status` lines. */
  async find(service: string, caller: Caller): Promise<AutoscalingPolicyView | null> {
    const svc = await this.state.serviceRecord(service, caller);
    const p = await this.policies.get(stableName(svc));
    return p ? view(p, svc) : null;
  }

  async set(service: string, input: AutoscalingPolicyInput, caller: Caller): Promise<AutoscalingPolicyView> {
    if (input.minReplicas > input.maxReplicas) {
      throw AppError.validation('minReplicas', `must be at most maxReplicas (${input.maxReplicas}), got ${input.minReplicas}`);
    }
    if (input.maxReplicas > this.config.maxReplicas) {
      throw AppError.validation('maxReplicas', `must be at most MAX_REPLICAS (${this.config.maxReplicas}), got ${input.maxReplicas}`);
    }
    metricFieldsCheck(input);
    const svc = await this.state.serviceRecord(service, caller);
    const name = stableName(svc);
    if (!svc.Spec.Mode?.Replicated) {
      throw new AppError('INVALID_STATE', `service "${name}" runs in global mode: only replicated services can be autoscaled`);
    }
    if (input.metric === 'prometheus') await this.checkPrometheus(input.query!);
    else if (!resourceBasis(svc, input.metric)) {
      const what = input.metric === 'cpu' ? 'CPU' : 'memory';
      const msg =
        `service "${name}" has no ${what} limit or reservation, and targetPercent is a percentage of one: ` +
        `set resources first (PUT /v1/services/${name}/resources)`;
      throw new AppError('RESOURCES_REQUIRED', msg, [{ path: 'metric', message: msg }]);
    }
    const before = await this.policies.get(name);
    const policy: StoredPolicy = {
      service: name,
      enabled: input.enabled ?? POLICY_DEFAULTS.enabled,
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      metric: input.metric,
      targetPercent: input.targetPercent ?? null,
      query: input.query ?? null,
      target: input.target ?? null,
      tolerance: input.tolerance ?? POLICY_DEFAULTS.tolerance,
      scaleUpCooldownSeconds: input.scaleUpCooldownSeconds ?? POLICY_DEFAULTS.scaleUpCooldownSeconds,
      scaleDownStabilizationSeconds: input.scaleDownStabilizationSeconds ?? POLICY_DEFAULTS.scaleDownStabilizationSeconds,
      maxStepUp: input.maxStepUp ?? POLICY_DEFAULTS.maxStepUp,
      maxStepDown: input.maxStepDown ?? POLICY_DEFAULTS.maxStepDown,
      dryRun: input.dryRun ?? POLICY_DEFAULTS.dryRun,
      updatedAt: new Date().toISOString(),
      updatedBy: caller.name,
    };
    await this.policies.put(policy);
    Operation.note({ action: 'autoscaling.set', target: name, before: before ?? null, after: policy });
    return view(policy, svc);
  }

  /** A prometheus policy needs PROMETHEUS_URL, and a query Prometheus accepts as an instant one. */
  private async checkPrometheus(query: string): Promise<void> {
    if (!this.prometheus.configured) {
      const msg = 'the prometheus metric needs PROMETHEUS_URL to be configured on the server';
      throw new AppError('PROMETHEUS_NOT_CONFIGURED', msg, [{ path: 'metric', message: msg }]);
    }
    const problem = await this.prometheus.queryProblem(query);
    if (problem) throw AppError.validation('query', `Prometheus refused the query: ${problem}`);
  }

  async remove(service: string, caller: Caller): Promise<void> {
    const svc = await this.state.serviceRecord(service, caller);
    const name = stableName(svc);
    const before = await this.policies.get(name);
    if (!before || !(await this.policies.remove(name))) {
      throw new AppError('POLICY_NOT_FOUND', `service "${service}" has no autoscaling policy`);
    }
    await this.decisions.forget(name);
    Operation.note({ action: 'autoscaling.remove', target: name, before, after: null });
  }

  async listDecisions(q: DecisionsQuery, caller: Caller): Promise<AutoscalingDecisionView[]> {
    const limit = q.limit ?? 50;
    if (q.service) {
      // Decisions outlive their service; a scoped caller sees only services it can see now.
      if (caller.scope) await this.state.serviceRecord(q.service, caller);
      return this.decisions.list({ service: q.service, limit });
    }
    if (!caller.scope) return this.decisions.list({ limit });
    const snap = await this.state.snapshot();
    return this.decisions.list({
      limit,
      filter: (d) => {
        const s = snap.findService(d.service);
        return !!s && inScope(caller, s.Spec.Labels);
      },
    });
  }

  /**
   * The replica bounds an enabled policy puts on manual scaling of `service` (registered with
   * the services scaling path), or null. A dry-run policy only observes, so it bounds nothing.
   */
  async bounds(service: string): Promise<ReplicaBounds | null> {
    const p = await this.policies.get(service);
    if (!p?.enabled || p.dryRun) return null;
    return {
      min: p.minReplicas,
      max: p.maxReplicas,
      reason: `the autoscaling policy of service "${service}" (change or disable the policy first)`,
    };
  }
}

function view(p: StoredPolicy, svc: EngineService): AutoscalingPolicyView {
  return { ...p, targetPercent: p.targetPercent ?? null, query: p.query ?? null, target: p.target ?? null, basis: resourceBasis(svc, p.metric) };
}

/** Each metric kind takes its own target fields and refuses the other kind's. */
export function metricFieldsCheck(input: AutoscalingPolicyInput): void {
  const errors: FieldError[] = [];
  const refuse = (path: string, message: string) => errors.push({ path, message });
  if (isResourceMetric(input.metric)) {
    if (input.query !== undefined) refuse('query', `only for metric prometheus, not ${input.metric}`);
    if (input.target !== undefined) refuse('target', `only for metric prometheus (${input.metric} takes targetPercent)`);
  } else if (input.targetPercent !== undefined) {
    refuse('targetPercent', 'only for metric cpu or memory (prometheus takes target, a value per replica)');
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}
