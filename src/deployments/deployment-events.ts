import { Injectable } from '@nestjs/common';
import { counter, gauge, histogram } from '../monitoring/metrics';
import { DeploymentRecord, isTerminal, StepRecord } from './deployment.types';

const outcomes = counter('swarm_cp_deployments_total', 'Finished deployments by strategy and outcome', ['strategy', 'outcome']);
const durations = histogram(
  'swarm_cp_deployment_duration_seconds',
  'Time from start to finish of deployments',
  ['strategy', 'outcome'],
  [1, 5, 10, 30, 60, 120, 300, 600, 1800],
);
const depth = gauge('swarm_cp_deployment_queue_depth', 'Deployment jobs waiting, delayed or running');

/** The payload of a `deploymentProgress` event. */
export interface DeploymentProgressEvent {
  id: string;
  service: string;
  strategy: string;
  status: string;
  image: string;
  progress: { updated: number; total: number };
  step: StepRecord | null;
  error: string | null;
  at: string;
}

/**
 * The ONE place deployment progress leaves the deployment record: every recorded step, progress
 * change and status change comes through progress().
 */
@Injectable()
export class DeploymentEvents {
  progress(d: DeploymentRecord, step: StepRecord | null = null): void {
    const payload: DeploymentProgressEvent = {
      id: d.id,
      service: d.service,
      strategy: d.strategy,
      status: d.status,
      image: d.image,
      progress: { ...d.progress },
      step,
      error: d.error,
      at: new Date().toISOString(),
    };
    // >>> EVENT BUS: plug in here, e.g. `void this.bus.publish('deployment', payload, { service: d.service });`
    void payload;
    // <<<
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
