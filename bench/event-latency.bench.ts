import 'reflect-metadata';
import Docker from 'dockerode';
import { engine, engineCreateService, nodeEngines, removeServices, startApp, TOKENS, uniqueName } from '../test/support/harness';
import { subscribeGql } from '../test/support/event-clients';
import { line, now, sleep, stats } from './support';

/**
 * Latency from `docker kill` of a task's container to a graphql-ws subscriber hearing that the
 * task failed, for a task on the manager and on a worker (goal p95 <= 0.5 s on the manager,
 * <= WATCH_INTERVAL_MS + 0.5 s elsewhere). Baseline measured in the same run: `watch docker
 * service ps` (a 2 s poll of the engine's task list) noticing the same failure.
 */
const SAMPLES = Number(process.env.LATENCY_SAMPLES ?? 10);
const WATCH_INTERVAL_MS = Number(process.env.WATCH_INTERVAL_MS_BENCH ?? 1000);
const BASELINE_POLL_MS = 2000;
const PREFIX = 't-bench-lat-';
const FINISHED = new Set(['failed', 'shutdown', 'complete', 'rejected', 'removed']);

async function runningTask(name: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const tasks: any[] = await engine().listTasks({ filters: { service: [name], 'desired-state': ['running'] } });
    const t = tasks.find((x) => x.Status.State === 'running' && x.Status.ContainerStatus?.ContainerID);
    if (t) return t;
    await sleep(100);
  }
  throw new Error(`no running task of ${name}`);
}

/** `watch -n 2 docker service ps NAME`: the first poll at which the task is no longer running. */
function baselineWatcher(name: string, taskId: string, killedAt: () => number, everyMs = BASELINE_POLL_MS): { result: Promise<number>; stop(): void } {
  let stopped = false;
  const result = (async () => {
    // A watch loop already running, at a random phase relative to the kill.
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

async function measure(label: string, role: 'manager' | 'worker', url: string): Promise<void> {
  const name = uniqueName(`bench-lat-${role}`);
  await engineCreateService(name, {
    replicas: 1,
    extra: { TaskTemplate: { Placement: { Constraints: [`node.role==${role}`] }, RestartPolicy: { Condition: 'any', Delay: 100_000_000 } } },
  });
  const nodes: any[] = await engine().listNodes();
  const engines = nodeEngines();
  const failures = new Map<string, number>();
  const sub = subscribeGql(url, TOKENS.viewer, 'subscription ($s: String) { taskStateChanged(service: $s) { taskId to } }', { s: name }, (e: any) => {
    if (FINISHED.has(e.to) && !failures.has(e.taskId)) failures.set(e.taskId, now());
  });
  await sleep(500); // subscription registered (graphql-ws has no subscribe ack)
  const ours: number[] = [];
  const base: number[] = [];
  const engineFloor: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const task = await runningTask(name);
    await sleep(300 + Math.random() * 700); // kills at a random phase of the watcher's poll
    const host = nodes.find((n) => n.ID === task.NodeID)?.Description?.Hostname;
    const docker: Docker = engines[host] ?? engine();
    let killedAt = 0;
    const watch = baselineWatcher(name, task.ID, () => killedAt);
    const floor = baselineWatcher(name, task.ID, () => killedAt, 25);
    killedAt = now();
    await docker.getContainer(task.Status.ContainerStatus.ContainerID).kill();
    for (let w = 0; w < 300 && !failures.has(task.ID); w++) await sleep(10);
    if (!failures.has(task.ID)) throw new Error(`no failure event for ${task.ID} within 3 s`);
    ours.push(failures.get(task.ID)! - killedAt);
    base.push(await watch.result);
    engineFloor.push(await floor.result);
    watch.stop();
    floor.stop();
  }
  await sub.close();
  console.log(line(`  ${label}: kill -> graphql-ws subscriber`, stats(ours)));
  console.log(line(`  ${label}: kill -> \`watch docker service ps\` (2 s)`, stats(base)));
  console.log(line(`  ${label}: kill -> engine task list shows it (25 ms poll)`, stats(engineFloor)));
  const goal = role === 'manager' ? 500 : WATCH_INTERVAL_MS + 500;
  console.log(`  ${label}: goal p95 <= ${goal} ms: ${stats(ours).p95 <= goal ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  await removeServices(PREFIX);
  const t = await startApp({ WATCH_INTERVAL_MS: String(WATCH_INTERVAL_MS) });
  try {
    console.log(`event latency: docker kill -> subscriber, WATCH_INTERVAL_MS=${WATCH_INTERVAL_MS}, ${SAMPLES} kills each`);
    await measure('manager task', 'manager', t.url);
    await measure('worker task ', 'worker', t.url);
  } finally {
    await t.close();
    await removeServices(PREFIX);
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
