import { Injectable } from '@nestjs/common';
import { StatsService } from '../monitoring/stats.service';
import { Metric, TaskSample } from './decision';
import { MetricSource } from './autoscaling.ports';

/** The autoscaler's metric: per running task, CPU or memory in percent of its limit (or reservation). */
@Injectable()
export class StatsMetricSource implements MetricSource {
  constructor(private readonly stats: StatsService) {}

  async taskMetrics(service: string, metric: Metric): Promise<TaskSample[]> {
    const s = await this.stats.serviceStats(service);
    return s.tasks.map((t) => ({
      taskId: t.taskId,
      value: t.available ? (metric === 'cpu' ? t.cpuLimitPercent : t.memoryPercent) : null,
    }));
  }
}
