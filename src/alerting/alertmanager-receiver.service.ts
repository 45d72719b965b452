import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OperationAudit } from '../mutations/operation-audit';
import { AutoscalingDecisionLog } from '../autoscaling/decision-log';
import { AutoscalingDecisionView } from '../autoscaling/autoscaling.models';
import { Caller, inScope } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { toAppError } from '../common/error.filter';
import { KeyedMutex } from '../common/keyed-mutex';
import { Operation, OperationRecord } from '../mutations/operation-context';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { counter } from '../common/metrics';
import { ScaleBoundsRegistry } from '../services/scale-bounds.registry';
import { ScalingService } from '../services/scaling.service';
import { stableName } from '../swarm/labels';
import { AlertmanagerAlert, AlertmanagerNotification, parseAlertmanagerNotification } from './alertmanager-payload';
import { actionBounds, AlertRule, matchingRules, planAction } from './alert-rules';
import { AlertOutcomeView, AlertReceiptView } from './alert-rules.models';
import { AlertRuleStore } from './alert-rule.store';

const alertsTotal = counter(
  'swarm_cp_alertmanager_alerts_total',
  'Alerts received from Alertmanager, by alert status and what the receiver did (per matching rule)',
  ['status', 'outcome'],
);

type Outcome = AlertOutcomeView['outcome'];

/**
 * POST /v1/alerts/alertmanager: each firing alert of a notification is matched against every
 * service's alert rules; a matching rule scales its service by its step within bounds, at most
 * once per alert (group key, fingerprint, startsAt: Alertmanager's re-sends carry the same) and
 * once per cooldown. Resolved alerts never scale. Every action is audited (one entry per action,
 * as the posting token) and recorded as an autoscaling decision.
 */
@Injectable()
export class AlertmanagerReceiver {
  private readonly log = new Logger('Alerts');
  private readonly perService = new KeyedMutex();

  constructor(
    private readonly store: AlertRuleStore,
    private readonly state: ClusterStateService,
    private readonly bounds: ScaleBoundsRegistry,
    private readonly scaling: ScalingService,
    private readonly audit: OperationAudit,
    private readonly decisions: AutoscalingDecisionLog,
  ) {}

  async receive(body: unknown, caller: Caller, requestId?: string): Promise<AlertReceiptView> {
    // Not audited as one request: each action it causes is audited on its own below.
    Operation.note({ readOnly: true });
    const n = parseAlertmanagerNotification(body);
    const sets = await this.store.list();
    const results: AlertOutcomeView[] = [];
    let retry: AppError | null = null;
    for (const alert of n.alerts) {
      const base = { alertname: alert.labels.alertname ?? null, fingerprint: alert.fingerprint, status: alert.status };
      const done = (r: Partial<AlertOutcomeView> & { outcome: Outcome }) => {
        alertsTotal.inc({ status: alert.status, outcome: r.outcome });
        results.push({ ...base, service: null, rule: null, code: null, decisionId: null, message: null, ...r });
      };
      if (alert.status === 'resolved') {
        done({ outcome: 'resolved', message: 'resolved alerts never scale' });
        continue;
      }
      const hits = matchingRules(sets, alert.labels);
      if (!hits.length) {
        done({ outcome: 'unmatched' });
        continue;
      }
      for (const { service, rule } of hits) {
        try {
          done(await this.perService.run(service, () => this.act(n, alert, service, rule, caller, requestId)));
        } catch (e) {
          // Redis or the engine unreachable: nothing acted for this alert. Answer 5xx at the end
          // so Alertmanager sends the notification again; what did act is not repeated then.
          const err = toAppError(e);
          done({ service, rule: rule.name, outcome: 'failed', code: err.code, message: err.message });
          if (err.status >= 500) retry ??= err;
        }
      }
    }
    if (retry) throw retry;
    return { received: n.alerts.length, results };
  }

  private async act(
    n: AlertmanagerNotification,
    alert: AlertmanagerAlert,
    service: string,
    rule: AlertRule,
    caller: Caller,
    requestId?: string,
  ): Promise<Partial<AlertOutcomeView> & { outcome: Outcome }> {
    // A scoped token acts only on services in its scope; the others are as if absent.
    const seen = (await this.state.snapshot()).findService(service);
    if (seen && !inScope(caller, seen.Spec.Labels)) return { outcome: 'unmatched' };
    const out = { service, rule: rule.name };
    const id = AlertRuleStore.alertId(service, rule.name, n.groupKey, alert.fingerprint, alert.startsAt);
    if (!(await this.store.claimAlert(id))) {
      return { ...out, outcome: 'duplicate', message: 'this alert (group, fingerprint, startsAt) already acted' };
    }
    try {
      return await this.decide(n, alert, service, rule, caller, id, requestId);
    } catch (e) {
      // Nothing acted (the engine or Redis failed before the scale): a re-send may act.
      await this.store.releaseAlert(id).catch(() => undefined);
      throw e;
    }
  }

