import type { ParseArgsConfig } from 'node:util';
import { data, type Deployment, type EventType, type Schemas, type SwarmClient, type SwarmEvent } from '../client';
import { EXIT, eventLine, type Io, ProgressView, progressLine, table, UsageError } from './output';

type Values = Record<string, string | boolean | string[] | undefined>;

export interface Ctx {
  api: SwarmClient;
  io: Io;
  json: boolean;
  /** --idempotency-key: the key of this command's mutation (otherwise one is generated). */
  idempotencyKey?: string;
  /** Ends follow loops (SIGINT). */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Extra lines of help. */
  help?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals: [number, number];
  run(ctx: Ctx, values: Values, positionals: string[]): Promise<number>;
}

const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

function int(v: Values[string], name: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function num(v: Values[string], name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

function oneOf<T extends string>(v: Values[string], name: string, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function idem(ctx: Ctx): { 'Idempotency-Key': string } | undefined {
  return ctx.idempotencyKey ? { 'Idempotency-Key': ctx.idempotencyKey } : undefined;
}

function print(ctx: Ctx, value: unknown, human: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(value, null, 2) : human());
}

const deploymentExit = (d: Deployment): number => (d.status === 'succeeded' || d.status === 'awaiting-promotion' ? EXIT.OK : EXIT.FAILED);

function outcome(d: Deployment): string {
  switch (d.status) {
    case 'succeeded':
      return `deployment ${d.id} succeeded: ${d.service} runs ${d.image} (${d.progress.updated}/${d.progress.total} tasks)`;
    case 'awaiting-promotion':
      return `deployment ${d.id} is awaiting promotion: swarmctl promote ${d.id}`;
    default:
      return `deployment ${d.id} ${d.status}${d.error ? `: ${d.error}` : ''}${d.previousImage ? ` (${d.service} is back on ${d.previousImage})` : ''}`;
  }
}

/** --wait: follows the deployment until it ends, with progress; --timeout ends the wait with exit 3. */
async function waitFor(ctx: Ctx, first: Deployment, timeoutSeconds: number | undefined): Promise<number> {
  const view = new ProgressView(ctx.io);
  const timeout = new AbortController();
  const onStop = () => timeout.abort();
  ctx.signal.addEventListener('abort', onStop, { once: true });
  const timer = timeoutSeconds !== undefined ? setTimeout(() => timeout.abort(), timeoutSeconds * 1000) : undefined;
  let latest = first;
  view.update(first);
  try {
    const d = await ctx.api.waitForDeployment(first.id, {
      signal: timeout.signal,
      onUpdate: (x) => {
        latest = x;
        view.update(x);
      },
    });
    view.end();
    print(ctx, d, () => outcome(d));
    return deploymentExit(d);
  } catch (e) {
    view.end();
    if (timeout.signal.aborted) {
      const why = ctx.signal.aborted ? 'interrupted' : `timed out after ${timeoutSeconds} s`;
      if (ctx.json) ctx.io.out(JSON.stringify({ timedOut: true, deployment: latest }, null, 2));
      ctx.io.err(`${why}: ${progressLine(latest)}; the deployment goes on (swarmctl deployment ${latest.id})`);
      return EXIT.TIMEOUT;
    }
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onStop);
  }
}

const WAIT_OPTIONS = {
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

function waitArgs(v: Values): { wait: boolean; timeout?: number } {
  const timeout = int(v.timeout, 'timeout', 1);
  if (timeout !== undefined && !v.wait) throw new UsageError('--timeout only applies with --wait');
  return { wait: !!v.wait, timeout };
}

async function deploymentAction(ctx: Ctx, v: Values, id: string, action: 'promote' | 'cancel' | 'rollback'): Promise<number> {
  const w = action === 'cancel' ? { wait: false } : waitArgs(v);
  const params = { path: { id }, header: idem(ctx) };
  const r =
    action === 'promote'
      ? await ctx.api.rest.POST('/v1/deployments/{id}/promote', { params })
      : action === 'cancel'
        ? await ctx.api.rest.POST('/v1/deployments/{id}/cancel', { params })
        : await ctx.api.rest.POST('/v1/deployments/{id}/rollback', { params });
  const d = data(r);
  if (w.wait) return waitFor(ctx, d, w.timeout);
  print(ctx, d, () => `${action} of ${id} accepted: deployment ${d.id} is ${d.status}`);
  return EXIT.OK;
}

export const COMMANDS: Command[] = [
  {
    name: 'services',
    usage: 'services',
    summary: 'list services with their replicas and image',
    options: {},
    positionals: [0, 0],
    async run(ctx) {
      const list = data(await ctx.api.rest.GET('/v1/services', { signal: ctx.signal }));
      print(ctx, list.items, () =>
        table(
          ['NAME', 'MODE', 'REPLICAS', 'IMAGE', 'UPDATE'],
          list.items.map((s) => [s.name, s.mode, `${s.replicas.running}/${s.replicas.desired ?? 'global'}`, s.image, s.updateStatus?.state]),
        ),
      );
      return EXIT.OK;
    },
  },
  {
    name: 'ps',
    usage: 'ps SERVICE [--all]',
    summary: "a service's tasks (--all: with finished ones)",
    options: { all: { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, v, [name]) {
      const list = data(await ctx.api.rest.GET('/v1/services/{name}/tasks', { params: { path: { name }, query: v.all ? { all: true } : {} } }));
      print(ctx, list.items, () =>
        table(
          ['ID', 'NAME', 'NODE', 'DESIRED', 'STATE', 'IMAGE', 'ERROR'],
          list.items.map((t) => [t.id.slice(0, 12), `${t.service}${t.slot !== null && t.slot !== undefined ? `.${t.slot}` : ''}`, t.nodeName, t.desiredState, t.state, t.image, t.error]),
        ),
      );
      return EXIT.OK;
    },
  },
  {
    name: 'scale',
    usage: 'scale SERVICE=N [SERVICE=N ...] [--atomic | --dry-run]',
    summary: 'set replica counts (each on its own, or all or none with --atomic)',
    help: 'Without --atomic each service is scaled on its own, like `docker service scale`; exit 1 when any failed.',
    options: { atomic: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    positionals: [1, 100],
    async run(ctx, v, pos) {
      const services: Record<string, number> = {};
      for (const p of pos) {
        const m = /^([^=\s]+)=(\d+)$/.exec(p);
        if (!m) throw new UsageError(`expected SERVICE=N, got ${JSON.stringify(p)}`);
        services[m[1]] = Number(m[2]);
      }
      const r = await ctx.api.rest.POST('/v1/scale', { body: { services, atomic: !!v.atomic, dryRun: !!v['dry-run'] }, params: { header: idem(ctx) } });
      // A refused atomic batch (409 BATCH_FAILED) still reports every service.
      const err = r.error as (Schemas['ErrorResponse'] & { results?: Schemas['ScaleItemResult'][] }) | undefined;
      const results = r.data?.results ?? err?.results;
      if (!results) data(r);
      const rows = results ?? [];
      print(ctx, r.data ?? r.error, () =>
        table(
          ['SERVICE', 'PREVIOUS', 'REQUESTED', 'STATUS', 'ERROR'],
          rows.map((x) => [x.service, x.previous, x.requested, x.status, x.error ? `${x.error.code}: ${x.error.message}` : null]),
        ) + (err ? `\n${err.code}: ${err.message}` : ''),
      );
      return !r.error && rows.every((x) => ['scaled', 'unchanged', 'would-scale'].includes(x.status)) ? EXIT.OK : EXIT.FAILED;
    },
  },
  {
    name: 'deploy',
    usage:
      'deploy SERVICE --image IMAGE [--strategy rolling|blue-green] [--wait [--timeout SECONDS]] [--reason TEXT]\n' +
      '       [--parallelism N] [--delay SECONDS] [--monitor SECONDS] [--order start-first|stop-first]\n' +
      '       [--failure-action pause|continue|rollback] [--progress-deadline SECONDS] [--manual-promote]',
    summary: 'deploy an image; --wait follows it and exits 0 succeeded, 1 failed or rolled back, 3 timed out',
    help:
      'A blue-green deployment with --manual-promote stops waiting once it awaits promotion (exit 0);\n' +
      'promote it with `swarmctl promote ID --wait`. --timeout ends the wait, not the deployment.',
    options: {
      image: { type: 'string' },
      strategy: { type: 'string' },
      reason: { type: 'string' },
      parallelism: { type: 'string' },
      delay: { type: 'string' },
      monitor: { type: 'string' },
      order: { type: 'string' },
      'failure-action': { type: 'string' },
      'progress-deadline': { type: 'string' },
      'manual-promote': { type: 'boolean' },
      ...WAIT_OPTIONS,
    },
    positionals: [1, 1],
    async run(ctx, v, [service]) {
      const image = str(v.image);
      if (!image) throw new UsageError('--image is required');
      const strategy = oneOf(v.strategy, 'strategy', ['rolling', 'blue-green'] as const) ?? 'rolling';
      const w = waitArgs(v);
      const rolling = {
        parallelism: int(v.parallelism, 'parallelism'),
        delaySeconds: num(v.delay, 'delay'),
        monitorSeconds: num(v.monitor, 'monitor'),
        order: oneOf(v.order, 'order', ['start-first', 'stop-first'] as const),
        failureAction: oneOf(v['failure-action'], 'failure-action', ['pause', 'continue', 'rollback'] as const),
      };
      const hasRolling = Object.values(rolling).some((x) => x !== undefined);
      if (strategy === 'blue-green' && hasRolling) throw new UsageError('--parallelism, --delay, --monitor, --order and --failure-action are for --strategy rolling');
      if (strategy === 'rolling' && v['manual-promote']) throw new UsageError('--manual-promote is for --strategy blue-green');
      const body: Schemas['DeployInput'] = {
        service,
        image,
        strategy,
        ...(hasRolling ? { rolling } : {}),
        ...(v['manual-promote'] ? { blueGreen: { autoPromote: false } } : {}),
        ...(str(v.reason) ? { reason: str(v.reason) } : {}),
        ...(v['progress-deadline'] !== undefined ? { progressDeadlineSeconds: int(v['progress-deadline'], 'progress-deadline', 5) } : {}),
      };
      const d = data(await ctx.api.rest.POST('/v1/deployments', { body, params: { header: idem(ctx) } }));
      if (!ctx.json || !w.wait) ctx.io.err(`deployment ${d.id} of ${d.service} to ${d.image} (${d.strategy}) ${d.status}${d.position ? `, ${d.position} ahead of it` : ''}`);
      if (w.wait) return waitFor(ctx, d, w.timeout);
      print(ctx, d, () => d.id);
      return EXIT.OK;
    },
  },
  {
    name: 'promote',
    usage: 'promote DEPLOYMENT_ID [--wait [--timeout SECONDS]]',
    summary: 'switch traffic to a blue-green deployment awaiting promotion',
    options: { ...WAIT_OPTIONS },
    positionals: [1, 1],
    run: (ctx, v, [id]) => deploymentAction(ctx, v, id, 'promote'),
  },
  {
    name: 'cancel',
    usage: 'cancel DEPLOYMENT_ID',
    summary: 'cancel a queued or running deployment',
    options: {},
    positionals: [1, 1],
    run: (ctx, v, [id]) => deploymentAction(ctx, v, id, 'cancel'),
  },
  {
    name: 'rollback',
    usage: 'rollback DEPLOYMENT_ID [--wait [--timeout SECONDS]]',
    summary: 'roll a deployment back (a succeeded one: a new deployment to the previous image)',
    options: { ...WAIT_OPTIONS },
    positionals: [1, 1],
    run: (ctx, v, [id]) => deploymentAction(ctx, v, id, 'rollback'),
  },
  {
    name: 'deployments',
    usage: 'deployments [--service SERVICE] [--status STATUS] [--limit N]',
    summary: 'list deployments, newest first',
    options: { service: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
    positionals: [0, 0],
    async run(ctx, v) {
      const status = oneOf(v.status, 'status', ['queued', 'running', 'awaiting-promotion', 'succeeded', 'failed', 'rolled-back', 'cancelled'] as const);
      const query = { service: str(v.service), status, limit: int(v.limit, 'limit', 1) };
      const list = data(await ctx.api.rest.GET('/v1/deployments', { params: { query } }));
      print(ctx, list.items, () =>
        table(
          ['ID', 'SERVICE', 'STRATEGY', 'IMAGE', 'STATUS', 'TASKS', 'CREATED'],
          list.items.map((d) => [d.id, d.service, d.strategy, d.image, d.status, `${d.progress.updated}/${d.progress.total}`, d.createdAt]),
        ),
      );
      return EXIT.OK;
    },
  },
  {
    name: 'deployment',
    usage: 'deployment DEPLOYMENT_ID',
    summary: 'one deployment with its steps',
    options: {},
    positionals: [1, 1],
    async run(ctx, _v, [id]) {
      const d = data(await ctx.api.rest.GET('/v1/deployments/{id}', { params: { path: { id } } }));
      print(ctx, d, () =>
        [
          progressLine(d),
          `image ${d.image} (previous ${d.previousImage ?? '-'}), ${d.strategy}, by ${d.createdBy} at ${d.createdAt}`,
          ...(d.error ? [`error: ${d.error}`] : []),
          ...d.steps.map((s) => `  ${s.at}  ${s.name}${s.message ? `: ${s.message}` : ''}`),
        ].join('\n'),
      );
      return EXIT.OK;
    },
  },
  {
    name: 'plan',
    usage:
      'plan [SERVICE] [--image IMAGE] [--replicas N] [--constraint EXPR ...] [--spread LABEL ...]\n' +
      '       [--max-per-node N] [--cpus N] [--memory SIZE]',
    summary: "where Swarm's scheduler would put the tasks (a dry run: nothing changes)",
    help: 'Without SERVICE it plans a new service (--image required). --cpus/--memory are reservations.',
    options: {
      image: { type: 'string' },
      replicas: { type: 'string' },
      constraint: { type: 'string', multiple: true },
      spread: { type: 'string', multiple: true },
      'max-per-node': { type: 'string' },
      cpus: { type: 'string' },
      memory: { type: 'string' },
    },
    positionals: [0, 1],
    async run(ctx, v, [service]) {
      if (!service && !str(v.image)) throw new UsageError('plan needs SERVICE or --image');
      const constraints = v.constraint as string[] | undefined;
      const spread = v.spread as string[] | undefined;
      const maxReplicasPerNode = int(v['max-per-node'], 'max-per-node');
      const placement =
        constraints || spread || maxReplicasPerNode !== undefined
          ? { constraints, preferences: spread?.map((s) => ({ spread: s.includes('.') ? s : `node.labels.${s}` })), maxReplicasPerNode }
          : undefined;
      const cpus = num(v.cpus, 'cpus');
      const memory = str(v.memory);
      const body: Schemas['PlanPlacementInput'] = {
        ...(service ? { service } : {}),
        ...(str(v.image) ? { image: str(v.image) } : {}),
        ...(v.replicas !== undefined ? { replicas: int(v.replicas, 'replicas') } : {}),
        ...(placement ? { placement } : {}),
        ...(cpus !== undefined || memory ? { resources: { reservations: { ...(cpus !== undefined ? { cpus } : {}), ...(memory ? { memory } : {}) } } } : {}),
      };
      const p = data(await ctx.api.rest.POST('/v1/placement/plan', { body }));
      print(ctx, p, () =>
        [
          `${p.change} ${p.service ?? 'a new service'}: ${p.replicas} replicas, ${p.feasible ? 'all placed' : `${p.unschedulable} would stay pending${p.message ? ` (${p.message})` : ''}`}${p.deterministic ? '' : ' (Swarm breaks ties at random; see --json for alternatives)'}`,
          table(['NODE', 'TASKS', 'KEPT', 'ADDED'], p.tasksPerNode.map((n) => [n.hostname, n.count, n.kept, n.added])),
          ...p.excluded.map((x) => `excluded ${x.hostname} (${x.filter}): ${x.message}`),
        ].join('\n'),
      );
      return p.feasible ? EXIT.OK : EXIT.FAILED;
    },
  },
  {
    name: 'events',
    usage: 'events [--follow] [--service SERVICE] [--types TYPE,...] [--since-id ID] [--limit N]',
    summary: 'cluster events: the last ones kept, or followed live with --follow',
    help:
      'Without --follow: the last N kept events (default 20; all after --since-id), then exit.\n' +
      'With --follow: live events (after --since-id, if given) until interrupted; a dropped\n' +
      'connection resumes where it stopped (Last-Event-ID). TYPE: task, service, node, deployment, autoscaling.',
    options: { follow: { type: 'boolean', short: 'f' }, service: { type: 'string' }, types: { type: 'string' }, 'since-id': { type: 'string' }, limit: { type: 'string' } },
    positionals: [0, 0],
    async run(ctx, v) {
      const types = str(v.types)?.split(',').map((t) => t.trim()).filter(Boolean) as EventType[] | undefined;
      const since = str(v['since-id']);
      if (since !== undefined && !/^\d+-\d+$/.test(since)) throw new UsageError('--since-id must be an event id like 1700000000000-0');
      const limit = int(v.limit, 'limit', 1) ?? (since ? Infinity : 20);
      const show = (e: SwarmEvent) => ctx.io.out(ctx.json ? JSON.stringify(e) : eventLine(e));
      const stream = ctx.api.events({ types, service: str(v.service), signal: ctx.signal, lastEventId: v.follow ? since : (since ?? '0-0'), untilReplayed: !v.follow });
      if (v.follow) {
        for await (const e of stream) show(e);
        return EXIT.OK;
      }
      const last: SwarmEvent[] = [];
      for await (const e of stream) {
        last.push(e);
        if (last.length > limit) last.shift();
      }
      last.forEach(show);
      return EXIT.OK;
    },
  },
  {
    name: 'logs',
    usage: 'logs [-f] SERVICE [--tail N|all] [--since TIME] [--timestamps]',
    summary: "a service's logs; -f follows them until the service goes away or you stop",
    options: { follow: { type: 'boolean', short: 'f' }, tail: { type: 'string' }, since: { type: 'string' }, timestamps: { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, v, [service]) {
      const tail = str(v.tail);
      if (tail !== undefined && tail !== 'all' && !/^\d+$/.test(tail)) throw new UsageError('--tail must be a number or all');
      if (v.follow) {
        for await (const l of ctx.api.followLogs(service, { tail: tail === undefined ? undefined : tail === 'all' ? 'all' : Number(tail), since: str(v.since), timestamps: !!v.timestamps, signal: ctx.signal })) {
          ctx.io.out(ctx.json ? JSON.stringify(l) : `${l.service}${l.slot !== null ? `.${l.slot}` : ''}@${l.node ?? '?'} | ${v.timestamps && l.timestamp ? `${l.timestamp} ` : ''}${l.message}`);
        }
        return EXIT.OK;
      }
      const query = { tail, since: str(v.since), ...(v.timestamps ? { timestamps: true } : {}) };
      const text = data(await ctx.api.rest.GET('/v1/services/{name}/logs', { params: { path: { name: service }, query }, parseAs: 'text' }));
      if (ctx.json) ctx.io.out(JSON.stringify(text.split('\n').filter(Boolean)));
      else if (text) ctx.io.out(text.replace(/\n$/, ''));
      return EXIT.OK;
    },
  },
  {
    name: 'autoscale',
    usage: 'autoscale SERVICE [--min N --max N (--cpu PERCENT | --memory PERCENT) [--dry-run]] [--off]',
    summary: "show, set or remove a service's autoscaling policy",
    help: 'Without settings it shows the policy. --cpu 60: keep the average CPU near 60 % of the tasks\' limit (or reservation).',
    options: { min: { type: 'string' }, max: { type: 'string' }, cpu: { type: 'string' }, memory: { type: 'string' }, 'dry-run': { type: 'boolean' }, off: { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, v, [name]) {
      const setting = ['min', 'max', 'cpu', 'memory', 'dry-run'].some((k) => v[k] !== undefined);
      if (v.off) {
        if (setting) throw new UsageError('--off takes no other settings');
        data(await ctx.api.rest.DELETE('/v1/services/{name}/autoscaling', { params: { path: { name }, header: idem(ctx) } }));
        print(ctx, { service: name, removed: true }, () => `autoscaling of ${name} removed`);
        return EXIT.OK;
      }
      let policy: Schemas['AutoscalingPolicyView'];
      if (setting) {
        const minReplicas = int(v.min, 'min');
        const maxReplicas = int(v.max, 'max', 1);
        if (minReplicas === undefined || maxReplicas === undefined) throw new UsageError('--min and --max are required');
        if ((v.cpu === undefined) === (v.memory === undefined)) throw new UsageError('give one of --cpu or --memory (a target percent)');
        const metric = v.cpu !== undefined ? 'cpu' : 'memory';
        const targetPercent = num(v.cpu ?? v.memory, metric) as number;
        policy = data(
          await ctx.api.rest.PUT('/v1/services/{name}/autoscaling', {
            params: { path: { name }, header: idem(ctx) },
            body: { minReplicas, maxReplicas, metric, targetPercent, ...(v['dry-run'] ? { dryRun: true } : {}) },
          }),
        );
      } else {
        policy = data(await ctx.api.rest.GET('/v1/services/{name}/autoscaling', { params: { path: { name } } }));
      }
      print(ctx, policy, () => `${policy.service}: ${policy.minReplicas}..${policy.maxReplicas} replicas, ${policy.metric} target ${policy.targetPercent} %${policy.enabled ? '' : ' (disabled)'}${policy.dryRun ? ' (dry run)' : ''}`);
      return EXIT.OK;
    },
  },
];

