import { Inject, Injectable, Logger } from '@nestjs/common';
import { counter } from '../common/metrics';
import { AutoscalingDecisionView } from './autoscaling.models';
import { DECISION_PUBLISHER, DecisionPublisher } from './autoscaling.ports';
import { DecisionStore } from './decision.store';

const decisionsTotal = counter('swarm_cp_autoscaling_decisions_total', 'autoscaling decisions recorded', ['code', 'applied', 'service']);

/**
 * Records a scaling decision - the evaluator's rounds and alert-driven scaling alike: in the
 * decision lists (GET /v1/autoscaling/decisions), the decisions counter, and as an `autoscaling`
 * event.
 */
@Injectable()
export class AutoscalingDecisionLog {
  private readonly log = new Logger('Autoscaler');

  constructor(
    private readonly decisions: DecisionStore,
    @Inject(DECISION_PUBLISHER) private readonly publisher: DecisionPublisher,
  ) {}

  async record(d: AutoscalingDecisionView): Promise<void> {
    await this.decisions.record(d);
    decisionsTotal.inc({ code: d.code, applied: String(d.applied), service: d.service });
    await this.publisher.publish(d).catch((e) => this.log.warn(`publishing a decision failed: ${(e as Error).message}`));
  }
}
