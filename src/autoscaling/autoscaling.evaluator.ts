import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { decide, DecisionHistory, isResourceMetric, pruneRecommendations } from './decision';
import { AutoscalingDecisionView } from './autoscaling.models';
import {
  DEPLOYMENT_ACTIVITY,
  DeploymentActivity,
  METRIC_SOURCE,
  MetricSource,
  REPLICA_SCALER,
  ReplicaScaler,
  resourceBasis,
} from './autoscaling.ports';
import { DecisionStore } from './decision.store';
import { AutoscalingDecisionLog } from './decision-log';
import { histogram } from '../common/metrics';
import { PolicyStore, StoredPolicy } from './policy.store';
import { RoundRecord, RoundStore } from './round.store';

const PARALLEL_POLICIES = 4;

const roundSeconds = histogram('swarm_cp_autoscaling_round_seconds', 'duration of autoscaling rounds', [], [0.1, 0.5, 1, 2, 5, 10, 30]);

/**
 * One autoscaling round: for each enabled policy, read the metric, decide, scale through the
 * manual scale path, record and publish the decision. Rounds are serialized across processes by
 * the job scheduler (one job per interval) and, as a belt, by a Redis lock: a round that finds
 * another still running is skipped.
 */
@Injectable()
export class AutoscalingEvaluator {
  private readonly log = new Logger('Autoscaler');
  readonly worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly policies: PolicyStore,
    private readonly decisions: DecisionStore,
    private readonly state: ClusterStateService,
    private readonly rounds: RoundStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRIC_SOURCE) private readonly metrics: MetricSource,
    @Inject(REPLICA_SCALER) private readonly scaler: ReplicaScaler,
    @Inject(DEPLOYMENT_ACTIVITY) private readonly deployments: DeploymentActivity,
    private readonly decisionLog: AutoscalingDecisionLog,
  ) {}

  private get lockTtlMs(): number {
    return Math.max(30_000, this.config.autoscaleIntervalSeconds * 4000);
  }

  /** Runs a round unless another process is running one; null when skipped. */
  async runRound(): Promise<RoundRecord | null> {
    const token = randomUUID();
    const ttl = this.lockTtlMs;
    // Replicated before the round acts, so a failover cannot hand the lock to a second round.
    if (!(await this.rounds.lock(token, ttl))) {
      this.log.debug('round skipped: another round is running');
      return null;
    }
    const renew = setInterval(() => {
      this.rounds.renewLock(token, ttl).catch(() => undefined);
    }, ttl / 3);
    renew.unref();
    const round: RoundRecord = { worker: this.worker, startedAt: Date.now(), endedAt: 0, policies: 0, decisions: 0 };
    try {
      await this.state.refresh();
      const enabled = (await this.policies.list()).filter((p) => p.enabled);
      round.policies = enabled.length;
      const queue = [...enabled];
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL_POLICIES, queue.length) }, async () => {
          for (let p = queue.shift(); p; p = queue.shift()) {
            try {
              await this.evaluate(p);
              round.decisions++;
            } catch (e) {
              this.log.warn(`${p.service}: evaluation failed: ${(e as Error).message}`);
            }
          }
        }),
      );
      return round;
    } finally {
      clearInterval(renew);
      round.endedAt = Date.now();
      roundSeconds.observe((round.endedAt - round.startedAt) / 1000);
      // Recorded before the lock is released, so recorded rounds never appear to overlap falsely.
      await this.rounds.record(round).catch(() => undefined);
      // Released even through a failover: a lock left behind would skip rounds until it expires.
      await this.rounds.unlock(token).catch(() => undefined);
    }
  }

  /** Decides for one policy, acts unless dry run, records and publishes the decision. */
  async evaluate(p: StoredPolicy): Promise<AutoscalingDecisionView> {
    const now = Date.now();
    const base = { id: randomUUID(), service: p.service, at: new Date(now).toISOString(), dryRun: p.dryRun, applied: false };
    const bounds = {
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      metric: p.metric,
      targetPercent: p.targetPercent,
      ...(isResourceMetric(p.metric) ? {} : { query: p.query, target: p.target }),
    };
    const skip = async (code: string, reason: string, current: number | null = null) => {
      // Paused or blind: recommend staying, so the scale-down window counts only time with data.
      if (current !== null && current > 0) await this.remember(p, now, current, false);
      return this.finish({ ...base, current, desired: current, action: 'skip', code, reason, inputs: bounds });
    };

    const svc = (await this.state.snapshot()).findService(p.service);
    if (!svc) return skip('service-not-found', `service "${p.service}" does not exist`);
    const replicated = svc.Spec.Mode?.Replicated;
    if (!replicated) return skip('not-replicated', `service "${p.service}" runs in global mode`);
    const current = replicated.Replicas ?? 0;
    const deployment = await this.deployments.activeDeployment(p.service);
    if (deployment) return skip('deployment-running', `deployment ${deployment} is running: autoscaling is paused until it ends`, current);
    if (isResourceMetric(p.metric) && !resourceBasis(svc, p.metric)) {
      return skip('no-resource-basis', `service "${p.service}" has no ${p.metric} limit or reservation to take targetPercent of`, current);
    }
    let samples;
    try {
      samples = await this.metrics.taskMetrics(p.service, p);
    } catch (e) {
      if (!isResourceMetric(p.metric)) return skip('query-failed', `no data: the query failed: ${(e as Error).message}; holding at ${current}`, current);
      return skip('stats-unavailable', `stats unavailable: ${(e as Error).message}`, current);
    }

    const history = await this.decisions.history(p.service);
    const d = decide({ now, policy: p, current, samples, history });
    let { code, reason } = d;
    let applied = false;
    if (d.action !== 'none') {
      if (p.dryRun) {
        reason = `dry run, not applied: ${reason}`;
      } else {
        try {
          await this.scaler.scale(p.service, d.desired, reason);
          applied = true;
        } catch (e) {
          code = 'scale-failed' as typeof code;
          reason = `${reason}; scaling failed: ${(e as Error).message}`;
        }
      }
    }
    await this.remember(p, now, d.recommendation, applied && d.action === 'scale-up', history);
    return this.finish({
      ...base,
      current,
      desired: d.desired,
      action: d.action,
      code,
      reason,
      applied,
      inputs: { ...d.inputs, recommendation: d.recommendation } as unknown as Record<string, unknown>,
    });
  }

  /** Adds a recommendation to the service's history (and the time of an applied scale-up). */
  private async remember(p: StoredPolicy, now: number, recommendation: number | null, scaledUp: boolean, known?: DecisionHistory): Promise<void> {
    const history = known ?? (await this.decisions.history(p.service));
    const recs = recommendation === null ? history.recommendations : [...history.recommendations, { at: now, replicas: recommendation }];
    await this.decisions.saveHistory(p.service, {
      lastScaleUpAt: scaledUp ? now : history.lastScaleUpAt,
      recommendations: pruneRecommendations(recs, now, p.scaleDownStabilizationSeconds),
    });
  }

  private async finish(d: AutoscalingDecisionView): Promise<AutoscalingDecisionView> {
    await this.decisionLog.record(d);
    if (d.applied) this.log.log(`${d.service}: ${d.current} -> ${d.desired} (${d.code})`);
    return d;
  }
}
