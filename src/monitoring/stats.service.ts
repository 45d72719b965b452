import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Caller } from '../common/auth/roles';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { NodeAccess } from '../nodes-access/node-access';
import { EngineTask } from '../swarm/engine.types';
import { isRunningTask } from '../swarm/swarm.mappers';
import { ContainerSample, round } from '../swarm/container-stats';
import { ServiceStats, StatsTotals, TaskStats } from './monitoring.types';

/** A task's CPU and memory against its own limits (or reservations, when it has no limit). */
export function taskUsage(task: Pick<EngineTask, 'Spec'>, s: ContainerSample): Pick<TaskStats, 'cpuPercent' | 'cpuLimitPercent' | 'memoryBytes' | 'memoryLimitBytes' | 'memoryPercent'> {
  const r = task.Spec?.Resources;
  const nano = r?.Limits?.NanoCPUs || r?.Reservations?.NanoCPUs || 0;
  const mem = r?.Limits?.MemoryBytes || r?.Reservations?.MemoryBytes || s.memoryLimitBytes || 0;
  return {
    cpuPercent: round(s.cpuPercent),
    // cpuPercent counts 100 per CPU; a 0.5-CPU task at 50 % is at its limit.
    cpuLimitPercent: nano ? round(s.cpuPercent / (nano / 1e9)) : null,
    memoryBytes: s.memoryBytes,
    memoryLimitBytes: s.memoryLimitBytes,
    memoryPercent: mem ? round((s.memoryBytes / mem) * 100) : null,
  };
}

/** Sums over tasks with stats; percentages of limits are means (an autoscaler's input). */
export function totals(tasks: TaskStats[]): StatsTotals {
  const ok = tasks.filter((t) => t.available);
  const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const sum = (f: (t: TaskStats) => number | null) => ok.reduce((a, t) => a + (f(t) ?? 0), 0);
  return {
    tasks: tasks.length,
    available: ok.length,
    cpuPercent: round(sum((t) => t.cpuPercent)),
    cpuLimitPercent: mean(ok.flatMap((t) => (t.cpuLimitPercent === null ? [] : [t.cpuLimitPercent]))),
    memoryBytes: sum((t) => t.memoryBytes),
    memoryLimitBytes: sum((t) => t.memoryLimitBytes),
    memoryPercent: mean(ok.flatMap((t) => (t.memoryPercent === null ? [] : [t.memoryPercent]))),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms (STATS_TIMEOUT_MS)`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * CPU and memory of a service's running tasks, from the engine of each task's node (NodeAccess:
 * its node agent, or NODE_ENGINES): the manager's engine sees only its own containers. All
 * nodes are asked in parallel, each bounded by STATS_TIMEOUT_MS; a task whose node cannot be asked is reported
 * `available: false` with the reason instead of failing the whole answer.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly state: ClusterStateService,
    private readonly nodes: NodeAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Also the autoscaler's metric source (no caller: unscoped). */
  async serviceStats(name: string, caller?: Caller): Promise<ServiceStats> {
    const snap = await this.state.snapshot();
    const service = await this.state.serviceRecord(name, caller);
    const running = snap
      .tasksOf(service.ID)
      .filter(isRunningTask)
      .sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0) || a.ID.localeCompare(b.ID));
    const tasks = await Promise.all(running.map((t) => this.taskStats(t, snap.nodeName(t.NodeID))));
    return { service: service.Spec.Name ?? service.ID, at: new Date().toISOString(), tasks, total: totals(tasks) };
  }

  private async taskStats(t: EngineTask, nodeName: string | null): Promise<TaskStats> {
    const containerId = t.Status.ContainerStatus?.ContainerID ?? null;
    const base = { taskId: t.ID, slot: t.Slot ?? null, nodeId: t.NodeID ?? null, nodeName, containerId };
    const unavailable = (reason: string): TaskStats => ({
      ...base,
      available: false,
      reason,
      cpuPercent: null,
      cpuLimitPercent: null,
      memoryBytes: null,
      memoryLimitBytes: null,
      memoryPercent: null,
    });
    if (!nodeName) return unavailable('the task has no node');
    if (!containerId) return unavailable('the task has no container yet');
    try {
      const sample = await withTimeout(this.nodes.containerStats(nodeName, containerId), this.config.statsTimeoutMs, `the engine of ${nodeName}`);
      return { ...base, available: true, reason: null, ...taskUsage(t, sample) };
    } catch (e) {
      return unavailable((e as Error).message);
    }
  }
}
