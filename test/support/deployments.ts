import assert from 'node:assert/strict';
import { client, engine, nodeEngines, waitFor } from './harness';

type Api = ReturnType<typeof client>;

export const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];

/** Polls a deployment until `pred` holds; returns the record. */
export async function waitDeployment(api: Api, id: string, pred: (d: any) => boolean, what: string, timeoutMs = 90_000): Promise<any> {
  let last: any;
  try {
    return await waitFor(
      `deployment ${id} ${what}`,
      async () => {
        const r = await api.get(`/v1/deployments/${id}`);
        last = r.body;
        return r.status === 200 && pred(r.body) ? r.body : null;
      },
      timeoutMs,
      100,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen: ${JSON.stringify({ status: last?.status, steps: last?.steps?.map((s: any) => s.name), error: last?.error })}`);
  }
}

export const finished = (api: Api, id: string, timeoutMs?: number) => waitDeployment(api, id, (d) => TERMINAL.includes(d.status), 'to finish', timeoutMs);

/** Each step name at most once: a resumed run never repeats an action it had recorded. */
export function assertNoDuplicateSteps(d: any): void {
  const names = d.steps.map((s: any) => s.name);
  assert.deepEqual(names, [...new Set(names)], `duplicate steps in ${names.join(', ')}`);
}

export async function createNetwork(name: string): Promise<string> {
  const net: any = await engine().createNetwork({ Name: name, Driver: 'overlay', Attachable: true, CheckDuplicate: true });
  return net.id;
}

export async function removeNetwork(name: string): Promise<void> {
  await waitFor(`network ${name} removed`, async () => {
    try {
      await engine().getNetwork(name).remove();
      return true;
    } catch (e: any) {
      return e?.statusCode === 404;
    }
  }, 30_000, 500).catch(() => undefined);
}

/** Runs `cmd` in the running task container of `service` through the engine of its node. */
export async function execInService(service: string, cmd: string[]): Promise<string> {
  const docker = engine();
  const tasks: any[] = await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
  const t = tasks.find((x) => x.Status.State === 'running' && x.Status.ContainerStatus?.ContainerID);
  if (!t) throw new Error(`no running task of ${service}`);
  const node: any = await docker.getNode(t.NodeID).inspect();
  const d = nodeEngines()[node.Description.Hostname] ?? docker;
  const ex = await d.getContainer(t.Status.ContainerStatus.ContainerID).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream: any = await ex.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((res, rej) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', res);
    stream.on('error', rej);
  });
  return demux(Buffer.concat(chunks));
}

function demux(buf: Buffer): string {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && buf[i + 1] === 0 && buf[i] <= 2) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return i === 0 ? buf.toString() : Buffer.concat(out).toString();
}

/** What `http://<alias>/` answers from inside the network, asked `n` times (dnsrr rotates). */
export async function aliasAnswers(probeService: string, alias: string, n = 6): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    // nc, not wget: the lab's static busybox wget crashes on overlay addresses.
    const out = await execInService(probeService, ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${alias} 80`]).catch((e) => `error: ${e.message}`);
    const i = out.search(/\r?\n\r?\n/);
    seen.add((i >= 0 ? out.slice(i) : out).trim() || 'no answer');
  }
  return seen;
}

/**
 * A health check that holds new tasks: healthy at once on lab/web:v1, on any other image only
 * once /tmp/go exists in the container. Swarm reports a task `starting` until its container is
 * healthy, so a rolling update or a green colour waits - for as long as the test wants - until
 * `letThrough` touches the file. The start period keeps the failing checks from counting.
 */
export const HELD_HEALTHCHECK = {
  Test: ['CMD-SHELL', 'grep -q v1 /www/index.html || test -f /tmp/go'],
  Interval: 200_000_000,
  Timeout: 2_000_000_000,
  Retries: 3,
  StartPeriod: 3_600_000_000_000,
};

/**
 * Starts a rolling deployment of `service` to lab/web:v2, one task at a time, new before old:
 * with HELD_HEALTHCHECK each new task waits in `starting` until let through. Returns its id.
 */
export async function startHeldRolling(api: Api, service: string): Promise<string> {
  const res = await api.post('/v1/deployments', {
    service,
    image: 'lab/web:v2',
    strategy: 'rolling',
    rolling: { parallelism: 1, delaySeconds: 0, monitorSeconds: 0.5, order: 'start-first' },
  });
  assert.equal(res.status, 202, res.text);
  return res.body.id;
}

/** Lets the held tasks of `service` through (see HELD_HEALTHCHECK), as they appear, until `done()`. */
export async function letThrough(service: string, done: () => Promise<boolean>): Promise<void> {
  const docker = engine();
  const engines = nodeEngines();
  const passed = new Set<string>();
  while (!(await done())) {
    const tasks: any[] = await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
    for (const t of tasks) {
      const id = t.Status.ContainerStatus?.ContainerID;
      if (t.Status.State !== 'starting' || !id || passed.has(id)) continue;
      const node: any = await docker.getNode(t.NodeID).inspect();
      const d = engines[node.Description.Hostname] ?? docker;
      const ex = await d.getContainer(id).exec({ Cmd: ['touch', '/tmp/go'] });
      await ex.start({ Detach: true });
      passed.add(id);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** kill -9 of every running task container of `service`, through the engines of their nodes. */
export async function killTasks(service: string): Promise<number> {
  const docker = engine();
  const engines = nodeEngines();
  const tasks: any[] = await docker.listTasks({ filters: { service: [service] } });
  let killed = 0;
  for (const t of tasks) {
    const id = t.Status.ContainerStatus?.ContainerID;
    if (t.Status.State !== 'running' || !id) continue;
    const node: any = await docker.getNode(t.NodeID).inspect();
    await (engines[node.Description.Hostname] ?? docker).getContainer(id).kill().then(() => killed++, () => undefined);
  }
  return killed;
}
