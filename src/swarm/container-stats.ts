import { EngineContainerStats, EngineCpuStats } from './engine.types';

/** One container's usage as `docker stats` shows it. */
export interface ContainerSample {
  /** 100 = one CPU fully busy (docker stats' CPU %). */
  cpuPercent: number;
  onlineCpus: number;
  /** Usage without the reclaimable page cache (docker stats' MEM USAGE). */
  memoryBytes: number;
  /** The cgroup's memory limit (the host's memory when the container has none). */
  memoryLimitBytes: number;
  readAt: string | null;
}

/** True when the sample carries a previous CPU reading to diff against. */
export function hasPreviousCpu(s: EngineContainerStats): boolean {
  return !!s.precpu_stats?.system_cpu_usage && s.precpu_stats.cpu_usage?.total_usage !== undefined;
}

function onlineCpus(c: EngineCpuStats | undefined): number {
  return c?.online_cpus || c?.cpu_usage?.percpu_usage?.length || 1;
}

/** docker stats' formula: cpuDelta / systemDelta * onlineCPUs * 100. */
export function cpuPercent(cur: EngineCpuStats | undefined, pre: EngineCpuStats | undefined): number {
  const cpuDelta = (cur?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cur?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * onlineCpus(cur) * 100;
}

/**
 * Memory in use as the docker CLI computes it: usage minus inactive page cache
 * (`total_inactive_file` on cgroup v1, `inactive_file` on v2), never below zero.
 */
export function memoryWithoutCache(m: EngineContainerStats['memory_stats']): number {
  const usage = m?.usage ?? 0;
  const stats = m?.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file;
  if (v2 !== undefined && v2 < usage) return usage - v2;
  return usage;
}

/** A sample from one stats answer, or from two one-shot answers when the first lacks precpu. */
export function toContainerSample(cur: EngineContainerStats, earlier?: EngineContainerStats): ContainerSample {
  const pre = earlier ? earlier.cpu_stats : cur.precpu_stats;
  return {
    cpuPercent: round(cpuPercent(cur.cpu_stats, pre)),
    onlineCpus: onlineCpus(cur.cpu_stats),
    memoryBytes: memoryWithoutCache(cur.memory_stats),
    memoryLimitBytes: cur.memory_stats?.limit ?? 0,
    readAt: cur.read ?? null,
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