  /** For a claimed alert: decide, act, record. Releases the claim itself whenever it does not act. */
  private async decide(
    n: AlertmanagerNotification,
    alert: AlertmanagerAlert,
    service: string,
    rule: AlertRule,
    caller: Caller,
    id: string,
    requestId?: string,
  ): Promise<Partial<AlertOutcomeView> & { outcome: Outcome }> {
    const out = { service, rule: rule.name };
    // Steps are relative: take them from the engine's count now, not from a read up to an interval old.
    const svc = (await this.state.refresh()).findService(service);
    const now = Date.now();
    const inputs: Record<string, unknown> = {
      source: 'alertmanager',
      rule: rule.name,
      alertname: alert.labels.alertname ?? null,
      labels: alert.labels,
      fingerprint: alert.fingerprint,
      groupKey: n.groupKey,
      startsAt: alert.startsAt,
      receiver: n.receiver,
      action: rule.action,
      step: rule.step,
      cooldownSeconds: rule.cooldownSeconds,
      postedBy: caller.name,
    };
    const decision = (d: Pick<AutoscalingDecisionView, 'current' | 'desired' | 'action' | 'code' | 'reason' | 'applied'>): AutoscalingDecisionView => ({
      id: randomUUID(),
      service,
      at: new Date(now).toISOString(),
      dryRun: false,
      inputs,
      ...d,
    });
    const hold = async (d: AutoscalingDecisionView, releaseCooldown = false) => {
      // It did not act: a later re-send of the same alert may.
      await this.store.releaseAlert(id);
      if (releaseCooldown) await this.store.releaseCooldown(service, rule.name);
      await this.record(d);
      return { ...out, outcome: 'held' as const, code: d.code, decisionId: d.id, message: d.reason };
    };

    const what = `alert ${alert.labels.alertname ?? '?'} (rule ${rule.name})`;
    const held = (action: 'skip' | 'none', code: string, why: string, current: number | null) =>
      hold(decision({ current, desired: current, action, code, reason: `${what}: ${why}`, applied: false }));
    if (!svc) return held('skip', 'service-not-found', `service "${service}" does not exist`, null);
    const replicated = svc.Spec.Mode?.Replicated;
    if (!replicated) return held('skip', 'not-replicated', `service "${service}" runs in global mode`, null);
    const current = replicated.Replicas ?? 0;
    const range = actionBounds(await this.bounds.boundsFor(stableName(svc)), rule);
    if (!range) return held('skip', 'no-bounds', 'no bounds to scale within (no enabled autoscaling policy, and the rule has none of its own)', current);
    Object.assign(inputs, { minReplicas: range.min, maxReplicas: range.max, boundsFrom: range.from });
    const plan = planAction(rule, current, range);
    if (plan.code !== 'alert') return held('none', plan.code, plan.reason, current);
    const left = await this.store.claimCooldown(service, rule.name, rule.cooldownSeconds);
    if (left !== null) {
      return held('none', 'cooldown', `${plan.reason}, but the rule is in its cooldown (${Math.ceil(left / 1000)} s of ${rule.cooldownSeconds} s left)`, current);
    }

    const reason = `${what}: ${plan.reason}`;
    const action = plan.desired > current ? 'scale-up' : 'scale-down';
    try {
      await this.scale(service, plan.desired, caller, svc.Spec.Labels ?? {}, { ...inputs, reason }, requestId);
    } catch (e) {
      const err = toAppError(e);
      const why = `${reason}; scaling failed: ${err.message}`;
      const failed = decision({ current, desired: plan.desired, action, code: 'scale-failed', reason: why, applied: false });
      if (err.status >= 500) {
        await this.store.releaseAlert(id).catch(() => undefined);
        await this.store.releaseCooldown(service, rule.name).catch(() => undefined);
        await this.record(failed);
        throw err;
      }
      await hold(failed, true);
      return { ...out, outcome: 'failed', code: err.code, decisionId: failed.id, message: failed.reason };
    }
    const applied = decision({ current, desired: plan.desired, action, code: 'alert', reason, applied: true });
    await this.record(applied);
    this.log.log(`${service}: ${current} -> ${plan.desired} (${what})`);
    return { ...out, outcome: 'scaled', code: 'alert', decisionId: applied.id, message: reason };
  }

  /** The manual scale path (bounds, scope, read-your-writes), audited as the posting token. */
  private async scale(
    service: string,
    replicas: number,
    caller: Caller,
    labels: Record<string, string>,
    request: Record<string, unknown>,
    requestId?: string,
  ): Promise<void> {
    const op: OperationRecord = { caller, services: [{ name: service, labels }] };
    let outcome: { status: 'succeeded' | 'failed'; code?: string; message?: string } = { status: 'succeeded' };
    try {
      await Operation.run(op, () => this.scaling.scale(service, replicas, caller));
    } catch (e) {
      const err = toAppError(e);
      outcome = { status: 'failed', code: err.code, message: err.message };
      throw e;
    } finally {
      await this.audit.record(op, { caller, via: 'rest', action: 'service.scale', target: service, request: { ...request, replicas }, requestId }, outcome);
    }
  }

  private async record(d: AutoscalingDecisionView): Promise<void> {
    await this.decisions.record(d).catch((e) => this.log.warn(`${d.service}: decision not recorded: ${(e as Error).message}`));
  }
}
