import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { isRunningTask, toNodeView, toServiceDetail, toServiceSummary, toTaskView } from '../swarm/swarm.mappers';
import { NodeView, ServiceDetail, ServiceSummary, TaskView } from '../swarm/swarm.types';
import { liveColours } from '../swarm/labels';
import { WriteIntent } from '../common/write-intent';
import { EngineState } from './quorum';

/**
 * One consistent picture of the swarm, taken by a single refresh (plus this process's own
 * writes read back since). `version` grows with every change of the read model.
 */
export class Snapshot {
  readonly servicesById = new Map<string, EngineService>();
  readonly servicesByName = new Map<string, EngineService>();
  readonly nodesById = new Map<string, EngineNode>();
  readonly runningByService = new Map<string, number>();
  /** Blue-green: stable name -> the live colour's service. */
  readonly liveByStableName: Map<string, EngineService>;
  private summaries?: ServiceSummary[];
  private nodeViews?: NodeView[];

  constructor(
    readonly services: EngineService[],
    readonly tasks: EngineTask[],
    readonly nodes: EngineNode[],
    readonly networkNames: Map<string, string>,
    readonly version = 0,
    readonly at = Date.now(),
  ) {
    for (const s of services) {
      this.servicesById.set(s.ID, s);
      if (s.Spec.Name) this.servicesByName.set(s.Spec.Name, s);
    }
    this.liveByStableName = liveColours(services);
    for (const n of nodes) this.nodesById.set(n.ID, n);
    for (const t of tasks) {
      if (isRunningTask(t)) this.runningByService.set(t.ServiceID, (this.runningByService.get(t.ServiceID) ?? 0) + 1);
    }
  }

  /** Summaries are computed once per snapshot: every list request after that is a filter. */
  serviceSummaries(): ServiceSummary[] {
    this.summaries ??= this.services
      .map((s) => toServiceSummary(s, this.runningByService.get(s.ID) ?? 0))
      .sort((a, b) => a.name.localeCompare(b.name));
    return this.summaries;
  }

  nodeList(): NodeView[] {
    this.nodeViews ??= this.nodes.map(toNodeView).sort((a, b) => a.hostname.localeCompare(b.hostname));
    return this.nodeViews;
  }

  nodeName(id: string | undefined): string | null {
    return id ? (this.nodesById.get(id)?.Description?.Hostname ?? null) : null;
  }

  /** By id or name; a blue-green stable name resolves to its live colour. */
  findService(idOrName: string): EngineService | undefined {
    return this.liveByStableName.get(idOrName) ?? this.servicesByName.get(idOrName) ?? this.servicesById.get(idOrName);
  }

  tasksOf(serviceId: string): EngineTask[] {
    return this.tasks.filter((t) => t.ServiceID === serviceId);
  }

  taskView(t: EngineTask): TaskView {
    return toTaskView(t, this.servicesById.get(t.ServiceID)?.Spec.Name ?? t.ServiceID, this.nodeName(t.NodeID));
  }
}

export type SnapshotListener = (prev: Snapshot | null, next: Snapshot) => void;

/** How fresh the read model is: stale while the engine could not confirm it recently. */
export interface ReadModelFreshness {
  stale: boolean;
  ageSeconds: number;
  /** The engine as the last read found it: answering, unreachable, or without a leader. */
  engine: EngineState;
  error: string | null;
}

/** A service this process wrote, as read back (null: removed), kept over older engine reads. */
interface WrittenService {
  service: EngineService | null;
  at: number;
}

/** A write's read-back is forgotten once an engine read has it, or after this long regardless. */
const WRITTEN_TTL_MS = 60_000;

const CURRENT_DESIRED = new Set(['running', 'ready', 'accepted', 'new', 'pending', 'assigned']);

/**
 * The read model: every read endpoint serves from the latest snapshot, refreshed every
 * WATCH_INTERVAL_MS and at once on engine events; after a write, the written service is read
 * back and applied (read-your-writes). While the swarm has no leader, reads go on from the last
 * snapshot, marked stale (freshness()); an unreachable engine fails them fast.
 */
