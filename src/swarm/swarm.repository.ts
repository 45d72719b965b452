import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Docker from './dockerode';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { counter, gauge } from '../common/metrics';
import { ContainerSample, hasPreviousCpu, toContainerSample } from './container-stats';
import { EngineContainerStats, EngineEvent, EngineNetwork, EngineNode, EngineNodeSpec, EngineService, EngineServiceSpec, EngineTask } from './engine.types';
import { CONNECTION_CODES, EndpointStatus, EnginePool, Landed, NO_LEADER } from './engine-pool';
import { writeLanded } from './write-landed';

const failoversTotal = counter('swarm_cp_engine_failovers_total', 'times calls moved to another manager endpoint of DOCKER_HOST (the one in use did not answer, or had no leader)');
const endpointUp = gauge('swarm_cp_engine_endpoint_up', '1 while a DOCKER_HOST endpoint answers, 0 while it is skipped as dead', ['endpoint']);
const engineRequests = counter('swarm_cp_engine_requests_total', 'calls this process made to the engine API (a follower of the shared read model makes them only for its own writes)');
const endpointCurrent = gauge('swarm_cp_engine_endpoint_current', '1 for the DOCKER_HOST endpoint calls go to now, 0 for the others', ['endpoint']);

/** Engine failures as domain errors; `notFound` says what a 404 means for this call. */
export function engineError(err: unknown, notFound?: AppError): AppError {
  if (err instanceof AppError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string; json?: { message?: string } | null; reason?: string };
  const message = e?.json?.message ?? (typeof e?.message === 'string' ? e.message.replace(/^\(HTTP code \d+\)[^-]*- /, '') : 'engine error');
  if (e?.code === 'ENDPOINT_DEAD') return new AppError('DOCKER_UNAVAILABLE', message);
  if (e?.code && CONNECTION_CODES.has(e.code)) return new AppError('DOCKER_UNAVAILABLE', `Docker Engine unreachable (${e.code})`);
  if (/timeout/i.test(e?.message ?? '') && !e?.statusCode) return new AppError('DOCKER_UNAVAILABLE', 'Docker Engine did not answer in time');
  if (e?.statusCode && e.statusCode >= 500 && NO_LEADER.test(message)) {
    return new AppError('SWARM_NO_QUORUM', `the swarm has no leader (an election, or too few managers reachable): ${message}`);
  }
  switch (e?.statusCode) {
    case 404:
      // Without a caller-specific meaning, a 404 is about something the request referenced.
      return notFound ?? new AppError('VALIDATION_FAILED', message, [{ path: 'spec', message }]);
    case 409:
      return /already exists|name conflicts/i.test(message)
        ? new AppError('SERVICE_EXISTS', message)
        : new AppError('VERSION_CONFLICT', message);
    case 400:
      return new AppError('VALIDATION_FAILED', message, [{ path: 'spec', message }]);
    case 503:
      return new AppError('DOCKER_UNAVAILABLE', message);
  }
  if (/update out of sequence/i.test(message)) return new AppError('VERSION_CONFLICT', message);
  return new AppError('ENGINE_ERROR', `engine error: ${message}`);
}

function clientFor(host: string, timeout: number): Docker {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length), timeout });
  const u = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: u.hostname, port: Number(u.port), protocol: 'http', timeout });
}

/** Ids and names go into URL paths: only engine-safe characters pass, anything else is absent. */
function ref(idOrName: string, notFound: AppError): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(idOrName)) throw notFound;
  return idOrName;
}

export interface LogOptions {
  tail?: number | 'all';
  since?: number;
  timestamps?: boolean;
  follow?: boolean;
}

/** Which manager endpoint calls go to, and what happened to the others (/health/ready). */
export interface EngineEndpointsStatus {
  current: string;
  failovers: number;
  endpoints: EndpointStatus[];
}

/**
 * The only user of dockerode: every Docker Engine call of the project goes through here. With
 * several DOCKER_HOST endpoints (the swarm's managers) calls go to the current one and fail
 * over to the next when it does not answer (EnginePool); writes are re-read before being sent
 * elsewhere, so none is applied twice.
 */
