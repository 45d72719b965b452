import { Injectable } from '@nestjs/common';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { EventBus } from '../events/event-bus';
import { AutoscalingDecisionView } from './autoscaling.models';
import { DecisionPublisher } from './autoscaling.ports';

/** Codes meaning the metric asked for a change that a rule held back. */
const HELD = new Set(['cooldown', 'stabilizing', 'missing-metrics', 'at-max', 'at-min', 'deployment-running', 'scale-failed']);

/** Each recorded decision as an `autoscaling` event (SSE /v1/events, subscription autoscalingDecision). */
@Injectable()
export class EventBusDecisionPublisher implements DecisionPublisher {
  constructor(
    private readonly bus: EventBus,
    private readonly state: ClusterStateService,
  ) {}

  async publish(d: AutoscalingDecisionView): Promise<void> {
    const from = d.current ?? 0;
    const inputs = d.inputs as { metric?: string; average?: number | null; targetPercent?: number | null; target?: number | null };
    await this.bus.publish(
      'autoscaling',
      {
        service: d.service,
        action: d.action === 'skip' ? 'none' : d.action,
        from,
        to: d.applied ? (d.desired ?? from) : from,
        reason: d.reason,
        metric: inputs.metric ?? null,
        value: inputs.average ?? null,
        target: inputs.targetPercent ?? inputs.target ?? null,
        held: !d.applied && (d.action === 'scale-up' || d.action === 'scale-down' || HELD.has(d.code)),
        decisionId: d.id,
        code: d.code,
        applied: d.applied,
        dryRun: d.dryRun,
        at: d.at,
      },
      { service: d.service, labels: this.state.labelsOf(d.service) },
    );
  }
}
