import { Injectable } from '@nestjs/common';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { EventBus } from '../events/event-bus';
import { DeploymentProgressEvent } from '../events/event.types';
import { counter, gauge, histogram } from '../common/metrics';
import { DeploymentRecord, isTerminal, StepRecord } from './deployment.types';

const outcomes = counter('swarm_cp_deployments_total', 'Finished deployments by strategy and outcome', ['strategy', 'outcome']);
const durations = histogram(
  'swarm_cp_deployment_duration_seconds',
  'Time from start to finish of deployments',
  ['strategy', 'outcome'],
  [1, 5, 10, 30, 60, 120, 300, 600, 1800],
);
const depth = gauge('swarm_cp_deployment_queue_depth', 'Deployment jobs waiting, delayed or running');

/**
 * The ONE place deployment progress leaves the deployment record: every recorded step, progress
 * change and status change comes through progress().
 */
@Injectable()
export class DeploymentEvents {
  constructor(
    private readonly bus: EventBus,
    private readonly state: ClusterStateService,
  ) {}

  progress(d: DeploymentRecord, step: StepRecord | null = null): void {
    const payload: DeploymentProgressEvent = {
      id: d.id,
      service: d.service,
      strategy: d.strategy,
      status: d.status,
      step: step?.name ?? null,
      message: step?.message ?? null,
      error: d.error,
      progress: { ...d.progress },
      at: new Date().toISOString(),
    };
    // The bus never throws: with Redis down the event is lost, the deployment goes on.
    void this.bus.publish('deployment', payload, { service: d.service, labels: this.state.labelsOf(d.service) });
    if (isTerminal(d.status) && step?.name === d.status) {
      outcomes.inc({ strategy: d.strategy, outcome: d.status });
      if (d.startedAt && d.finishedAt) {
        durations.observe({ strategy: d.strategy, outcome: d.status }, (Date.parse(d.finishedAt) - Date.parse(d.startedAt)) / 1000);
      }
    }
  }

  queueDepth(n: number): void {
    depth.set(n);
  }
}
