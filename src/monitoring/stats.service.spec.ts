import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { taskUsage, totals } from './stats.service';
import { TaskStats } from './monitoring.types';

const sample = { cpuPercent: 50, onlineCpus: 2, memoryBytes: 64 * 2 ** 20, memoryLimitBytes: 2 ** 30, readAt: null };

describe('stats of a task against its limits', () => {
  it('relates CPU and memory to the limit, else the reservation, else (memory) the container limit', () => {
    const cases: Array<[any, number | null, number | null]> = [
      [{ Limits: { NanoCPUs: 5e8, MemoryBytes: 128 * 2 ** 20 } }, 100, 50],
      [{ Reservations: { NanoCPUs: 2e9, MemoryBytes: 256 * 2 ** 20 } }, 25, 25],
      [{ Limits: { NanoCPUs: 1e9 }, Reservations: { NanoCPUs: 2e9 } }, 50, 6.25],
      [undefined, null, 6.25],
    ];
    for (const [resources, cpu, mem] of cases) {
      const u = taskUsage({ Spec: { Resources: resources } }, sample);
      assert.equal(u.cpuLimitPercent, cpu);
      assert.equal(u.memoryPercent, mem);
      assert.equal(u.cpuPercent, 50);
    }
  });

  it('sums over available tasks and averages the percentages', () => {
    const t = (available: boolean, cpu: number | null, lim: number | null, mem: number | null, memPct: number | null): TaskStats => ({
      taskId: 'x',
      slot: 1,
      nodeId: 'n',
      nodeName: 'n',
      containerId: 'c',
      available,
      reason: available ? null : 'no engine',
      cpuPercent: cpu,
      cpuLimitPercent: lim,
      memoryBytes: mem,
      memoryLimitBytes: mem === null ? null : 1000,
      memoryPercent: memPct,
    });
    const got = totals([t(true, 10, 20, 100, 10), t(true, 30, null, 300, 30), t(false, null, null, null, null)]);
    assert.deepEqual(got, { tasks: 3, available: 2, cpuPercent: 40, cpuLimitPercent: 20, memoryBytes: 400, memoryLimitBytes: 2000, memoryPercent: 20 });
    assert.deepEqual(totals([]), { tasks: 0, available: 0, cpuPercent: 0, cpuLimitPercent: null, memoryBytes: 0, memoryLimitBytes: 0, memoryPercent: null });
  });
});
