import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { client, engine, nodeEngines, testEnv, waitFor } from './harness';

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

/** The worker as its own process (`node dist/main.js`, ROLE=worker), so a test can kill -9 it. */
export class WorkerProcess {
  private child?: ChildProcess;
  private log = '';

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const env = { ...process.env, ...testEnv({ ROLE: 'worker', LOG_LEVEL: 'info', ...this.env }) };
    this.child = spawn(process.execPath, [join(process.cwd(), 'dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.log += d.toString();
        if (this.log.includes('listening on')) resolve();
      };
      this.child!.stdout!.on('data', onData);
      this.child!.stderr!.on('data', onData);
      this.child!.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${this.log.slice(-2000)}`)));
    });
    await Promise.race([ready, new Promise((_, rej) => setTimeout(() => rej(new Error(`worker did not start: ${this.log.slice(-2000)}`)), 60_000))]);
  }

  /** kill -9: no shutdown hooks, the job's lock is left to expire. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  output(): string {
    return this.log;
  }
}
