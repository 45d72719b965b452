import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { client, engine, engineCreateService, nodeEngines, runningTasks, tokensFile, TOKENS, waitFor } from '../support/harness';
import { labNodes, labScript } from '../support/lab-nodes';
import { quietCluster } from '../support/quiet';
import { Balancer, dockerCli, EventFollower, execIn, getOnce, labImages, stackDeploy, stackRemove } from '../support/stack';

/**
 * The control plane deployed the Swarm way (deploy/stack.yml) on the lab it manages: api and
 * worker replicas with the manager's socket, an agent on every node, Redis - and no engine
 * socket of a worker node reachable by the api except through its agent (no NODE_ENGINES).
 *
 * The lab differs from a real swarm where the stack file says so: one manager, so api and worker
 * may run on any node with the manager's socket path (lab nodes share this machine's
 * filesystem); host-mode publishing (no routing mesh), so clients reach the API through a TCP
 * balancer over every node's published port, as they would through a load balancer in front of
 * the managers.
 */

const STACK = 'cpstk';
const PORT = 3000;
const AGENT_PORT = 9810;
const TOKENS_SECRET = 't-stk-api-tokens';
const AGENT_SECRET = 't-stk-agent-secret';
const SVC = { web: 't-stk-web', everywhere: 't-stk-everywhere', burner: 't-stk-burner' };
const NEVER_DONE = ['succeeded', 'failed', 'rolled-back', 'cancelled'];
const TICKER = ['sh', '-c', 'while :; do echo tick; sleep 1; done'];
const t0 = Date.now();
const say = (msg: string) => process.stdout.write(`# stack: ${msg} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);

type Api = ReturnType<typeof client>;

async function service(name: string): Promise<any> {
  return engine().getService(name).inspect();
}

/** Running tasks of a stack service, each with its node's hostname and container. */
async function stackTasks(svc: string): Promise<Array<{ id: string; node: string; containerId: string; image: string; addresses: string[] }>> {
  const nodes = new Map((await labNodes()).map((n) => [n.id, n.hostname]));
  const tasks = (await engine().listTasks({ filters: { service: [`${STACK}_${svc}`], 'desired-state': ['running'] } })) as any[];
  return tasks
    .filter((t) => t.Status.State === 'running')
    .map((t) => ({
      id: t.ID,
      node: nodes.get(t.NodeID) ?? '',
      containerId: t.Status.ContainerStatus?.ContainerID ?? '',
      image: t.Spec.ContainerSpec.Image,
      addresses: (t.NetworksAttachments ?? []).flatMap((a: any) => (a.Addresses ?? []).map((x: string) => x.split('/')[0])),
    }));
}

/** Every service of the stack converged: its tasks running (and healthy) at the given image. */
async function stackConverged(image: string, agents: number): Promise<boolean> {
  const want: Record<string, number> = { api: 2, worker: 2, agent: agents, redis: 1 };
  for (const [svc, n] of Object.entries(want)) {
    const tasks = await stackTasks(svc);
    if (tasks.length !== n) return false;
    if (svc !== 'redis' && tasks.some((t) => !t.image.startsWith(image))) return false;
  }
  for (const svc of ['api', 'worker']) {
    const s = await service(`${STACK}_${svc}`);
    if (s.UpdateStatus && s.UpdateStatus.State !== 'completed') return false;
  }
  return true;
}

/** A Node script run inside an api container: asks every agent, with the given credentials. */
const PROBE = `
const dns = require('node:dns').promises;
const fs = require('node:fs');
const [name, port, apiToken, containers, since] = process.argv.slice(1);
const secret = fs.readFileSync('/run/secrets/agent_secret', 'utf8').trim();
const ask = async (addr, path, auth, method = 'GET') => {
  const r = await fetch('http://' + addr + ':' + port + path, { method, headers: auth ? { authorization: auth } : {} });
  return { status: r.status, body: await r.text() };
};
(async () => {
  const out = {};
  for (const addr of await dns.resolve4(name)) {
    const node = JSON.parse((await ask(addr, '/v1/node', 'Bearer ' + secret)).body).hostname;
    const c = JSON.parse(containers)[node];
    out[node] = {
      addr,
      none: await ask(addr, '/v1/node'),
      wrong: await ask(addr, '/v1/node', 'Bearer ' + 'x'.repeat(secret.length)),
      apiToken: await ask(addr, '/v1/node', 'Bearer ' + apiToken),
      apiTokenStats: await ask(addr, '/v1/containers/' + c + '/stats', 'Bearer ' + apiToken),
      basic: await ask(addr, '/v1/node', 'Basic ' + Buffer.from('x:' + secret).toString('base64')),
      engineApi: await ask(addr, '/containers/json', 'Bearer ' + secret),
      engineVersioned: await ask(addr, '/v1.41/info', 'Bearer ' + secret),
      ping: await ask(addr, '/_ping', 'Bearer ' + secret),
      post: await ask(addr, '/v1/node', 'Bearer ' + secret, 'POST'),
      notATask: await ask(addr, '/v1/containers/' + 'f'.repeat(64) + '/stats', 'Bearer ' + secret),
      logs: await ask(addr, '/v1/containers/' + c + '/logs?tail=3', 'Bearer ' + secret),
      events: await ask(addr, '/v1/events?since=' + since + '&until=' + Math.ceil(Date.now() / 1000) + '&event=start', 'Bearer ' + secret),
    };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stdout.write('probe failed: ' + e.stack); process.exit(1); });
`;

/** Whether anything accepts a TCP connection at host:port (from this machine). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect({ host, port });
    s.setTimeout(2000, () => (s.destroy(), ok(false)));
    s.once('connect', () => (s.destroy(), ok(true)));
    s.once('error', () => ok(false));
  });
}

describe('stack: the control plane deployed on the swarm it manages, with node agents', () => {
  let images: Record<string, string>;
  let vars: Record<string, string>;
  let balancer: Balancer;
  let url: string;
  let api: Api;
  let hostnames: string[];
  let addrs: Record<string, string>;

  before(async () => {
    await quietCluster();
    const docker = engine();
    await stackRemove(STACK); // volumes a killed run left behind
    images = await labImages();
    say(`images ${images.CP_IMAGE} ready on every node`);
    hostnames = (await labNodes()).map((n) => n.hostname);
    assert.equal(hostnames.length, 3, 'the lab has three nodes');
    addrs = Object.fromEntries((process.env.LAB_NODE_ADDRS ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
    // The manager marks a node whose engine stopped Down after 3 heartbeat periods and then
    // shuts its tasks down. A 60 s period keeps a stopped node's tasks listed for minutes, far
    // longer than the stopped-node test needs (restored in after()).
    await dockerCli('swarm', 'update', '--dispatcher-heartbeat', '60s');
    await docker.createSecret({ Name: TOKENS_SECRET, Data: readFileSync(tokensFile()).toString('base64') } as any);
    await docker.createSecret({ Name: AGENT_SECRET, Data: Buffer.from(randomBytes(32).toString('hex')).toString('base64') } as any);
    const manager = (await labNodes()).find((n) => n.role === 'manager')!;
    const m: any = await docker.getNode(manager.id).inspect();
    await docker.getNode(manager.id).update({ ...m.Spec, Labels: { ...m.Spec.Labels, 'swarm-cp.redis': 'true' }, version: m.Version.Index } as any);
    vars = {
      CP_IMAGE: images.CP_IMAGE,
      CP_REDIS_IMAGE: images.CP_REDIS_IMAGE,
      CP_API_PORT: String(PORT),
      CP_PUBLISH_MODE: 'host',
      CP_MANAGER_CONSTRAINT: 'node.platform.os == linux',
      CP_ENGINE_SOCKET: images.CP_MANAGER_SOCKET,
      CP_AGENT_SOCKET: `${images.CP_NODE_SOCKETS}/{{.Node.Hostname}}.sock`,
      CP_AUTOSCALE_INTERVAL_SECONDS: '2',
      CP_TOKENS_SECRET: TOKENS_SECRET,
      CP_AGENT_SECRET: AGENT_SECRET,
      CP_LOG_LEVEL: 'warn',
    };
    await Promise.all([
      stackDeploy(STACK, vars),
      engineCreateService(SVC.web, { replicas: 1 }),
      // One task on every node, printing a line a second: stats and logs come from each node's agent.
      engineCreateService(SVC.everywhere, {
        extra: {
          top: { Mode: { Global: {} }, UpdateConfig: { Parallelism: 0 } },
          TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Command: TICKER, StopGracePeriod: 1e9 } },
        },
      }),
    ]);
    balancer = new Balancer(hostnames.map((h) => ({ host: addrs[h], port: PORT })));
    url = await balancer.listen();
    api = client(url);
    say('stack deployed');
    await waitFor('the stack running and healthy', () => stackConverged(images.CP_IMAGE, 3), 240_000, 1000);
    await waitFor('the api ready through the balancer', async () => (await getOnce(`${url}/health/ready`, TOKENS.admin)).status === 200, 60_000, 500);
    say('stack running and healthy');
  });

  after(async () => {
    await balancer?.close();
    if (hostnames) await labScript('start-node', '3').catch(() => undefined);
    await stackRemove(STACK);
    const docker = engine();
    for (const s of ((await docker.listServices()) as any[]).filter((x) => x.Spec.Name.startsWith('t-stk-'))) await docker.getService(s.ID).remove().catch(() => undefined);
    for (const name of [TOKENS_SECRET, AGENT_SECRET]) await docker.getSecret(name).remove().catch(() => undefined);
    await dockerCli('swarm', 'update', '--dispatcher-heartbeat', '5s');
  });

  it('the stack runs without NODE_ENGINES: api and worker find the agents through Swarm DNS', async () => {
    for (const svc of ['api', 'worker']) {
      const env: string[] = (await service(`${STACK}_${svc}`)).Spec.TaskTemplate.ContainerSpec.Env;
      assert.ok(!env.some((e) => e.startsWith('NODE_ENGINES=')), `${svc} has NODE_ENGINES`);
      assert.ok(env.includes(`AGENT_DNS=tasks.{{index .Service.Labels "com.docker.stack.namespace"}}_agent`), env.join(' '));
    }
    assert.deepEqual((await stackTasks('agent')).map((t) => t.node).sort(), hostnames);
  });

  it('reads through the published address equal the engine', async () => {
    await waitFor('GET /v1/services equal to the engine', async () => {
      const [r, fromEngine] = await Promise.all([api.get('/v1/services'), engine().listServices() as Promise<any[]>]);
      assert.equal(r.status, 200, r.text);
      const mine = new Map(r.body.items.map((s: any) => [s.id, s]));
      return r.body.items.length === fromEngine.length && fromEngine.every((s) => (mine.get(s.ID) as any)?.name === s.Spec.Name && (mine.get(s.ID) as any)?.version === s.Version.Index);
    });
    const nodes = await api.get('/v1/nodes');
    const fromEngine = (await engine().listNodes()) as any[];
    assert.deepEqual(
      nodes.body.items.map((n: any) => [n.id, n.hostname, n.role, n.state]).sort(),
      fromEngine.map((n) => [n.ID, n.Description.Hostname, n.Spec.Role, n.Status.State]).sort(),
    );
    const tasks = await api.get(`/v1/services/${SVC.everywhere}/tasks`);
    assert.deepEqual(tasks.body.items.map((t: any) => t.nodeName).sort(), hostnames);
  });

  it('a scale through the api reaches the engine', async () => {
    const r = await api.put(`/v1/services/${SVC.web}/replicas`, { replicas: 3 });
    assert.equal(r.status, 200, r.text);
    assert.equal((await service(SVC.web)).Spec.Mode.Replicated.Replicas, 3);
    await waitFor('3 running web tasks', async () => (await runningTasks(SVC.web)).length === 3, 60_000);
  });

  it('stats: the task on every node answers through that node agent', async () => {
    const stats = await waitFor('stats of every node', async () => {
      const r = await api.get(`/v1/services/${SVC.everywhere}/stats`);
      assert.equal(r.status, 200, r.text);
      return r.body.tasks.length === 3 && r.body.tasks.every((t: any) => t.available) ? r.body : null;
    }, 30_000, 500);
    assert.deepEqual(stats.tasks.map((t: any) => t.nodeName).sort(), hostnames);
    for (const t of stats.tasks) assert.ok(t.memoryBytes > 0 && t.memoryLimitBytes > 0, JSON.stringify(t));
    assert.equal(stats.total.available, 3);
  });

  it('agents: not published, bound to the stack network only, and refusing anyone without the shared secret', async () => {
    const agent = await service(`${STACK}_agent`);
    assert.deepEqual(agent.Endpoint?.Ports ?? [], []);
    assert.equal(agent.Spec.EndpointSpec?.Mode, 'dnsrr');
    for (const h of hostnames) assert.equal(await accepts(addrs[h], AGENT_PORT), false, `${h}:${AGENT_PORT} accepts connections`);
    const engines = nodeEngines();
    // Each agent listens on one address: its own on the stack's network.
    for (const t of await stackTasks('agent')) {
      const tcp = await execIn(engines[t.node], t.containerId, ['node', '-e', "process.stdout.write(require('fs').readFileSync('/proc/net/tcp','utf8'))"]);
      const port = `:${AGENT_PORT.toString(16).toUpperCase().padStart(4, '0')}`;
      const listening = tcp.output
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[3] === '0A' && f[1].endsWith(port))
        .map((f) => f[1]);
      const hex = (ip: string) => ip.split('.').reverse().map((o) => Number(o).toString(16).padStart(2, '0')).join('').toUpperCase();
      assert.deepEqual(listening, [`${hex(t.addresses[0])}${port}`], `${t.node}: ${tcp.output}`);
    }
    // Fresh container starts on every node (the engine keeps only its last 256 events).
    const since = Math.floor(Date.now() / 1000) - 1;
    const spec = await service(SVC.everywhere);
    await engine().getService(spec.ID).update({ ...spec.Spec, TaskTemplate: { ...spec.Spec.TaskTemplate, ForceUpdate: (spec.Spec.TaskTemplate.ForceUpdate ?? 0) + 1 }, version: spec.Version.Index } as any);
    await waitFor('a new ticker task on every node', async () => {
      const s = await service(SVC.everywhere);
      const tasks = await runningTasks(SVC.everywhere);
      return s.UpdateStatus?.State === 'completed' && tasks.length === 3 && tasks.every((t: any) => Date.parse(t.Status.Timestamp) >= since * 1000);
    }, 90_000, 500);
    // From inside the stack network (an api container), with and without the secret.
    const containers = Object.fromEntries(
      await Promise.all(
        hostnames.map(async (h) => {
          const [c] = (await engines[h].listContainers({ filters: { label: [`com.docker.swarm.service.name=${SVC.everywhere}`], status: ['running'] } })) as any[];
          return [h, c.Id];
        }),
      ),
    );
    for (const h of hostnames) {
      await waitFor(`a first line in ${h}'s new ticker`, async () => String(await engines[h].getContainer(containers[h]).logs({ stdout: true, tail: 1 })).includes('tick'));
    }
    const [apiTask] = await stackTasks('api');
    const probe = await execIn(engines[apiTask.node], apiTask.containerId, ['node', '-e', PROBE, `tasks.${STACK}_agent`, String(AGENT_PORT), TOKENS.admin, JSON.stringify(containers), String(since)]);
    assert.equal(probe.exitCode, 0, probe.output);
    const byNode = JSON.parse(probe.output);
    assert.deepEqual(Object.keys(byNode).sort(), hostnames);
    for (const [node, r] of Object.entries<any>(byNode)) {
      for (const k of ['none', 'wrong', 'apiToken', 'apiTokenStats', 'basic']) {
        assert.equal(r[k].status, 401, `${node} ${k}: ${r[k].body}`);
        assert.equal(JSON.parse(r[k].body).code, 'UNAUTHENTICATED');
        assert.doesNotMatch(r[k].body, new RegExp(node), 'an agent told an unauthenticated caller its node');
      }
      for (const k of ['engineApi', 'engineVersioned', 'ping', 'post', 'notATask']) assert.equal(r[k].status, 404, `${node} ${k}: ${r[k].body}`);
      // With the secret: its own node's task container log and container events.
      assert.equal(r.logs.status, 200, r.logs.body);
      assert.match(r.logs.body, /tick/);
      assert.equal(r.events.status, 200, r.events.body);
      const started = r.events.body.trim().split('\n').map((l: string) => JSON.parse(l));
      assert.ok(started.some((e: any) => e.Actor.Attributes['com.docker.swarm.service.name'] === SVC.everywhere && e.id === containers[node]), `${node}: ${r.events.body.slice(0, 500)}`);
      assert.ok(started.every((e: any) => e.Type === 'container' && e.Action === 'start' && e.Actor.Attributes['com.docker.swarm.task.id']));
    }
  });

  it('autoscaling scales a CPU-burning service up through agents, and back down after a rolling deployment to an idle image', async () => {
    await engineCreateService(SVC.burner, {
      image: 'lab/burner:v1',
      extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/burner:v1', StopGracePeriod: 1e9 }, Resources: { Limits: { NanoCPUs: 0.1e9 } } } },
    });
    await waitFor('the burner running', async () => (await runningTasks(SVC.burner)).length === 1, 60_000);
    const policy = { minReplicas: 1, maxReplicas: 2, metric: 'cpu', targetPercent: 50, scaleUpCooldownSeconds: 2, scaleDownStabilizationSeconds: 4 };
    const put = await api.put(`/v1/services/${SVC.burner}/autoscaling`, policy);
    assert.equal(put.status, 200, put.text);
    await waitFor('the burner at 2 replicas in the engine', async () => (await service(SVC.burner)).Spec.Mode.Replicated.Replicas === 2, 90_000, 500);
    const up = (await api.get(`/v1/autoscaling/decisions?service=${SVC.burner}`)).body.items.find((d: any) => d.applied && d.action === 'scale-up');
    assert.ok(up && up.inputs.average > 55, JSON.stringify(up));

    const dep = await api.post('/v1/deployments', {
      service: SVC.burner,
      image: 'lab/web:v1',
      strategy: 'rolling',
      rolling: { parallelism: 1, delaySeconds: 0, monitorSeconds: 0.5, order: 'stop-first' },
    });
    assert.equal(dep.status, 202, dep.text);
    const done = await waitFor('the deployment to end', async () => {
      const d = (await api.get(`/v1/deployments/${dep.body.id}`)).body;
      return NEVER_DONE.includes(d.status) ? d : null;
    }, 120_000, 500);
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.equal((await service(SVC.burner)).Spec.TaskTemplate.ContainerSpec.Image, 'lab/web:v1');
    await waitFor('the burner back at 1 replica', async () => (await service(SVC.burner)).Spec.Mode.Replicated.Replicas === 1, 90_000, 500);
    assert.equal((await api.delete(`/v1/services/${SVC.burner}/autoscaling`)).status, 204);
  });

  it("upgrading the control plane's own stack: an events follower misses nothing and no request fails outside the retry it is told to do", async () => {
    const next = `${images.CP_IMAGE}-next`;
    const [repo, tag] = next.split(':');
    for (const node of Object.values(nodeEngines())) await node.getImage(images.CP_IMAGE).tag({ repo, tag });

    const follower = new EventFollower(`${url}/v1/events`, TOKENS.admin);
    follower.start();
    await waitFor('the follower connected', async () => follower.connects === 1, 30_000, 100);
    const failures: string[] = [];
    let requests = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        requests++;
        try {
          const r = await getOnce(`${url}/v1/services`, TOKENS.viewer);
          if (r.status !== 200) failures.push(`GET /v1/services answered ${r.status}: ${r.body.slice(0, 200)}`);
        } catch (e) {
          failures.push(`GET /v1/services failed: ${(e as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    await stackDeploy(STACK, { ...vars, CP_IMAGE: next });
    say('upgrade deployed');
    await waitFor('api and worker upgraded', () => stackConverged(next, 3), 300_000, 1000);
    say('upgrade converged');
    // A change after the upgrade, seen live by the follower: it is connected to a new replica.
    const scaled = await api.put(`/v1/services/${SVC.web}/replicas`, { replicas: 1 });
    assert.equal(scaled.status, 200, scaled.text);
    const isMarker = (e: { type: string; data: any }) => e.type === 'service' && e.data?.service === SVC.web && e.data?.replicas === 1;
    const marker = await waitFor('the follower to see the scale-down', async () => follower.events.find(isMarker), 30_000, 200).catch(async (e) => {
      // Tell apart "never published" from "the follower no longer hears the stream".
      const check = new EventFollower(`${url}/v1/events`, TOKENS.admin);
      if (follower.events.length) check.events.push(follower.events.at(-1)!);
      check.start();
      const seen = await waitFor('a fresh stream to replay the scale-down', async () => check.events.some(isMarker), 15_000, 200).then(() => true, () => false);
      check.stop();
      throw new Error(`${(e as Error).message}; follower: ${follower.describe()}; a fresh stream from its last id ${seen ? 'has' : 'lacks'} it (${check.describe()})`);
    });
    polling = false;
    await poll;
    follower.stop();

    say(`upgrade: ${requests} requests, ${follower.events.length} events, the stream ended ${follower.ended} time(s), the balancer redispatched ${balancer.retried} connection(s)`);
    assert.deepEqual(failures, [], `${failures.length} of ${requests} requests failed`);
    assert.deepEqual(follower.failures, []);
    assert.equal(balancer.unserved, 0);
    assert.ok(follower.ended >= 1, 'the follower never had to reconnect: the upgrade did not replace its replica');
    // Across its reconnects the follower got exactly the stream's events, in order, once each.
    const ids = follower.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'an event arrived twice');
    const replay = new EventFollower(`${url}/v1/events`, TOKENS.admin);
    replay.events.push(follower.events[0]);
    replay.start();
    await waitFor('the replay to reach the marker', async () => replay.events.some((e) => e.id === marker.id), 30_000, 100);
    replay.stop();
    const upTo = replay.events.findIndex((e) => e.id === marker.id);
    assert.deepEqual(ids.slice(0, ids.indexOf(marker.id) + 1), replay.events.slice(0, upTo + 1).map((e) => e.id));
  });

  it("a stopped worker node: its stats are unavailable with the reason, the other nodes answer, the api stays ready", async () => {
    const stopped = hostnames[2];
    const k = stopped.replace(/^.*-node-/, '');
    try {
      await labScript('stop-node', k);
      const stats = await waitFor(`${stopped} reported unavailable`, async () => {
        const r = await api.get(`/v1/services/${SVC.everywhere}/stats`);
        assert.equal(r.status, 200, r.text);
        const t = r.body.tasks.find((x: any) => x.nodeName === stopped);
        return t && !t.available ? r.body : null;
      }, 30_000, 500);
      // The manager still lists the node's task (it has not marked the node down): the answer
      // above was about the node, not about a task gone from the list.
      const node: any = (await engine().listNodes()).find((n: any) => n.Description.Hostname === stopped);
      assert.equal(node.Status.State, 'ready', 'the manager marked the node down already');
      const gone = stats.tasks.find((t: any) => t.nodeName === stopped);
      assert.match(gone.reason, new RegExp(`${stopped}.*(unreachable|did not answer|no node agent)`), gone.reason);
      assert.equal(gone.cpuPercent, null);
      for (const t of stats.tasks.filter((x: any) => x.nodeName !== stopped)) assert.equal(t.available, true, JSON.stringify(t));
      assert.equal(stats.total.available, 2);
      assert.equal((await getOnce(`${url}/health/ready`, TOKENS.admin)).status, 200);
      assert.equal((await api.get('/v1/services')).status, 200);
    } finally {
      // The last test: after() removes the stack without waiting for the node's tasks to return.
      await labScript('start-node', k);
    }
  });
});
