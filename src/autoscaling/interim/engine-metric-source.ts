import { Injectable } from '@nestjs/common';
import { ClusterStateService } from '../../cluster/cluster-state.service';
import { SwarmRepository } from '../../swarm/swarm.repository';
import { isRunningTask } from '../../swarm/swarm.mappers';
import { Metric, TaskSample } from '../decision';
import { MetricSource } from '../autoscaling.ports';

// Interim: replaced by the monitoring stats service once it lands.
@Injectable()
export class EngineMetricSource implements MetricSource {
  constructor(
    private readonly state: ClusterStateService,
    private readonly swarm: SwarmRepository,
  ) {}

  async taskMetrics(service: string, metric: Metric): Promise<TaskSample[]> {
    const snap = await this.state.snapshot();
    const s = snap.findService(service);
    if (!s) return [];
    const res = s.Spec.TaskTemplate.Resources;
    const nano = res?.Limits?.NanoCPUs || res?.Reservations?.NanoCPUs || 0;
    const mem = res?.Limits?.MemoryBytes || res?.Reservations?.MemoryBytes || 0;
    const tasks = snap.tasksOf(s.ID).filter(isRunningTask);
    return Promise.all(
      tasks.map(async (t): Promise<TaskSample> => {
        const host = snap.nodeName(t.NodeID);
        const cid = t.Status.ContainerStatus?.ContainerID;
        if (!host || !cid) return { taskId: t.ID, value: null };
        try {
          const st = await this.swarm.containerStats(host, cid);
          if (metric === 'cpu') {
            const cpu = st.cpu_stats?.cpu_usage?.total_usage - st.precpu_stats?.cpu_usage?.total_usage;
            const sys = st.cpu_stats?.system_cpu_usage - st.precpu_stats?.system_cpu_usage;
            const online = st.cpu_stats?.online_cpus || 1;
            if (!nano || !(sys > 0) || !Number.isFinite(cpu)) return { taskId: t.ID, value: null };
            const cpus = (cpu / sys) * online;
            return { taskId: t.ID, value: (cpus / (nano / 1e9)) * 100 };
          }
          const usage = (st.memory_stats?.usage ?? 0) - (st.memory_stats?.stats?.inactive_file ?? st.memory_stats?.stats?.cache ?? 0);
          if (!mem || !(usage > 0)) return { taskId: t.ID, value: null };
          return { taskId: t.ID, value: (usage / mem) * 100 };
        } catch {
          return { taskId: t.ID, value: null };
        }
      }),
    );
  }
}