@Injectable()
export class SwarmRepository implements OnModuleDestroy {
  private readonly log = new Logger('Engine');
  private readonly pool: EnginePool<Docker>;
  private readonly nodeClients = new Map<string, Docker>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.pool = new EnginePool<Docker>(config.dockerHosts ?? [config.dockerHost], {
      client: clientFor,
      timeoutMs: config.engineTimeoutMs,
      probeMs: config.engineProbeIntervalMs ?? 1000,
      onFailover: (from, to, why) => {
        failoversTotal.inc();
        this.log.warn(`engine endpoint ${from} -> ${to} (${why})`);
        this.reportEndpoints();
      },
      onHealth: (url, healthy, why) => {
        if (healthy) this.log.log(`engine endpoint ${url} answers again`);
        else this.log.warn(`engine endpoint ${url} skipped: ${why}`);
        this.reportEndpoints();
      },
    });
    this.reportEndpoints();
    for (const [host, url] of Object.entries(config.nodeEngines)) this.nodeClients.set(host, clientFor(url, config.statsTimeoutMs));
  }

  onModuleDestroy(): void {
    this.pool.stop();
  }

  private reportEndpoints(): void {
    for (const e of this.pool.status()) {
      endpointUp.set({ endpoint: e.url }, e.healthy ? 1 : 0);
      endpointCurrent.set({ endpoint: e.url }, e.current ? 1 : 0);
    }
  }

  /** The endpoint in use, failovers so far and each endpoint's health. */
  endpoints(): EngineEndpointsStatus {
    return { current: this.pool.current.url, failovers: this.pool.failovers, endpoints: this.pool.status() };
  }

  private async call<T>(fn: (docker: Docker) => Promise<T>, notFound?: AppError, landed?: (docker: Docker) => Promise<Landed<T>>): Promise<T> {
    engineRequests.inc();
    try {
      return await this.pool.run(fn, { landed });
    } catch (err) {
      throw engineError(err, notFound);
    }
  }

  ping(): Promise<unknown> {
    return this.call((d) => d.ping());
  }

  async swarmInfo(): Promise<{ nodeId: string; managers: number; nodes: number; controlAvailable: boolean }> {
    const info: any = await this.call((d) => d.info());
    return {
      nodeId: info?.Swarm?.NodeID ?? '',
      managers: info?.Swarm?.Managers ?? 0,
      nodes: info?.Swarm?.Nodes ?? 0,
      controlAvailable: !!info?.Swarm?.ControlAvailable,
    };
  }

  listServices(): Promise<EngineService[]> {
    return this.call((d) => d.listServices() as unknown as Promise<EngineService[]>);
  }

  listTasks(filters?: Record<string, string[]>): Promise<EngineTask[]> {
    return this.call((d) => d.listTasks(filters ? { filters } : {}) as Promise<EngineTask[]>);
  }

  /** One task as the manager records it now (NOT_FOUND once it is gone). */
  inspectTask(id: string): Promise<EngineTask> {
    const nf = new AppError('NOT_FOUND', `task "${id}" not found`);
    return this.call((d) => d.getTask(ref(id, nf)).inspect() as Promise<EngineTask>, nf);
  }

  listNodes(): Promise<EngineNode[]> {
    return this.call((d) => d.listNodes() as Promise<EngineNode[]>);
  }

  listNetworks(): Promise<EngineNetwork[]> {
    return this.call((d) => d.listNetworks() as Promise<EngineNetwork[]>);
  }

  inspectService(idOrName: string): Promise<EngineService> {
    const nf = new AppError('SERVICE_NOT_FOUND', `service "${idOrName}" not found`);
    return this.call((d) => d.getService(ref(idOrName, nf)).inspect() as Promise<EngineService>, nf);
  }

  /**
   * Creates a service. When its manager died before answering, another is asked whether a
   * service of that name with these labels is there now before the create is sent again.
   */
  async createService(spec: EngineServiceSpec): Promise<string> {
    const landed = async (d: Docker): Promise<Landed<any>> => {
      const cur = await inspectOrNull<EngineService>(() => d.getService(spec.Name ?? '').inspect());
      if (!cur) return { landed: false };
      if (writeLanded({}, { Name: spec.Name, Labels: spec.Labels }, cur.Spec)) return { landed: true, value: { ID: cur.ID } };
      throw new AppError('SERVICE_EXISTS', `service "${spec.Name}" already exists`);
    };
    const res: any = await this.call((d) => d.createService(spec as any), undefined, landed);
    return res.id ?? res.ID;
  }

  /**
   * Writes `spec` at `version`; a stale version is VERSION_CONFLICT ("update out of sequence").
   * When the manager died before answering, the service is re-read on another: a version that
   * moved means the write landed (and, with `landedIf`, that its fields are there: otherwise
   * someone else wrote, a VERSION_CONFLICT); an unmoved one is sent again at the same version,
   * which the engine applies at most once.
   */
  async updateService(
    id: string,
    version: number,
    spec: EngineServiceSpec,
    opts: { rollback?: boolean; landedIf?: (current: EngineService) => boolean } = {},
  ): Promise<string[]> {
    const nf = new AppError('SERVICE_NOT_FOUND', `service "${id}" not found`);
    const landed = async (d: Docker): Promise<Landed<any>> => {
      const cur = (await d.getService(ref(id, nf)).inspect()) as EngineService;
      if (cur.Version.Index === version) return { landed: false };
      if (!opts.landedIf || opts.landedIf(cur)) return { landed: true, value: { Warnings: [] } };
      throw new AppError('VERSION_CONFLICT', `service "${id}" was changed by someone else while its manager failed over (version ${version} -> ${cur.Version.Index})`, undefined, {
        currentVersion: cur.Version.Index,
      });
    };
    const res: any = await this.call(
      (d) =>
        // docker-modem sends `_query` as the query string and `_body` as the JSON body; without
        // them it would put the whole spec into the URL as well. `version` and `rollback=previous`
        // are query parameters of POST /services/{id}/update.
        d.getService(ref(id, nf)).update({
          _query: { version, ...(opts.rollback ? { rollback: 'previous' } : {}) },
          _body: spec,
        } as any),
      nf,
      landed,
    );
    return res?.Warnings ?? [];
  }

  /**
   * Read-modify-write of a service spec. With `expectedVersion` (a caller's If-Match) a stale
   * version is a VERSION_CONFLICT; without one, an "update out of sequence" (someone wrote in
   * between) re-reads and retries, so it never surfaces to the caller. `known` (the read model's
   * copy) is tried first instead of reading: the engine's version check refuses it when it is
   * stale, and the write goes on from a fresh read.
   */
  async mutateService(
    idOrName: string,
    change: (spec: EngineServiceSpec, current: EngineService) => EngineServiceSpec | Promise<EngineServiceSpec>,
    opts: { expectedVersion?: number; rollback?: boolean; attempts?: number; known?: EngineService } = {},
  ): Promise<{ before: EngineService; spec: EngineServiceSpec; warnings: string[] }> {
    const attempts = opts.attempts ?? 6;
    let known = opts.expectedVersion === undefined ? opts.known : undefined;
    for (let i = 1; ; i++) {
      const before = known ?? (await this.inspectService(idOrName));
      const guess = !!known;
      known = undefined;
      if (opts.expectedVersion !== undefined && before.Version.Index !== opts.expectedVersion) {
        throw new AppError('VERSION_CONFLICT', `service "${idOrName}" is at version ${before.Version.Index}, not ${opts.expectedVersion}`, undefined, {
          currentVersion: before.Version.Index,
        });
      }
      let spec: EngineServiceSpec;
      try {
        spec = await change(structuredClone(before.Spec), before);
      } catch (e) {
        // Judged on a copy that may be stale: judge the engine's own before refusing.
        if (guess) {
          i--;
          continue;
        }
        throw e;
      }
      try {
        const warnings = await this.updateService(before.ID, before.Version.Index, spec, {
          rollback: opts.rollback,
          // A rollback writes the engine's previous spec, not `spec`: a moved version is enough.
          landedIf: opts.rollback ? undefined : (cur) => writeLanded(before.Spec, spec, cur.Spec),
        });
        return { before, spec, warnings };
      } catch (e) {
        const conflict = e instanceof AppError && e.code === 'VERSION_CONFLICT' && opts.expectedVersion === undefined;
        // A stale copy (or a service gone since) is no attempt: read the engine and go on.
        if (guess && (conflict || (e instanceof AppError && e.code === 'SERVICE_NOT_FOUND'))) {
          i--;
          continue;
        }
        if (!conflict || i >= attempts) throw e;
        await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 30));
      }
    }
  }

  removeService(id: string): Promise<void> {
    const nf = new AppError('SERVICE_NOT_FOUND', `service "${id}" not found`);
    const landed = async (d: Docker): Promise<Landed<void>> =>
      (await inspectOrNull(() => d.getService(ref(id, nf)).inspect())) ? { landed: false } : { landed: true, value: undefined };
    return this.call((d) => d.getService(ref(id, nf)).remove() as unknown as Promise<void>, nf, landed);
  }

  inspectNode(id: string): Promise<EngineNode> {
    const nf = new AppError('NODE_NOT_FOUND', `node "${id}" not found`);
    return this.call((d) => d.getNode(ref(id, nf)).inspect() as Promise<EngineNode>, nf);
  }

  /** Writes a node spec at `version`; re-read elsewhere before a resend, as updateService. */
  async updateNode(id: string, version: number, spec: EngineNodeSpec, landedIf?: (current: EngineNode) => boolean): Promise<void> {
    const nf = new AppError('NODE_NOT_FOUND', `node "${id}" not found`);
    const landed = async (d: Docker): Promise<Landed<unknown>> => {
      const cur = (await d.getNode(ref(id, nf)).inspect()) as EngineNode;
      if (cur.Version.Index === version) return { landed: false };
      if (!landedIf || landedIf(cur)) return { landed: true, value: undefined };
      throw new AppError('VERSION_CONFLICT', `node "${id}" was changed by someone else while its manager failed over`);
    };
    await this.call((d) => d.getNode(ref(id, nf)).update({ ...spec, version } as any) as unknown as Promise<unknown>, nf, landed);
  }

  /**
   * Read-modify-write of a node spec at the node's version; a write that lost the race ("update
   * out of sequence") re-reads and retries.
   */
  async mutateNode(
    id: string,
    change: (spec: EngineNodeSpec, current: EngineNode) => EngineNodeSpec,
    attempts = 6,
  ): Promise<{ before: EngineNode; spec: EngineNodeSpec }> {
    for (let i = 1; ; i++) {
      const before = await this.inspectNode(id);
      const spec = change(structuredClone(before.Spec), before);
      try {
        await this.updateNode(before.ID, before.Version.Index, spec, (cur) => writeLanded(before.Spec, spec, cur.Spec));
        return { before, spec };
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'VERSION_CONFLICT') || i >= attempts) throw e;
        await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 30));
      }
    }
  }

  async createNetwork(name: string, opts: { attachable?: boolean; labels?: Record<string, string> } = {}): Promise<string> {
    const landed = async (d: Docker): Promise<Landed<any>> => {
      const cur = await inspectOrNull<{ Id: string }>(() => d.getNetwork(name).inspect());
      return cur ? { landed: true, value: { id: cur.Id } } : { landed: false };
    };
    const net: any = await this.call(
      (d) => d.createNetwork({ Name: name, Driver: 'overlay', Attachable: opts.attachable ?? true, Labels: opts.labels, CheckDuplicate: true }),
      undefined,
      landed,
    );
    return net.id;
  }

  async removeNetwork(idOrName: string): Promise<void> {
    const nf = new AppError('NOT_FOUND', `network "${idOrName}" not found`);
    const landed = async (d: Docker): Promise<Landed<unknown>> =>
      (await inspectOrNull(() => d.getNetwork(ref(idOrName, nf)).inspect())) ? { landed: false } : { landed: true, value: undefined };
    await this.call((d) => d.getNetwork(ref(idOrName, nf)).remove({}) as unknown as Promise<unknown>, nf, landed);
  }

  /**
   * Service logs from every node (the manager collects them), as the engine's raw stream:
   * multiplexed stdout/stderr frames unless the service has a TTY. `details` prefixes each line
   * with the task's node/service/task ids. Followed streams use a client without the request
   * timeout (they are idle between lines); the caller owns and destroys the stream.
   */
  serviceLogs(id: string, opts: LogOptions): Promise<NodeJS.ReadableStream> {
    const nf = new AppError('SERVICE_NOT_FOUND', `service "${id}" not found`);
    const options = {
      stdout: true,
      stderr: true,
      details: true,
      timestamps: !!opts.timestamps,
      tail: opts.tail ?? 'all',
      since: opts.since ?? 0,
      follow: !!opts.follow,
    };
    // dockerode buffers (and may JSON-parse) non-followed logs: dial for a stream either way.
    const dial = (client: Docker) =>
      new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        (client.modem as any).dial(
          {
            path: `/services/${ref(id, nf)}/logs?`,
            method: 'GET',
            isStream: true,
            statusCodes: { 200: true, 404: 'no such service', 500: 'server error', 503: 'node is not part of a swarm' },
            options,
          },
          (err: unknown, stream: NodeJS.ReadableStream) => (err ? reject(err) : resolve(stream)),
        ),
      );
    engineRequests.inc();
    return (async () => {
      try {
        return opts.follow ? ((await this.pool.stream(dial as any)) as NodeJS.ReadableStream) : await this.pool.run(dial);
      } catch (err) {
        throw engineError(err, nf);
      }
    })();
  }

  /** Engine event stream (service, node, container). The caller owns and destroys the stream. */
  async events(filters: Record<string, string[]>): Promise<NodeJS.ReadableStream> {
    // Events are long-lived: a client without the request timeout, on the endpoint in use; the
    // stream is ended if that endpoint dies, so the caller reconnects to the next one.
    engineRequests.inc();
    try {
      return (await this.pool.stream((d) => d.getEvents({ filters } as any) as any)) as NodeJS.ReadableStream;
    } catch (err) {
      throw engineError(err);
    }
  }

  /** Hostnames with an engine endpoint of their own (NODE_ENGINES). */
  nodeEngineHosts(): string[] {
    return [...this.nodeClients.keys()];
  }

  /** A node engine's event stream (its own containers), for nodes in NODE_ENGINES. The caller destroys it. */
  nodeEvents(hostname: string, filters: Record<string, string[]>): Promise<NodeJS.ReadableStream> {
    const url = this.config.nodeEngines[hostname];
    if (!url) throw new AppError('DOCKER_UNAVAILABLE', `no engine endpoint configured for node ${hostname} (NODE_ENGINES)`);
    const client = clientFor(url, 0);
    return this.node(() => client.getEvents({ filters } as any) as unknown as Promise<NodeJS.ReadableStream>);
  }

  /** A call to one node's own engine (NODE_ENGINES): no failover, errors mapped. */
  private async node<T>(fn: () => Promise<T>, notFound?: AppError): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw engineError(err, notFound);
    }
  }

  /** The engine that can see containers on `hostname`, if configured (NODE_ENGINES). */
  hasNodeEngine(hostname: string): boolean {
    return this.nodeClients.has(hostname);
  }

  /**
   * Container usage from the engine of the node that runs it. `stream=false` (without
   * one-shot) makes the engine wait for a second reading, so precpu_stats is filled in API
   * 1.41; should it come back empty, a second answer is diffed against the first.
   */
  async containerStats(hostname: string, containerId: string): Promise<ContainerSample> {
    const client = this.nodeClients.get(hostname);
    if (!client) throw new AppError('DOCKER_UNAVAILABLE', `no engine endpoint configured for node ${hostname} (NODE_ENGINES)`);
    const nf = new AppError('NOT_FOUND', `container ${containerId} not found on ${hostname}`);
    const read = () => this.node(() => client.getContainer(ref(containerId, nf)).stats({ stream: false }) as Promise<EngineContainerStats>, nf);
    const first = await read();
    if (hasPreviousCpu(first)) return toContainerSample(first);
    await new Promise((r) => setTimeout(r, 500));
    return toContainerSample(await read(), first);
  }

  /** Runs a command in a container on a node's engine, returning its output (blue-green probes, tests). */
  async exec(hostname: string, containerId: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
    const nodeClient = this.nodeClients.get(hostname);
    const nf = new AppError('NOT_FOUND', `container ${containerId} not found on ${hostname}`);
    const run = async (client: Docker) => {
      const c = client.getContainer(ref(containerId, nf));
      const ex = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream: any = await ex.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      const info: any = await ex.inspect();
      return { exitCode: info.ExitCode ?? -1, output: demux(Buffer.concat(chunks)) };
    };
    // A node's own engine has no failover; without one, the manager endpoint in use.
    return nodeClient ? this.node(() => run(nodeClient), nf) : this.call(run, nf);
  }
}

/** The object, or null on a 404 (for checks whether a write landed). */
async function inspectOrNull<T>(fn: () => Promise<unknown>): Promise<T | null> {
  try {
    return (await fn()) as T;
  } catch (e) {
    if ((e as { statusCode?: number })?.statusCode === 404) return null;
    throw e;
  }
}

/** Strips Docker's 8-byte stream headers from a multiplexed stdout/stderr buffer. */
export function demux(buf: Buffer): string {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2 || buf[i] === 0) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  if (i === 0) return buf.toString('utf8');
  return Buffer.concat(out).toString('utf8');
}

export type { EngineEvent };
