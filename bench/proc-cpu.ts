import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus, loadavg } from 'node:os';

/**
 * CPU time of processes, to report work per request beside rates: on a loaded machine a rate says
 * how much CPU a process got, CPU per request says how much it needed.
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU milliseconds of a process (all its threads) so far. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The pid of the engine serving a lab node's socket (`.../node-K/docker.sock` -> `.../node-K/docker.pid`), if readable. */
export function enginePid(socketPath: string): number | null {
  try {
    const pid = Number(readFileSync(join(dirname(socketPath), 'docker.pid'), 'utf8').trim());
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Runs `fn` and reports the CPU milliseconds each of `pids` spent meanwhile (null when unreadable). */
export async function measured<T>(pids: Record<string, number | null>, fn: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number | null> }> {
  const read = () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? safeCpu(pid) : null]));
  const before = read();
  const result = await fn();
  const after = read();
  const cpu: Record<string, number | null> = {};
  for (const k of Object.keys(pids)) cpu[k] = before[k] === null || after[k] === null ? null : after[k]! - before[k]!;
  return { result, cpu };
}

function safeCpu(pid: number): number | null {
  try {
    return cpuMs(pid);
  } catch {
    return null;
  }
}

/** The machine's load average, as the benchmarks print it beside their figures. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${cpus().length} CPUs)`;
}
