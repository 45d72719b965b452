import { EngineService } from '../swarm/engine.types';
import { isResourceMetric, Metric, TaskSample } from './decision';
import { AutoscalingDecisionView } from './autoscaling.models';

/**
 * What the autoscaler needs from other capabilities, as narrow ports. The module binds each to
 * the capability's own service (stats, the manual scale path, deployment records, events).
 */

/** What a policy measures: its metric, and for `prometheus` its PromQL query. */
export interface MetricSpec {
  metric: Metric;
  query?: string | null;
}

/**
 * cpu, memory: per running task, the metric in percent of the task's limit (or reservation);
 * null when missing. prometheus: one sample per series of the query's result. Throws when the
 * source cannot be read at all (stats unreachable, the query failed): a round without data.
 */
export interface MetricSource {
  taskMetrics(service: string, spec: MetricSpec): Promise<TaskSample[]>;
}
export const METRIC_SOURCE = Symbol('METRIC_SOURCE');

/** The same path as a manual scale: bounds, audit (actor `autoscaler`), read-your-writes. */
export interface ReplicaScaler {
  scale(service: string, replicas: number, reason: string): Promise<void>;
}
export const REPLICA_SCALER = Symbol('REPLICA_SCALER');

/** Whether a deployment of the service is running now (it pauses autoscaling). */
export interface DeploymentActivity {
  activeDeployment(service: string): Promise<string | null>;
}
export const DEPLOYMENT_ACTIVITY = Symbol('DEPLOYMENT_ACTIVITY');

/** Publishes a recorded decision (SSE, GraphQL subscription `autoscalingDecision`). */
export interface DecisionPublisher {
  publish(decision: AutoscalingDecisionView): Promise<void>;
}
export const DECISION_PUBLISHER = Symbol('DECISION_PUBLISHER');

/** What targetPercent is a percentage of, for this service's tasks; null when it has neither (or the metric is not a resource). */
export function resourceBasis(service: EngineService, metric: Metric): 'limit' | 'reservation' | null {
  if (!isResourceMetric(metric)) return null;
  const r = service.Spec.TaskTemplate?.Resources;
  const key = metric === 'cpu' ? 'NanoCPUs' : 'MemoryBytes';
  if (r?.Limits?.[key]) return 'limit';
  if (r?.Reservations?.[key]) return 'reservation';
  return null;
}
