import { Injectable } from '@nestjs/common';
import { StatsService } from '../monitoring/stats.service';
import { TaskSample } from './decision';
import { MetricSource, MetricSpec } from './autoscaling.ports';

/** The autoscaler's metric: per running task, CPU or memory in percent of its limit (or reservation). */
@Injectable()
export class StatsMetricSource implements MetricSource {
  constructor(private readonly stats: StatsService) {}

  async taskMetrics(service: string, { metric }: MetricSpec): Promise<TaskSample[]> {
    const s = await this.stats.serviceStats(service);
    return s.tasks.map((t) => ({
      taskId: t.taskId,
      value: t.available ? (metric === 'cpu' ? t.cpuLimitPercent : t.memoryPercent) : null,
    }));
  }
}
