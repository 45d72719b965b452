/**
 * Rolling deploy through the control plane vs the Docker CLI, same run, same service size and
 * update settings. Needs the lab (DOCKER_HOST, NODE_ENGINES) and Redis (REDIS_URL):
 *   eval "$(scripts/lab.sh env)"; REDIS_URL=redis://127.0.0.1:6379 node .build/bench/deploy.bench.js
 * Settings: BENCH_REPLICAS (4), BENCH_ROUNDS (6), DOCKER_CLI (/usr/bin/docker).
 *
 * Three timings per round, each from the request to the update being reported complete:
 *   api      POST /v1/deployments until the product's `succeeded` event reaches an SSE client
 *            (opened before the request)
 *   cli      `docker service update --image ... --detach=false` (its own convergence rule: every
 *            task of the new spec running for the monitor period)
 *   cli-poll `docker service update --image ... --detach`, then UpdateStatus polled every 100 ms
 *            until `completed` (the engine's own end: one more delay and monitor period)
 * The goal is api / cli <= 1.10.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { client, engine, engineCreateService, removeServices, startApp, waitFor } from '../test/support/harness';
import { openSse } from '../test/support/event-clients';

const run = promisify(execFile);
const DOCKER = process.env.DOCKER_CLI ?? '/usr/bin/docker';
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SETTINGS = { parallelism: 2, delaySeconds: 1, order: 'start-first' as const, failureAction: 'pause' as const, monitorSeconds: 1 };
const CLI_FLAGS = ['--update-parallelism', '2', '--update-delay', '1s', '--update-order', 'start-first', '--update-failure-action', 'pause', '--update-monitor', '1s'];

async function converged(name: string, image: string): Promise<boolean> {
  const tasks: any[] = await engine().listTasks({ filters: { service: [name], 'desired-state': ['running'] } });
  const running = tasks.filter((t) => t.Status.State === 'running');
  return running.length === REPLICAS && running.every((t) => t.Spec.ContainerSpec.Image.split('@')[0] === image);
}

async function cli(args: string[]): Promise<void> {
  await run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: process.env.DOCKER_HOST } });
}

async function main(): Promise<void> {
  const prefix = 't-bench-dep-';
  await removeServices(prefix);
  const a = `${prefix}api`;
  const c = `${prefix}cli`;
  const p = `${prefix}poll`;
  for (const n of [a, c, p]) await engineCreateService(n, { replicas: REPLICAS });
  for (const n of [a, c, p]) await waitFor(`${n} running`, () => converged(n, 'lab/web:v1'), 120_000);
  const app = await startApp({ ROLE: 'all', LOG_LEVEL: 'error' });
  const api = client(app.url, 'deployer');
  await waitFor('read model', async () => (await api.get(`/v1/services/${a}`)).status === 200);
  // A long-running server is warm: one untimed deployment (the same image, nothing to replace) first.
  const warm = await api.post('/v1/deployments', { service: a, image: 'lab/web:v1', strategy: 'rolling', rolling: SETTINGS });
  await waitFor('warm-up deployment', async () => (await api.get(`/v1/deployments/${warm.body.id}`)).body?.status === 'succeeded', 60_000, 100);

  const times: Record<'api' | 'cli' | 'cli-poll', number[]> = { api: [], cli: [], 'cli-poll': [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const image = round % 2 === 0 ? 'lab/web:v2' : 'lab/web:v1';
      const order = round % 2 === 0 ? (['api', 'cli', 'cli-poll'] as const) : (['cli-poll', 'cli', 'api'] as const);
      for (const kind of order) {
        let t0 = performance.now();
        let t1 = 0;
        if (kind === 'api') {
          let ended: { status: string; at: number } | null = null;
          const sse = await openSse(app.url, 'viewer', `types=deployment&service=${a}`, undefined, (e) => {
            if (!ended && ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(e.data.status)) ended = { status: e.data.status, at: performance.now() };
          });
          // The stream is subscribed before its headers are sent: live from here on.
          if (sse.status !== 200) throw new Error(`SSE ${sse.status}`);
          t0 = performance.now();
          const res = await api.post('/v1/deployments', { service: a, image, strategy: 'rolling', rolling: SETTINGS });
          if (res.status !== 202) throw new Error(res.text);
          const end = await waitFor('deployment ended', async () => ended, 300_000, 5);
          sse.close();
          await sse.ended;
          if (end.status !== 'succeeded') throw new Error(`deployment ${end.status}`);
          t1 = end.at;
        } else if (kind === 'cli') {
          await cli(['service', 'update', '--quiet', '--detach=false', '--image', image, ...CLI_FLAGS, c]);
        } else {
          await cli(['service', 'update', '--quiet', '--detach', '--image', image, ...CLI_FLAGS, p]);
          await waitFor('UpdateStatus completed', async () => {
            const s: any = await engine().getService(p).inspect();
            return s.UpdateStatus?.State === 'completed';
          }, 300_000, 100);
        }
        const ms = (t1 || performance.now()) - t0;
        times[kind].push(ms);
        const svc = kind === 'api' ? a : kind === 'cli' ? c : p;
        if (!(await converged(svc, image))) throw new Error(`${kind}: not converged on ${image}`);
        process.stdout.write(`round ${round + 1} ${kind.padEnd(8)} ${(ms / 1000).toFixed(2)} s\n`);
      }
    }
  } finally {
    await app.close();
    await removeServices(prefix);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [api1, cli1, poll1] = [mean(times.api), mean(times.cli), mean(times['cli-poll'])];
  process.stdout.write(
    JSON.stringify(
      {
        replicas: REPLICAS,
        rounds: ROUNDS,
        settings: SETTINGS,
        meanSeconds: { api: +(api1 / 1000).toFixed(2), cli: +(cli1 / 1000).toFixed(2), cliPoll: +(poll1 / 1000).toFixed(2) },
        ratioApiToCli: +(api1 / cli1).toFixed(3),
        ratioApiToCliPoll: +(api1 / poll1).toFixed(3),
        goal: 'ratioApiToCli <= 1.10',
        loadAverage: loadavg().map((x) => +x.toFixed(1)),
      },
      null,
      2,
    ) + '\n',
  );
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
