import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import { Agent, IncomingMessage, request } from 'node:http';
import { APP_CONFIG, AgentsConfig, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';

interface AgentEntry {
  address: string;
  nodeId: string;
}

/** How long an agent may take to say which node it runs on. */
const IDENTITY_TIMEOUT_MS = 2000;
/** A node nobody answers for triggers a new lookup at most this often. */
const MISS_LOOKUP_MS = 1000;

function transportError(e: NodeJS.ErrnoException): string {
  return e.code ? `${e.code}${e.message && !e.message.includes(e.code) ? `: ${e.message}` : ''}` : e.message;
}

/**
 * The node agents (one per node, a global service on the stack's network), the one owner of
 * talking to them. Finds them through DNS (`tasks.<agent service>` lists every agent task's
 * address), asks each which node it runs on, and keeps node hostname -> address, looked up
 * again every AGENT_REFRESH_MS and whenever a node nobody answers for is asked for. Every
 * request carries the shared secret. Failures are DOCKER_UNAVAILABLE errors whose message
 * names the node and the reason.
 */
@Injectable()
export class NodeAgents implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('NodeAgents');
  private byHost = new Map<string, AgentEntry>();
  private lookup: Promise<void> | null = null;
  private lookedUpAt = 0;
  private problem: string | null = null;
  private readonly pool = new Agent({ keepAlive: true, maxSockets: 32 });
  private timer?: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    const c = this.config.agents;
    if (!c) return;
    void this.discover();
    this.timer = setInterval(() => void this.discover(), c.refreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.pool.destroy();
  }

  private get settings(): AgentsConfig {
    if (!this.config.agents) throw new AppError('DOCKER_UNAVAILABLE', 'no node agents configured (AGENT_DNS)');
    return this.config.agents;
  }

  /** Hostnames with an agent that answered the last lookup. */
  async hosts(): Promise<string[]> {
    if (!this.byHost.size) await this.discover();
    return [...this.byHost.keys()].sort();
  }

  /** One lookup at a time; callers during one share it. */
  discover(): Promise<void> {
    this.lookup ??= this.resolve().finally(() => {
      this.lookup = null;
      this.lookedUpAt = Date.now();
    });
    return this.lookup;
  }

  private async resolve(): Promise<void> {
    const c = this.settings;
    let addresses: string[];
    try {
      addresses = await this.resolveAddresses(c.dns);
    } catch (e) {
      // Keep what we had: each call to a gone agent fails (and says so) on its own.
      this.note(`cannot resolve ${c.dns} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    const next = new Map<string, AgentEntry>();
    const problems: string[] = [];
    const previous = new Map([...this.byHost].map(([h, e]) => [e.address, h]));
    const answers = await Promise.all(
      addresses.map(async (address) => {
        try {
          return { address, id: await this.getJson<{ hostname: string; nodeId: string }>(address, '/v1/node', IDENTITY_TIMEOUT_MS) };
        } catch (e) {
          problems.push(`${address}: ${(e as Error).message}`);
          return { address, id: null };
        }
      }),
    );
    // Two agents claiming one node (an old task not yet gone): keep the one already in use.
    for (const a of answers.sort((x, y) => Number(previous.has(y.address)) - Number(previous.has(x.address)))) {
      if (a.id?.hostname && !next.has(a.id.hostname)) next.set(a.id.hostname, { address: a.address, nodeId: a.id.nodeId });
    }
    // An agent still listed that was slow to say who it is keeps its node: calls to it fail (and
    // say so) on their own if it is really gone, as with a failed lookup.
    for (const a of answers) {
      const host = a.id ? undefined : previous.get(a.address);
      const known = host ? this.byHost.get(host) : undefined;
      if (host && known && !next.has(host)) next.set(host, known);
    }
    this.byHost = next;
    this.note(problems.length ? `agents not answering: ${problems.join('; ')}` : addresses.length ? null : `${c.dns} lists no agent`);
  }

  /** The agents' addresses: every A record of the name (Swarm DNS lists one per task). */
  protected resolveAddresses(name: string): Promise<string[]> {
    return dns.resolve4(name);
  }

  private note(problem: string | null): void {
    if (problem && problem !== this.problem) this.log.warn(problem);
    this.problem = problem;
  }

  private async entry(hostname: string): Promise<AgentEntry> {
    let e = this.byHost.get(hostname);
    if (!e && Date.now() - this.lookedUpAt >= MISS_LOOKUP_MS) {
      await this.discover();
      e = this.byHost.get(hostname);
    }
    if (!e) {
      throw new AppError('DOCKER_UNAVAILABLE', `no node agent answers for node ${hostname} (${this.settings.dns}${this.problem ? `; ${this.problem}` : ''})`);
    }
    return e;
  }

  /** A JSON answer of the agent on `hostname`. */
  async json<T>(hostname: string, path: string, timeoutMs: number): Promise<T> {
    const e = await this.entry(hostname);
    try {
      return await this.getJson<T>(e.address, path, timeoutMs);
    } catch (err) {
      throw this.failure(hostname, e, err);
    }
  }

  /** A streamed answer (logs, events) of the agent on `hostname`; the caller destroys it. */
  async stream(hostname: string, path: string): Promise<IncomingMessage> {
    const e = await this.entry(hostname);
    try {
      const res = await this.send(e.address, path, null);
      if (res.statusCode === 200) return res;
      throw await this.agentError(res);
    } catch (err) {
      throw this.failure(hostname, e, err);
    }
  }

  /** Turns a failed call into the error callers report; a silent agent is looked up again next time. */
  private failure(hostname: string, e: AgentEntry, err: unknown): AppError {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return err;
    if (!(err instanceof AppError) && this.byHost.get(hostname) === e) this.byHost.delete(hostname);
    const why = err instanceof AppError ? err.message : `did not answer (${transportError(err as NodeJS.ErrnoException)})`;
    return new AppError('DOCKER_UNAVAILABLE', `the node agent on ${hostname} (${e.address}): ${why}`);
  }

  protected async getJson<T>(address: string, path: string, timeoutMs: number): Promise<T> {
    const res = await this.send(address, path, timeoutMs);
    if (res.statusCode !== 200) throw await this.agentError(res);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  }

  /** An agent's error answer as an AppError (its message, or what a 401 means here). */
  private async agentError(res: IncomingMessage): Promise<AppError> {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    let message = `answered ${res.statusCode}`;
    try {
      message = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    if (res.statusCode === 404) return new AppError('NOT_FOUND', message);
    if (res.statusCode === 401) return new AppError('DOCKER_UNAVAILABLE', 'refused the shared secret (AGENT_SECRET_FILE differs from the agents\')');
    return new AppError('DOCKER_UNAVAILABLE', message);
  }

  /**
   * One GET with the shared secret. Plain calls share kept-alive connections and are bounded
   * by `timeoutMs`; streams get a connection of their own, bounded only until the answer starts.
   */
  private send(address: string, path: string, timeoutMs: number | null): Promise<IncomingMessage> {
    const c = this.settings;
    const bound = timeoutMs ?? IDENTITY_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: address,
          port: c.port,
          path,
          method: 'GET',
          agent: timeoutMs === null ? false : this.pool,
          headers: { authorization: `Bearer ${c.secret.toString('utf8')}` },
        },
        (res) => {
          if (timeoutMs === null) req.setTimeout(0);
          resolve(res);
        },
      );
      req.setTimeout(bound, () => req.destroy(Object.assign(new Error(`no answer within ${bound} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });
  }
}
