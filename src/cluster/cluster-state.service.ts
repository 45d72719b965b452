import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { isRunningTask, toNodeView, toServiceDetail, toServiceSummary, toTaskView } from '../swarm/swarm.mappers';
import { NodeView, ServiceDetail, ServiceSummary, TaskView } from '../swarm/swarm.types';
import { liveColours } from '../swarm/labels';

/** One consistent picture of the swarm, taken by a single refresh. */
export class Snapshot {
  readonly at = Date.now();
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

const CURRENT_DESIRED = new Set(['running', 'ready', 'accepted', 'new', 'pending', 'assigned']);

/**
 * The read model: every read endpoint serves from the latest snapshot, refreshed every
 * WATCH_INTERVAL_MS, at once on engine events, and after each write (read-your-writes).
 */
@Injectable()
export class ClusterStateService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterState');
  private current: Snapshot | null = null;
  private lastError: AppError | null = null;
  private inflight: Promise<Snapshot> | null = null;
  private queued: Promise<Snapshot> | null = null;
  private afterWrite: Promise<Snapshot> | null = null;
  private timer?: NodeJS.Timeout;
  private eventStream?: NodeJS.ReadableStream & { destroy?: () => void };
  private eventDebounce?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners: SnapshotListener[] = [];

  constructor(
    private readonly swarm: SwarmRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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

  /** Called with (previous, next) after every successful refresh. */
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
    try {
      const [services, tasks, nodes, networks] = await Promise.all([
        this.swarm.listServices(),
        this.swarm.listTasks(),
        this.swarm.listNodes(),
        this.swarm.listNetworks(),
      ]);
      const next = new Snapshot(services, tasks, nodes, new Map(networks.map((n) => [n.Id, n.Name])));
      const prev = this.current;
      this.current = next;
      if (this.lastError) this.log.log('engine reachable again');
      this.lastError = null;
      for (const l of this.listeners) {
        try {
          l(prev, next);
        } catch (e) {
          this.log.error(`snapshot listener failed: ${(e as Error).message}`);
        }
      }
      return next;
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('DOCKER_UNAVAILABLE', (e as Error).message);
      if (!this.lastError) this.log.warn(`refresh failed: ${err.message}`);
      this.lastError = err;
      throw err;
    }
  }

  /**
   * Tells the read model a write just reached the engine: a refresh starts now and every read
   * waits for it (read-your-writes), while the writer itself answers without waiting.
   */
  written(): void {
    const p = this.refresh();
    this.afterWrite = p;
    p.catch(() => undefined).finally(() => {
      if (this.afterWrite === p) this.afterWrite = null;
    });
  }

  /** The snapshot reads serve from; fails fast with the engine error while the engine is unreachable. */
  async snapshot(): Promise<Snapshot> {
    if (this.afterWrite) {
      try {
        return await this.afterWrite;
      } catch {
        /* the error is reported below */
      }
    }
    if (this.lastError) throw this.lastError;
    return this.current ?? this.refresh();
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

  /** The engine record of a service the caller may see; out-of-scope services are absent. */
  async serviceRecord(idOrName: string, caller?: Caller): Promise<EngineService> {
    const s = (await this.snapshot()).findService(idOrName);
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
