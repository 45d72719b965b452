import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { connect, createServer, Server, Socket } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { engine, nodeEngines, waitFor } from './harness';

const run = promisify(execFile);
const DOCKER_CLI = process.env.LAB_DOCKER ?? '/usr/bin/docker';

/** The docker CLI against the lab's manager. */
export async function dockerCli(...args: string[]): Promise<string> {
  return (await run(DOCKER_CLI, args, { env: process.env, timeout: 60_000 })).stdout;
}

/** `docker stack deploy -c deploy/stack.yml NAME` on the lab's manager, with the stack's variables. */
export async function stackDeploy(name: string, vars: Record<string, string>): Promise<void> {
  await run(DOCKER_CLI, ['stack', 'deploy', '--prune', '-c', resolve('deploy/stack.yml'), name], {
    env: { ...process.env, ...vars },
    timeout: 120_000,
  });
}

/** `lab.sh image`: the product's and Redis's images on every lab node; returns its exports. */
export async function labImages(): Promise<Record<string, string>> {
  const { stdout } = await run('bash', [resolve('scripts/lab.sh'), 'image'], { env: process.env, timeout: 600_000 });
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

/** Removes a stack's services (waiting until no task of theirs holds a node), network and volumes. */
export async function stackRemove(name: string): Promise<void> {
  const docker = engine();
  const mine = (x: any) => x?.Labels?.['com.docker.stack.namespace'] === name || x?.Spec?.Labels?.['com.docker.stack.namespace'] === name;
  const services = ((await docker.listServices()) as any[]).filter(mine);
  await Promise.all(services.map((s) => docker.getService(s.ID).remove().catch(() => undefined)));
  const ids = new Set(services.map((s) => s.ID));
  await waitFor(
    `the tasks of stack ${name} gone from every node`,
    async () => {
      for (const node of Object.values(nodeEngines())) {
        const left = (await node.listContainers({ all: true, filters: { label: [`com.docker.stack.namespace=${name}`] } })) as any[];
        if (left.length) return false;
      }
      return !((await docker.listTasks()) as any[]).some((t) => ids.has(t.ServiceID) && t.Status.State === 'running');
    },
    90_000,
    300,
  );
  const nets = ((await docker.listNetworks()) as any[]).filter(mine);
  await Promise.all(nets.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
  for (const node of Object.values(nodeEngines())) {
    const vols = (((await node.listVolumes()) as any).Volumes ?? []).filter((v: any) => v.Labels?.['com.docker.stack.namespace'] === name);
    await Promise.all(vols.map((v: any) => node.getVolume(v.Name).remove().catch(() => undefined)));
  }
}

/** Runs `cmd` in a container on a lab node's engine; resolves with exit code and output. */
export async function execIn(node: Docker, containerId: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const ex = await node.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream: any = await ex.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((ok, fail) => {
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', ok);
    stream.on('error', fail);
  });
  const info: any = await ex.inspect();
  // strip the 8-byte stdout/stderr frame headers
  const buf = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let i = 0; i + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return { exitCode: info.ExitCode, output: Buffer.concat(out).toString('utf8') };
}

/**
 * A TCP load balancer in front of the API's host-mode published ports (the lab has no routing
 * mesh), behaving like HAProxy with `retry-on conn-failure empty-response`: a connection goes to
 * the next backend in turn; when a backend refuses it, does not accept it within a second, or
 * closes it before sending a single byte (a replica that began to stop), the bytes the client
 * sent so far are replayed to the next backend. Once a backend answered, the two are piped.
 */
export class Balancer {
  private server?: Server;
  private next = 0;
  private readonly sockets = new Set<Socket>();
  /** Client connections that no backend would take. */
  unserved = 0;
  /** Backend attempts that were refused, timed out or closed without answering (retried). */
  retried = 0;

  constructor(private readonly backends: Array<{ host: string; port: number }>) {}

  async listen(): Promise<string> {
    this.server = createServer((client) => this.serve(client));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    const addr = this.server.address() as { port: number };
    return `http://127.0.0.1:${addr.port}`;
  }

  private serve(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    const sent: Buffer[] = [];
    let backend: Socket | null = null;
    let connected = false;
    let answered = false;
    const onClientData = (d: Buffer) => {
      if (answered) return;
      sent.push(d);
      if (connected) backend?.write(d);
    };
    client.on('data', onClientData);
    client.on('error', () => backend?.destroy());
    const start = this.next++;
    const attempt = (i: number) => {
      if (client.destroyed) return;
      if (i >= this.backends.length) {
        this.unserved++;
        client.destroy();
        return;
      }
      const b = this.backends[(start + i) % this.backends.length];
      const s = connect({ host: b.host, port: b.port });
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      backend = s;
      connected = false;
      const giveUp = () => {
        if (answered || backend !== s) return;
        this.retried++;
        backend = null;
        s.destroy();
        attempt(i + 1);
      };
      s.setTimeout(1000, giveUp);
      s.once('connect', () => {
        s.setTimeout(0);
        connected = true;
        for (const d of sent) s.write(d);
      });
      s.on('error', giveUp);
      s.on('close', giveUp);
      s.once('data', (first) => {
        answered = true;
        client.removeListener('data', onClientData);
        client.write(first);
        s.pipe(client);
        client.pipe(s);
        s.on('close', () => client.end());
        client.on('close', () => s.destroy());
      });
    };
    attempt(0);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

/** One GET on a connection of its own (no keep-alive): status and body, or the transport error. */
export function getOnce(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: 'GET', agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', fail);
    req.end();
  });
}

export interface FollowedEvent {
  id: string;
  type: string;
  data: any;
}

/**
 * A /v1/events client that does exactly what the stream tells it: when an established stream
 * (200) ends, cleanly or not, it waits the `retry:` delay the server sent and reconnects with
 * `Last-Event-ID`. Anything else - a connection that fails, a status other than 200 - is a
 * failure, recorded (and retried the same way, so the test sees everything that happened).
 */
export class EventFollower {
  readonly events: FollowedEvent[] = [];
  readonly failures: string[] = [];
  /** Streams that ended after a 200 (each followed by the reconnect the server asked for). */
  ended = 0;
  connects = 0;
  /** When the last byte (event or heartbeat comment) arrived. */
  lastDataAt = 0;
  private retryMs = 3000;
  private stopped = false;
  private current?: { destroy(): void };

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  start(): void {
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
    const last = this.events.at(-1)?.id;
    if (last) headers['last-event-id'] = last;
    const req = request(this.url, { method: 'GET', agent: false, headers });
    this.current = req;
    let established = false;
    const again = () => {
      if (this.stopped) return;
      setTimeout(() => this.open(), this.retryMs);
    };
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        this.failures.push(`reconnect answered ${res.statusCode}`);
        res.resume();
        res.on('end', again);
        return;
      }
      established = true;
      this.connects++;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.lastDataAt = Date.now();
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          this.block(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      });
      let done = false;
      const ended = () => {
        if (done) return;
        done = true;
        if (!this.stopped) this.ended++;
        again();
      };
      res.on('end', ended);
      res.on('error', ended);
      res.on('close', ended);
    });
    req.on('error', (e) => {
      if (established || this.stopped) return;
      this.failures.push(`connect failed: ${e.message}`);
      again();
    });
    req.end();
  }

  private block(block: string): void {
    const f: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const c = line.indexOf(':');
      f[line.slice(0, c)] = (f[line.slice(0, c)] ? f[line.slice(0, c)] + '\n' : '') + line.slice(c + 1).replace(/^ /, '');
    }
    if (f.retry && /^\d+$/.test(f.retry)) this.retryMs = Number(f.retry);
    if (f.id) this.events.push({ id: f.id, type: f.event, data: f.data ? JSON.parse(f.data) : undefined });
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
  }

  describe(): string {
    const last = this.events.at(-1);
    return `connects ${this.connects}, ended ${this.ended}, failures ${JSON.stringify(this.failures)}, ${this.events.length} events (last ${last?.id} ${last?.type}), last byte ${this.lastDataAt ? `${Date.now() - this.lastDataAt} ms ago` : 'never'}`;
  }
}
