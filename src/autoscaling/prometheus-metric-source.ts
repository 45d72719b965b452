import { Injectable } from '@nestjs/common';
import { PrometheusClient, PrometheusError, seriesName } from '../prometheus/prometheus.client';
import { TaskSample } from './decision';
import { MetricSource, MetricSpec } from './autoscaling.ports';

/**
 * The `prometheus` metric: one sample per series of the policy's PromQL query, evaluated now
 * against PROMETHEUS_URL. A non-finite value (NaN, ±Inf) is a sample without data. A failing
 * query throws: the round is recorded as one without data, never as a reason to scale down.
 */
@Injectable()
export class PrometheusMetricSource implements MetricSource {
  constructor(private readonly prometheus: PrometheusClient) {}

  get configured(): boolean {
    return this.prometheus.configured;
  }

  async taskMetrics(_service: string, { query }: MetricSpec): Promise<TaskSample[]> {
    if (!query) throw new Error('the policy has no query');
    const r = await this.prometheus.query(query);
    return r.samples.map((s) => ({ taskId: seriesName(s.labels), value: Number.isFinite(s.value) ? s.value : null }));
  }

  /**
   * Why `query` cannot be a policy's metric (Prometheus refuses it, or it gives a range vector
   * or a string), or null. An unreachable Prometheus is not the query's fault: null then too.
   */
  async queryProblem(query: string): Promise<string | null> {
    try {
      await this.prometheus.query(query);
      return null;
    } catch (e) {
      if (e instanceof PrometheusError && e.kind !== 'unavailable') return e.message;
      return null;
    }
  }
}
