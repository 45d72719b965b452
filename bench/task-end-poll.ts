import { engine } from '../test/support/harness';
import { now, sleep } from './support';

/** Task states after which a task no longer runs. */
export const FINISHED = new Set(['failed', 'shutdown', 'complete', 'rejected', 'removed']);

/**
 * The engine's own visibility of a kill, as a poller sees it (`watch docker service ps` every 2 s,
 * or a tight loop): from a random phase, polls the engine's task list every `everyMs` and resolves
 * with the time from the kill to the first poll at which the task no longer runs.
 */
export function taskEndPoll(name: string, taskId: string, killedAt: () => number, everyMs: number): { result: Promise<number>; stop(): void } {
  let stopped = false;
  const result = (async () => {
    await sleep(Math.random() * everyMs);
    while (!stopped) {
      const tasks: any[] = await engine().listTasks({ filters: { service: [name] } });
      const t = tasks.find((x) => x.ID === taskId);
      if (killedAt() && (!t || FINISHED.has(t.Status.State))) return now() - killedAt();
      await sleep(everyMs);
    }
    return NaN;
  })();
  return { result, stop: () => (stopped = true) };
}

/** A running task of `name` with its container, as the engine lists it (waits up to a minute). */
export async function runningTask(name: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const tasks: any[] = await engine().listTasks({ filters: { service: [name], 'desired-state': ['running'] } });
    const t = tasks.find((x) => x.Status.State === 'running' && x.Status.ContainerStatus?.ContainerID);
    if (t) return t;
    await sleep(100);
  }
  throw new Error(`no running task of ${name}`);
}
