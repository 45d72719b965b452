import Redis from 'ioredis';
import { engine, nodeEngines, waitFor } from './harness';
import { labScript } from './lab-nodes';

/** Task states that still hold a node: the task runs, or is about to, or is shutting down. */
const BUSY = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

const say = (msg: string) => process.stdout.write(`# quiet cluster: ${msg}\n`);

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const v = await fn();
  const ms = Date.now() - t0;
  if (ms >= 1000) say(`waited ${(ms / 1000).toFixed(1)} s for ${what}`);
  return v;
}

/** Every lab node's engine answers (a suite may have stopped one and failed before restarting it). */
async function enginesUp(): Promise<void> {
  const engines = Object.entries(nodeEngines());
  for (const [host, docker] of engines) {
    if (await docker.ping().then(() => true, () => false)) continue;
    const k = /-node-(\d+)$/.exec(host)?.[1];
    if (!k) throw new Error(`cannot tell the lab node number of ${host}`);
    say(`${host}'s engine was down: starting it`);
    await labScript('start-node', k);
  }
}

/** Every node Ready and Active, with no labels (the lab's nodes carry none of their own). */
async function nodesReset(): Promise<void> {
  const docker = engine();
  await waitFor(
    'every node ready, active and unlabelled',
    async () => {
      let clean = true;
      for (const n of (await docker.listNodes()) as any[]) {
        if (n.Status.State !== 'ready') clean = false;
        if (n.Spec.Availability === 'active' && Object.keys(n.Spec.Labels ?? {}).length === 0) continue;
        clean = false;
        try {
          await docker.getNode(n.ID).update({ ...n.Spec, Labels: {}, Availability: 'active', version: n.Version.Index } as any);
        } catch {
          // raced with another write: the next round reads again
        }
      }
      return clean;
    },
    90_000,
    250,
  );
}

/**
 * No service, and no task container left running on any node. Containers still running after
 * their service was removed (a long stop grace period, a signal PID 1 ignores) are killed.
 */
async function servicesGone(): Promise<void> {
  const docker = engine();
  const services = (await docker.listServices()) as any[];
  if (services.length) say(`removing ${services.length} service(s) left on the lab: ${services.map((s) => s.Spec.Name).join(', ')}`);
  await Promise.all(services.map((s) => docker.getService(s.ID).remove().catch(() => undefined)));
  await waitFor(
    'no task of any service holding a node',
    async () => {
      if (((await docker.listServices()) as any[]).length) return false;
      let quiet = !((await docker.listTasks()) as any[]).some((t) => BUSY.has(t.Status.State));
      for (const node of Object.values(nodeEngines())) {
        const running = (await node.listContainers({ filters: { label: ['com.docker.swarm.task.id'] } })) as any[];
        if (running.length) quiet = false;
        await Promise.all(running.map((c) => node.getContainer(c.Id).kill().catch(() => undefined)));
      }
      return quiet;
    },
    90_000,
    250,
  );
}

/** Overlay networks, secrets and configs tests made (the swarm's own ingress stays). */
async function leftoversGone(): Promise<void> {
  const docker = engine();
  const nets = ((await docker.listNetworks({ filters: { driver: ['overlay'] } })) as any[]).filter((n) => !n.Ingress && n.Name !== 'ingress');
  await Promise.all(nets.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
  const secrets = (await docker.listSecrets()) as any[];
  await Promise.all(secrets.map((s) => docker.getSecret(s.ID).remove().catch(() => undefined)));
  const configs = (await docker.listConfigs()) as any[];
  await Promise.all(configs.map((c) => docker.getConfig(c.ID).remove().catch(() => undefined)));
}

/** Swarm settings a suite may have changed: the dispatcher heartbeat (how soon a stopped node is Down). */
async function swarmDefaults(): Promise<void> {
  const docker = engine();
  const swarm: any = await docker.swarmInspect();
  if (swarm.Spec.Dispatcher?.HeartbeatPeriod === 5e9) return;
  say(`dispatcher heartbeat was ${swarm.Spec.Dispatcher?.HeartbeatPeriod / 1e9} s: back to 5 s`);
  await docker.swarmUpdate({ _query: { version: swarm.Version.Index }, _body: { ...swarm.Spec, Dispatcher: { HeartbeatPeriod: 5e9 } } } as any);
}

/**
 * Every e2e suite starts here: the test lab (its own, never the one `npm run serve` uses) holds
 * nothing an earlier suite made - no service, no task still running or shutting down, every
 * node's engine up, Ready, Active and unlabelled, no test network - and the test Redis is
 * empty. Prints what it had to wait for, so a slow start is explained rather than hidden.
 */
export async function quietCluster(opts: { redis?: boolean } = {}): Promise<void> {
  await timed('every node engine up', enginesUp);
  await timed('the services of earlier suites to stop', servicesGone);
  await timed('test networks, secrets and configs to go', leftoversGone);
  await timed('nodes ready, active and unlabelled', nodesReset);
  await swarmDefaults();
  if (opts.redis !== false) {
    const r = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      await r.flushdb();
    } finally {
      r.disconnect();
    }
  }
}
