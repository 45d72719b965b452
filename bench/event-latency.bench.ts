import 'reflect-metadata';
import { loadavg } from 'node:os';
import Docker from 'dockerode';
import { engine, engineCreateService, nodeEngines, removeServices, startApp, TOKENS, uniqueName } from '../test/support/harness';
import { subscribeGql } from '../test/support/event-clients';
import { line, now, sleep, stats } from './support';
import { FINISHED, runningTask, taskEndPoll } from './task-end-poll';

/**
 * Latency from `docker kill` of a task's container to a graphql-ws subscriber hearing that the
 * task failed, for a task on the manager and on a worker (goal p95 <= 200 ms on both: the
 * failure is published from the node's container event, before the task list shows it).
 * Baselines measured in the same run: the engine's own task list polled every 25 ms (when the
 * engine itself shows the failure) and `watch docker service ps` (a 2 s poll) noticing it.
 */
const SAMPLES = Number(process.env.LATENCY_SAMPLES ?? 10);
const WATCH_INTERVAL_MS = Number(process.env.WATCH_INTERVAL_MS_BENCH ?? 1000);
const BASELINE_POLL_MS = 2000;
const GOAL_MS = 200;
const PREFIX = 't-bench-lat-';

async function measure(label: string, role: 'manager' | 'worker', url: string): Promise<void> {
  const name = uniqueName(`bench-lat-${role}`);
  await engineCreateService(name, {
    replicas: 1,
    extra: { TaskTemplate: { Placement: { Constraints: [`node.role==${role}`] }, RestartPolicy: { Condition: 'any', Delay: 100_000_000 } } },
  });
  const nodes: any[] = await engine().listNodes();
  const engines = nodeEngines();
  const failures = new Map<string, number>();
  const sources = new Map<string, number>();
  let repeated = 0; // a task's end state published twice (an early event and the task list's)
  const sub = subscribeGql(url, TOKENS.viewer, 'subscription ($s: String) { taskStateChanged(service: $s) { taskId to source } }', { s: name }, (e: any) => {
    if (FINISHED.has(e.to) && failures.has(e.taskId)) repeated++;
    if (FINISHED.has(e.to) && !failures.has(e.taskId)) {
      failures.set(e.taskId, now());
      sources.set(e.source ?? 'tasks', (sources.get(e.source ?? 'tasks') ?? 0) + 1);
    }
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
    const watch = taskEndPoll(name, task.ID, () => killedAt, BASELINE_POLL_MS);
    const floor = taskEndPoll(name, task.ID, () => killedAt, 25);
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
  await sleep(2000); // the last kill's confirmation by the task list
  await sub.close();
  const mine = stats(ours);
  const floorStats = stats(engineFloor);
  const by = [...sources].map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(line(`  ${label}: kill -> graphql-ws subscriber`, mine, `first event from: ${by}; end states published twice: ${repeated}`));
  console.log(line(`  ${label}: kill -> engine task list shows it (25 ms poll)`, floorStats));
  console.log(line(`  ${label}: kill -> \`watch docker service ps\` (2 s)`, stats(base)));
  console.log(`  ${label}: p95 ${mine.p95.toFixed(0)} ms = ${(mine.p95 / floorStats.p95).toFixed(2)}x the engine's own task list; goal p95 <= ${GOAL_MS} ms: ${mine.p95 <= GOAL_MS ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  await removeServices(PREFIX);
  const t = await startApp({ WATCH_INTERVAL_MS: String(WATCH_INTERVAL_MS) });
  try {
    const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`event latency: docker kill -> subscriber, WATCH_INTERVAL_MS=${WATCH_INTERVAL_MS}, ${SAMPLES} kills each, load average ${load()}`);
    await measure('manager task', 'manager', t.url);
    await measure('worker task ', 'worker', t.url);
    console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
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
