import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuPercent, hasPreviousCpu, memoryWithoutCache, toContainerSample } from './container-stats';

describe('container stats as docker stats computes them', () => {
  it('CPU % = cpuDelta / systemDelta * onlineCPUs * 100', () => {
    const cases: Array<[any, any, number]> = [
      [{ cpu_usage: { total_usage: 2e9 }, system_cpu_usage: 20e9, online_cpus: 2 }, { cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 10e9 }, 20],
      [{ cpu_usage: { total_usage: 1e9, percpu_usage: [1, 2, 3, 4] }, system_cpu_usage: 4e9 }, { cpu_usage: { total_usage: 0 }, system_cpu_usage: 2e9 }, 200],
      [{ cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 4e9, online_cpus: 1 }, { cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 2e9 }, 0],
      [{ cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 4e9 }, undefined, 25],
      [{}, {}, 0],
    ];
    for (const [cur, pre, want] of cases) assert.equal(cpuPercent(cur, pre), want);
  });

  it('memory excludes the inactive page cache (cgroup v1 and v2)', () => {
    assert.equal(memoryWithoutCache({ usage: 100, stats: { total_inactive_file: 30 } }), 70);
    assert.equal(memoryWithoutCache({ usage: 100, stats: { inactive_file: 40 } }), 60);
    assert.equal(memoryWithoutCache({ usage: 100, stats: { inactive_file: 400 } }), 100);
    assert.equal(memoryWithoutCache({ usage: 100 }), 100);
    assert.equal(memoryWithoutCache(undefined), 0);
  });

  it('uses precpu_stats when present, else a second one-shot answer', () => {
    const first = { cpu_stats: { cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 10e9, online_cpus: 2 }, precpu_stats: {} };
    assert.equal(hasPreviousCpu(first), false);
    const second = { cpu_stats: { cpu_usage: { total_usage: 1.5e9 }, system_cpu_usage: 12e9, online_cpus: 2 }, memory_stats: { usage: 10, limit: 20 } };
    const s = toContainerSample(second, first);
    assert.deepEqual(s, { cpuPercent: 50, onlineCpus: 2, memoryBytes: 10, memoryLimitBytes: 20, readAt: null });
    const one = { ...second, precpu_stats: first.cpu_stats };
    assert.equal(hasPreviousCpu(one), true);
    assert.equal(toContainerSample(one).cpuPercent, 50);
  });
});
