/**
 * Rolling deploy through the control plane vs the Docker CLI, same run, same service size and
 * update settings. Needs the lab (DOCKER_HOST, NODE_ENGINES) and Redis (REDIS_URL):
 *   eval "$(scripts/lab.sh env)"; REDIS_URL=redis://127.0.0.1:6379 node .build/bench/deploy.bench.js
 * Settings: BENCH_REPLICAS (4), BENCH_ROUNDS (3), DOCKER_CLI (/usr/bin/docker).
 *
 * Three timings per round, each from the request to the update being complete:
 *   api      POST /v1/deployments, then GET until the deployment is terminal (100 ms polls)
 *   cli      `docker service update --image ... --detach=false` (its own progress wait)
 *   cli-poll `docker service update --image ... --detach`, then UpdateStatus polled every 100 ms
 * The goal is api / cli <= 1.10; api / cli-poll is the stricter comparison (engine-side completion).
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { client, engine, engineCreateService, removeServices, startApp, waitFor } from '../test/support/harness';

const run = promisify(execFile);
const DOCKER = process.env.DOCKER_CLI ?? '/usr/bin/docker';
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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

  const times: Record<'api' | 'cli' | 'cli-poll', number[]> = { api: [], cli: [], 'cli-poll': [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const image = round % 2 === 0 ? 'lab/web:v2' : 'lab/web:v1';
      const order = round % 2 === 0 ? (['api', 'cli', 'cli-poll'] as const) : (['cli-poll', 'cli', 'api'] as const);
      for (const kind of order) {
        const t0 = performance.now();
        if (kind === 'api') {
          const res = await api.post('/v1/deployments', { service: a, image, strategy: 'rolling', rolling: SETTINGS });
          if (res.status !== 202) throw new Error(res.text);
          const d = await waitFor('deployment', async () => {
            const r = await api.get(`/v1/deployments/${res.body.id}`);
            return ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(r.body.status) ? r.body : null;
          }, 300_000, 100);
          if (d.status !== 'succeeded') throw new Error(`deployment ${d.status}: ${d.error}`);
        } else if (kind === 'cli') {
          await cli(['service', 'update', '--quiet', '--detach=false', '--image', image, ...CLI_FLAGS, c]);
        } else {
          await cli(['service', 'update', '--quiet', '--detach', '--image', image, ...CLI_FLAGS, p]);
          await waitFor('UpdateStatus completed', async () => {
            const s: any = await engine().getService(p).inspect();
            return s.UpdateStatus?.State === 'completed';
          }, 300_000, 100);
        }
        const ms = performance.now() - t0;
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
