import { Injectable } from '@nestjs/common';
import { TaskSample } from './decision';
import { MetricSource, MetricSpec } from './autoscaling.ports';
import { PrometheusMetricSource } from './prometheus-metric-source';
import { StatsMetricSource } from './stats-metric-source';

/** The autoscaler's metric source: task stats for cpu and memory, Prometheus for `prometheus`. */
@Injectable()
export class PolicyMetricSource implements MetricSource {
  constructor(
    private readonly stats: StatsMetricSource,
    private readonly prometheus: PrometheusMetricSource,
  ) {}

  taskMetrics(service: string, spec: MetricSpec): Promise<TaskSample[]> {
    return spec.metric === 'prometheus' ? this.prometheus.taskMetrics(service, spec) : this.stats.taskMetrics(service, spec);
  }
}