@Injectable()
export class ClusterStateService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterState');
  private current: Snapshot | null = null;
  private lastError: AppError | null = null;
  private inflight: Promise<Snapshot> | null = null;
  private queued: Promise<Snapshot> | null = null;
  private afterWrite: Promise<unknown> | null = null;
  private version = 0;
  /** When the data of the current snapshot was last read from the engine (its read's start). */
  private freshAt = 0;
  private engineState: EngineState = 'ok';
  private readonly writtenServices = new Map<string, WrittenService>();
  private readonly staleAfterMs: number;
  private timer?: NodeJS.Timeout;
  private eventStream?: NodeJS.ReadableStream & { destroy?: () => void };
  private eventDebounce?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners: SnapshotListener[] = [];

  constructor(
    private readonly swarm: SwarmRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.staleAfterMs = Math.max(3 * config.watchIntervalMs, 3000);
  }

  onApplicationBootstrap(): void {
    this.refresh().catch(() => undefined);
    this.timer = setInterval(() => this.refresh().catch(() => undefined), this.config.watchIntervalMs);
    this.timer.unref();
    void this.watchEvents();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.eventDebounce);
    this.eventStream?.destroy?.();
  }

  /** Called with (previous, next) after every change of the snapshot (a refresh, a write read back). */
  onSnapshot(listener: SnapshotListener): void {
    this.listeners.push(listener);
  }

  get lastSnapshot(): Snapshot | null {
    return this.current;
  }

  /** A service's labels in the latest snapshot, by its engine name (null when unknown): what events are scoped by. */
  labelsOf(name: string): Record<string, string> | null {
    return this.current?.servicesByName.get(name)?.Spec.Labels ?? null;
  }

  /**
   * A snapshot taken after this call started. Concurrent callers share one engine round-trip:
   * a call during a refresh waits for the next one, never for more than one extra.
   */
  refresh(): Promise<Snapshot> {
    if (!this.inflight) {
      this.inflight = this.load().finally(() => {
        this.inflight = null;
      });
      return this.inflight;
    }
    this.queued ??= this.inflight
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh();
      });
    return this.queued;
  }

  private async load(): Promise<Snapshot> {
    const readAt = Date.now();
    try {
      const [services, tasks, nodes, networks] = await Promise.all([
        this.swarm.listServices(),
        this.swarm.listTasks(),
        this.swarm.listNodes(),
        this.swarm.listNetworks(),
      ]);
      if (this.lastError) this.log.log('engine readable again');
      this.lastError = null;
      this.engineState = 'ok';
      this.freshAt = Math.max(this.freshAt, readAt);
      return this.publish(this.withWrites(services), tasks, nodes, new Map(networks.map((n) => [n.Id, n.Name])));
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('DOCKER_UNAVAILABLE', (e as Error).message);
      const state: EngineState = err.code === 'SWARM_NO_QUORUM' ? 'no-quorum' : 'unavailable';
      if (!this.lastError || this.engineState !== state) this.log.warn(`refresh failed (${err.code}): ${err.message}`);
      this.lastError = err;
      this.engineState = state;
      throw err;
    }
  }

  /** A new snapshot (the next version) becomes current; the listeners hear of it. */
  private publish(services: EngineService[], tasks: EngineTask[], nodes: EngineNode[], networks: Map<string, string>): Snapshot {
    const next = new Snapshot(services, tasks, nodes, networks, ++this.version);
    const prev = this.current;
    this.current = next;
    for (const l of this.listeners) {
      try {
        l(prev, next);
      } catch (e) {
        this.log.error(`snapshot listener failed: ${(e as Error).message}`);
      }
    }
    return next;
  }

  /**
   * An engine read's services with this process's later writes on top: a read that started
   * before a write (or reached a lagging manager) cannot undo it. A write is forgotten once a
   * read has it.
   */
  private withWrites(services: EngineService[]): EngineService[] {
    if (!this.writtenServices.size) return services;
    const now = Date.now();
    const byId = new Map(services.map((s) => [s.ID, s]));
    for (const [id, w] of this.writtenServices) {
      const have = byId.get(id);
      const caughtUp = w.service === null ? !have : !!have && have.Version.Index >= w.service.Version.Index;
      if (caughtUp || now - w.at > WRITTEN_TTL_MS) this.writtenServices.delete(id);
      else if (w.service === null) byId.delete(id);
      else byId.set(id, w.service);
    }
    return [...byId.values()];
  }

  /** How fresh the snapshot is: stale while the engine cannot confirm it (no leader, unreachable) or has not for a while. */
  freshness(): ReadModelFreshness {
    const age = this.freshAt ? Date.now() - this.freshAt : 0;
    return {
      stale: !this.current || this.engineState !== 'ok' || age > this.staleAfterMs,
      ageSeconds: Math.round(age / 100) / 10,
      engine: this.engineState,
      error: this.lastError?.message ?? null,
    };
  }

  /**
   * Applies a service as written (read back from the engine after a write) to the current
   * snapshot as a new version. An older read of it (by version) changes nothing.
   */
  applyService(service: EngineService): Snapshot | null {
    const snap = this.current;
    if (!snap) return null;
    const known = this.writtenServices.get(service.ID)?.service ?? snap.servicesById.get(service.ID);
    if (known && known.Version.Index >= service.Version.Index) return snap;
    this.writtenServices.set(service.ID, { service, at: Date.now() });
    const services = snap.servicesById.has(service.ID) ? snap.services.map((s) => (s.ID === service.ID ? service : s)) : [...snap.services, service];
    return this.publish(services, snap.tasks, snap.nodes, snap.networkNames);
  }

  /** A service this process removed: gone from the read model at once, as a new version. */
  applyServiceRemoved(id: string): Snapshot | null {
    const snap = this.current;
    if (!snap) return null;
    this.writtenServices.set(id, { service: null, at: Date.now() });
    if (!snap.servicesById.has(id)) return snap;
    return this.publish(
      snap.services.filter((s) => s.ID !== id),
      snap.tasks,
      snap.nodes,
      snap.networkNames,
    );
  }

  /** Reads a service back from the engine after a write (one call) and applies it; null when it is gone. */
  async readBack(idOrName: string): Promise<EngineService | null> {
    try {
      const s = await this.swarm.inspectService(idOrName);
      this.applyService(s);
      return s;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'SERVICE_NOT_FOUND')) throw e;
      const gone = this.current?.findService(idOrName);
      if (gone) this.applyServiceRemoved(gone.ID);
      return null;
    }
  }

  /**
   * A write asks the engine when the read model does not know the service (created a moment
   * ago, say by the docker CLI): the engine is the source of truth, and a write never answers
   * 404 for a service it has. Reads stay on the read model.
   */
  private async readThrough(idOrName: string): Promise<EngineService | undefined> {
    if (!WriteIntent.active()) return undefined;
    const s = await this.readBack(idOrName);
    // The engine also resolves id prefixes: only the exact name or id counts.
    return s && (s.Spec.Name === idOrName || s.ID === idOrName) ? s : undefined;
  }

  /**
   * Tells the read model writes just reached the engine: the services are read back (or, without
   * names or with many, one whole refresh) and every read waits for that (read-your-writes),
   * while the writer itself answers without waiting.
   */
  written(...services: string[]): void {
    const p = services.length && services.length <= 4 ? Promise.all(services.map((s) => this.readBack(s))) : this.refresh();
    this.afterWrite = p;
    p.catch(() => undefined).finally(() => {
      if (this.afterWrite === p) this.afterWrite = null;
    });
  }

  /**
   * The snapshot reads serve from. While the swarm has no leader it is the last one (stale, see
   * freshness()); so it is while no manager answers when DOCKER_HOST lists several (around a
   * leader's loss the others may not answer in time until one is elected). With one engine
   * endpoint that does not answer, the engine's error at once.
   */
  async snapshot(): Promise<Snapshot> {
    if (this.afterWrite) await this.afterWrite.catch(() => undefined);
    if (this.lastError && !(this.current && this.servesStale(this.lastError))) throw this.lastError;
    return this.current ?? this.refresh();
  }

  private servesStale(err: AppError): boolean {
    return err.code === 'SWARM_NO_QUORUM' || (err.code === 'DOCKER_UNAVAILABLE' && (this.config.dockerHosts?.length ?? 1) > 1);
  }

  private async watchEvents(): Promise<void> {
    while (!this.stopped) {
      try {
        const stream = await this.swarm.events({ type: ['service', 'node', 'container'] });
        this.eventStream = stream as any;
        await new Promise<void>((resolve) => {
          stream.on('data', () => this.onEngineEvent());
          stream.on('end', resolve);
          stream.on('error', resolve);
          stream.on('close', resolve);
        });
      } catch {
        // engine unreachable: polling reports it; retry the stream later
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, Math.max(500, this.config.watchIntervalMs)).unref?.());
    }
  }

  private onEngineEvent(): void {
    // Events come in bursts (one per task container); refresh once per burst.
    if (this.eventDebounce) return;
    this.eventDebounce = setTimeout(() => {
      this.eventDebounce = undefined;
      this.refresh().catch(() => undefined);
    }, 50);
    this.eventDebounce.unref();
  }

  // ---- views ------------------------------------------------------------------------------

  async services(caller?: Caller): Promise<ServiceSummary[]> {
    const all = (await this.snapshot()).serviceSummaries();
    return caller?.scope ? all.filter((s) => inScope(caller, s.labels)) : all;
  }

  /**
   * The engine record of a service the caller may see; out-of-scope services are absent. Inside
   * a write, a service the read model does not know is looked up in the engine.
   */
  async serviceRecord(idOrName: string, caller?: Caller): Promise<EngineService> {
    const s = (await this.snapshot()).findService(idOrName) ?? (await this.readThrough(idOrName));
    if (!s || !inScope(caller, s.Spec.Labels)) throw new AppError('SERVICE_NOT_FOUND', `service "${idOrName}" not found`);
    return s;
  }

  async service(idOrName: string, caller?: Caller): Promise<ServiceDetail> {
    const snap = await this.snapshot();
    const s = await this.serviceRecord(idOrName, caller);
    return toServiceDetail(s, snap.runningByService.get(s.ID) ?? 0, snap.networkNames);
  }

  async tasks(idOrName: string, caller: Caller | undefined, all = false): Promise<TaskView[]> {
    const snap = await this.snapshot();
    const s = await this.serviceRecord(idOrName, caller);
    return snap
      .tasksOf(s.ID)
      .filter((t) => all || CURRENT_DESIRED.has(t.DesiredState) || t.Status.State === 'running')
      .sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0) || b.UpdatedAt.localeCompare(a.UpdatedAt))
      .map((t) => snap.taskView(t));
  }

  async nodes(): Promise<NodeView[]> {
    return (await this.snapshot()).nodeList();
  }

  async node(idOrHostname: string): Promise<NodeView> {
    const n = (await this.snapshot()).nodeList().find((x) => x.id === idOrHostname || x.hostname === idOrHostname);
    if (!n) throw new AppError('NODE_NOT_FOUND', `node "${idOrHostname}" not found`);
    return n;
  }
}
