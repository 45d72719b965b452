import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError, ErrorCode } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { byCodePoint } from '../common/paging';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';
import { isRunningTask, toNodeView, toServiceDetail, toServiceSummary, toTaskView } from '../swarm/swarm.mappers';
import { NodeView, ServiceDetail, ServiceSummary, TaskView } from '../swarm/swarm.types';
import { liveColours } from '../swarm/labels';
import { WriteIntent } from '../common/write-intent';
import { EngineState } from './quorum';
import { ReadModelData } from './snapshot-delta';
import { contentKey, keepNewer, withService } from './snapshot-versions';

export interface SnapshotOptions {
  /** The read model's version: it increases whenever the read model changes, and only then. */
  version?: number;
  /** When the engine was last listed in full (a written service applied keeps its base's time). */
  at?: number;
  /** A snapshot of the same version whose computed views are reused. */
  reuse?: Snapshot;
}

/**
 * One consistent picture of the swarm, taken by a single refresh (plus this process's own
 * writes read back since). `version` grows with every change of the read model.
 */
export class Snapshot {
  readonly at: number;
  readonly version: number;
  readonly servicesById = new Map<string, EngineService>();
  readonly servicesByName = new Map<string, EngineService>();
  readonly nodesById = new Map<string, EngineNode>();
  readonly runningByService = new Map<string, number>();
  /** Blue-green: stable name -> the live colour's service. */
  readonly liveByStableName: Map<string, EngineService>;
  private summaries?: ServiceSummary[];
  private nodeViews?: NodeView[];
  private contentKey?: string;

  constructor(
    readonly services: EngineService[],
    readonly tasks: EngineTask[],
    readonly nodes: EngineNode[],
    readonly networkNames: Map<string, string>,
    opts: SnapshotOptions = {},
  ) {
    this.at = opts.at ?? Date.now();
    this.version = opts.version ?? 0;
    for (const s of services) {
      this.servicesById.set(s.ID, s);
      if (s.Spec.Name) this.servicesByName.set(s.Spec.Name, s);
    }
    this.liveByStableName = liveColours(services);
    for (const n of nodes) this.nodesById.set(n.ID, n);
    for (const t of tasks) {
      if (isRunningTask(t)) this.runningByService.set(t.ServiceID, (this.runningByService.get(t.ServiceID) ?? 0) + 1);
    }
    if (opts.reuse && opts.reuse.version === this.version) {
      this.summaries = opts.reuse.summaries;
      this.nodeViews = opts.reuse.nodeViews;
      this.contentKey = opts.reuse.contentKey;
    }
  }

  /** Equal keys: the same services, tasks and nodes at the same engine versions (see contentKey). */
  get key(): string {
    this.contentKey ??= contentKey(this.services, this.tasks, this.nodes, this.networkNames);
    return this.contentKey;
  }

  /** Summaries are computed once per snapshot, by name: every list request after that is a filter. */
  serviceSummaries(): ServiceSummary[] {
    this.summaries ??= this.services
      .map((s) => toServiceSummary(s, this.runningByService.get(s.ID) ?? 0))
      .sort((a, b) => byCodePoint(a.name, b.name));
    return this.summaries;
  }

  /** By hostname (then id: hostnames need not be unique). */
  nodeList(): NodeView[] {
    this.nodeViews ??= this.nodes.map(toNodeView).sort((a, b) => byCodePoint(a.hostname, b.hostname) || byCodePoint(a.id, b.id));
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

/** What a follower last heard from the leader (an applied change or a heartbeat), and when. */
interface LeaderHeard {
  at: number;
  ageMs: number;
  engine: EngineState;
  error: AppError | null;
}

/**
 * Ids named in a burst of engine events, each with the latest time it was named, handed over
 * together `delayMs()` after the first of the burst.
 */
class IdBatch {
  private readonly ids = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly delayMs: () => number,
    private readonly fire: (ids: Map<string, number>) => void,
  ) {}

  add(id: string, at = 0): void {
    this.ids.set(id, Math.max(at, this.ids.get(id) ?? 0));
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const ids = new Map(this.ids);
      this.ids.clear();
      this.fire(ids);
    }, this.delayMs());
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** A service this process removed is kept out of engine lists that started before the removal, this long at most. */
const REMOVED_TTL_MS = 60_000;

/** How soon after a service's own engine event its tasks are listed again (new tasks of a scale). */
const SERVICE_EVENT_REFRESH_MS = 250;
/** Other engine events (containers, nodes, services created or removed): a full refresh this soon. */
const EVENT_REFRESH_MS = 50;
/** Services read back one by one after their events, at most; more in one burst list everything. */
const MAX_READ_BACKS = 8;

/**
 * The read model: every read endpoint serves from the latest snapshot, refreshed every
 * WATCH_INTERVAL_MS and after engine events. A write reads back what it wrote (one engine call)
 * and applies it as a new version; reads wait for that (read-your-writes), the writer does not.
 * While the swarm has no leader, reads go on from the last snapshot, marked stale (freshness());
 * a lone engine that does not answer fails them fast.
 *
 * One reader for the whole control plane: only the watcher leader polls and follows the engine;
 * every other process follows the leader's read model through Redis (ReadModelShare calls
 * setFollowing/followed/leaderHeard) and reads the engine itself only for its own writes, or
 * when it has not heard from a leader for a while.
 */
@Injectable()
export class ClusterStateService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterState');
  private current: Snapshot | null = null;
  private lastError: AppError | null = null;
  private inflight: Promise<Snapshot> | null = null;
  private queued: Promise<Snapshot> | null = null;
  /** Read-backs and refreshes that writes started: reads wait for those pending when they begin. */
  private readonly afterWrites = new Set<Promise<unknown>>();
  private versions = 0;
  /** When the data of the current snapshot was last confirmed by the engine (that read's start). */
  private freshAt = 0;
  private engineState: EngineState = 'ok';
  private readonly staleAfterMs: number;
  /** A follower that has not heard from the leader for this long reads the engine itself. */
  private readonly leaderSilentMs: number;
  /** Services this process removed, by id, with when: a list begun before that cannot bring them back. */
  private readonly removedAt = new Map<string, number>();
  private following = false;
  private heard: LeaderHeard | null = null;
  private timer?: NodeJS.Timeout;
  private eventStream?: NodeJS.ReadableStream & { destroy?: () => void };
  private refreshTimer?: NodeJS.Timeout;
  private refreshAt = 0;
  /** When each service was last read back (ms): an engine event older than that is covered. */
  private readonly readBackStarted = new Map<string, number>();
  /** Services to read back for engine events (with the latest event's time): read back together, unless a write of this process read them since. */
  private readonly readBacks = new IdBatch(
    () => 10,
    (ids) => {
      const due = [...ids].filter(([id, at]) => !this.readSince(id, at)).map(([id]) => id);
      if (!due.length) return;
      if (due.length > MAX_READ_BACKS) this.refreshWithin(0);
      else this.readBackAll(due).catch(() => undefined);
    },
  );
  /** Services whose tasks to list again after their update events, listed together. */
  private readonly taskLists = new IdBatch(
    () => Math.min(SERVICE_EVENT_REFRESH_MS, this.config.watchIntervalMs),
    (ids) => {
      if (ids.size > MAX_READ_BACKS) this.refreshWithin(0);
      else this.relistTasks([...ids.keys()]).catch(() => this.refreshWithin(EVENT_REFRESH_MS));
    },
  );
  private stopped = false;
  private readonly listeners: SnapshotListener[] = [];

  constructor(
    private readonly swarm: SwarmRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.staleAfterMs = Math.max(3 * config.watchIntervalMs, 3000);
    // Within the lock's TTL a dead leader is replaced; beyond it, no leader is coming (Redis away).
    this.leaderSilentMs = Math.max(this.staleAfterMs, config.leaderLockTtlMs ?? 0);
  }

  onApplicationBootstrap(): void {
    this.refresh().catch(() => undefined);
    this.timer = setInterval(() => {
      if (!this.followsLeader) this.refresh().catch(() => undefined);
    }, this.config.watchIntervalMs);
    this.timer.unref();
    void this.watchEvents();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.refreshTimer);
    this.readBacks.stop();
    this.taskLists.stop();
    this.eventStream?.destroy?.();
  }

  /** Called with (previous, next) after every change of the snapshot (refresh or applied write). */
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
      const [listed, tasks, nodes, networks] = await Promise.all([
        this.swarm.listServices(),
        this.swarm.listTasks(),
        this.swarm.listNodes(),
        this.swarm.listNetworks(),
      ]);
      if (this.lastError) this.log.log('engine readable again');
      this.lastError = null;
      this.engineState = 'ok';
      this.freshAt = Math.max(this.freshAt, readAt);
      return this.accept({ services: listed, tasks, nodes, networks: networks.map((n) => [n.Id, n.Name]) }, readAt);
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('DOCKER_UNAVAILABLE', (e as Error).message);
      const state: EngineState = err.code === 'SWARM_NO_QUORUM' ? 'no-quorum' : 'unavailable';
      if (!this.lastError || this.engineState !== state) this.log.warn(`refresh failed (${err.code}): ${err.message}`);
      this.lastError = err;
      this.engineState = state;
      throw err;
    }
  }

  /**
   * Data read at `readAt` (by this process, or by the leader) becomes the current snapshot: a
   * new version when it differs, services this process wrote or removed since kept as written.
   */
  private accept(data: ReadModelData, readAt: number): Snapshot {
    const prev = this.current;
    const services = keepNewer(this.withoutRemoved(data.services, readAt), prev?.servicesById);
    const networkNames = new Map(data.networks);
    const key = contentKey(services, data.tasks, data.nodes, networkNames);
    const version = prev && prev.key === key ? prev.version : ++this.versions;
    const next = new Snapshot(services, data.tasks, data.nodes, networkNames, { version, reuse: prev ?? undefined });
    for (const id of this.readBackStarted.keys()) if (!next.servicesById.has(id)) this.readBackStarted.delete(id);
    this.publish(prev, next);
    return next;
  }

  /**
   * True while another process is the watcher leader (set by ReadModelShare). A follower that
   * has heard from the leader within max(staleness bound, LEADER_LOCK_TTL_MS) neither polls nor
   * follows the engine; its data is stale once the leader's age plus the silence passes the bound.
   */
  setFollowing(on: boolean): void {
    this.following = on;
    if (!on) this.heard = null;
  }

  /** The leader's change or heartbeat, applied in order: its data's age and the engine's state as it last read it. */
  leaderHeard(ageMs: number, engine: EngineState, error: { code: string; message: string } | null): void {
    if (!this.following) return;
    const was = this.followsLeader;
    this.heard = { at: Date.now(), ageMs, engine, error: error ? new AppError(error.code as ErrorCode, error.message) : null };
    if (!was) this.eventStream?.destroy?.();
  }

  /** Following a leader heard from recently: this process reads nothing from the engine on its own. */
  get followsLeader(): boolean {
    return this.following && !!this.heard && Date.now() - this.heard.at < this.leaderSilentMs;
  }

  /** The leader's read model (whole, or after a change) becomes this process's. */
  followed(data: ReadModelData): Snapshot {
    return this.accept(data, Date.now() - (this.heard?.ageMs ?? 0));
  }

  /** A list's services without those this process removed after the list began; a removal is forgotten once a later list agrees. */
  private withoutRemoved(listed: EngineService[], readAt: number): EngineService[] {
    if (!this.removedAt.size) return listed;
    const now = Date.now();
    const ids = new Set(listed.map((s) => s.ID));
    for (const [id, at] of this.removedAt) if ((!ids.has(id) && readAt > at) || now - at > REMOVED_TTL_MS) this.removedAt.delete(id);
    return this.removedAt.size ? listed.filter((s) => !this.removedAt.has(s.ID)) : listed;
  }

  /** How fresh the snapshot is: stale while the engine cannot confirm it (no leader, unreachable) or has not for a while. */
  freshness(): ReadModelFreshness {
    const h = this.followsLeader ? this.heard : null;
    const age = h ? h.ageMs + Date.now() - h.at : this.freshAt ? Date.now() - this.freshAt : 0;
    const engine = h ? h.engine : this.engineState;
    return {
      stale: !this.current || engine !== 'ok' || age > this.staleAfterMs,
      ageSeconds: Math.round(age / 100) / 10,
      engine,
      error: (h ? h.error : this.lastError)?.message ?? null,
    };
  }

  private publish(prev: Snapshot | null, next: Snapshot): void {
    this.current = next;
    for (const l of this.listeners) {
      try {
        l(prev, next);
      } catch (e) {
        this.log.error(`snapshot listener failed: ${(e as Error).message}`);
      }
    }
  }

  /**
   * Applies one service as the engine has it now (read back after a write, or the write's own
   * result with its new version) to the current snapshot, as a new version. Nothing changes when
   * the snapshot already holds that version or a newer one, or does not hold the service at all
   * (a new service comes with the next full refresh, unless `added`: a service this process just
   * created). Returns the snapshot reads now serve from.
   */
  applyService(service: EngineService, added = false): Snapshot | null {
    const prev = this.current;
    if (!prev) return prev;
    const services = withService(prev.services, service) ?? (added && !prev.servicesById.has(service.ID) ? [...prev.services, service] : null);
    if (!services) return prev;
    this.removedAt.delete(service.ID);
    return this.next(prev, services);
  }

  /** A service this process removed: gone from the read model at once, as a new version. */
  applyServiceRemoved(id: string): Snapshot | null {
    const prev = this.current;
    if (!prev) return prev;
    this.removedAt.set(id, Date.now());
    return prev.servicesById.has(id) ? this.next(prev, prev.services.filter((s) => s.ID !== id)) : prev;
  }

  private next(prev: Snapshot, services: EngineService[]): Snapshot {
    this.publish(prev, new Snapshot(services, prev.tasks, prev.nodes, prev.networkNames, { version: ++this.versions, at: prev.at }));
    return this.current!;
  }

  /**
   * One service read back from the engine right after this process wrote it (one call), applied
   * (a created one added, a removed one taken out), and returned; null when the engine no longer has it.
   */
  async readBack(idOrName: string): Promise<EngineService | null> {
    const known = this.current?.findService(idOrName);
    if (known) this.readBackStarted.set(known.ID, Date.now());
    try {
      const s = await this.swarm.inspectService(idOrName);
      this.readBackStarted.set(s.ID, Date.now());
      this.applyService(s, true);
      return s;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'SERVICE_NOT_FOUND')) throw e;
      if (known) this.applyServiceRemoved(known.ID);
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
   * Tells the read model a write reached the engine. With service ids, each is read back (one
   * engine call) and applied; without, a full refresh starts. Reads wait for it at once
   * (read-your-writes); it starts on the next turn of the event loop, once the writer's answer
   * has gone out, which does not wait for it.
   */
  written(...serviceIds: string[]): void {
    const p = nextTurn().then((): Promise<unknown> => (serviceIds.length ? this.readBackAll(serviceIds) : this.refresh()));
    this.afterWrites.add(p);
    p.catch(() => undefined).finally(() => this.afterWrites.delete(p));
  }

  /** Reads the services back and applies them; one that is gone, or an engine error, refreshes everything. */
  private async readBackAll(ids: string[]): Promise<void> {
    const started = Date.now();
    for (const id of ids) this.readBackStarted.set(id, started);
    const found = await Promise.all(ids.map((id) => this.swarm.inspectService(id).catch(() => null)));
    let missed = false;
    for (const s of found) {
      if (!s || !this.current?.servicesById.has(s.ID)) missed = true;
      else this.applyService(s);
    }
    if (missed) await this.refresh();
  }

  /** Read-backs or refreshes that writes started are still under way (reads would wait for them). */
  get writesPending(): boolean {
    return this.afterWrites.size > 0;
  }

  /**
   * `f` of the snapshot reads serve from: called at once when it is there to take (no write being
   * read back, no error to report), so a kept answer costs no promise; else once `snapshot()` has
   * decided (it waits, or serves stale, or throws).
   */
  read<T>(f: (snap: Snapshot) => T): T | Promise<T> {
    return this.current && !this.afterWrites.size && !this.readError() ? f(this.current) : this.snapshot().then(f);
  }

  /** The engine's error reads are to report: the leader's, while this process follows one, else its own refresh's. */
  private readError(): AppError | null {
    return this.followsLeader ? this.heard!.error : this.lastError;
  }

  /**
   * The snapshot reads serve from. While the swarm has no leader it is the last one (stale, see
   * freshness()); so it is while no manager answers when DOCKER_HOST lists several (around a
   * leader's loss the others may not answer in time until one is elected). With one engine
   * endpoint that does not answer, the engine's error at once.
   */
  async snapshot(): Promise<Snapshot> {
    if (this.afterWrites.size) await Promise.allSettled([...this.afterWrites]);
    const err = this.readError();
    if (err && !(this.current && this.servesStale(err))) throw err;
    return this.current ?? this.refresh();
  }

  private servesStale(err: AppError): boolean {
    return err.code === 'SWARM_NO_QUORUM' || (err.code === 'DOCKER_UNAVAILABLE' && (this.config.dockerHosts?.length ?? 1) > 1);
  }

  private async watchEvents(): Promise<void> {
    while (!this.stopped) {
      if (this.followsLeader) {
        await new Promise((r) => setTimeout(r, 500).unref?.());
        continue;
      }
      try {
        const stream = await this.swarm.events({ type: ['service', 'node', 'container'] });
        this.eventStream = stream as any;
        let partial = '';
        (stream as { setEncoding?: (e: string) => void }).setEncoding?.('utf8');
        await new Promise<void>((resolve) => {
          stream.on('data', (chunk: Buffer | string) => {
            const lines = (partial + chunk.toString()).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) if (line.trim()) this.onEngineEvent(line);
          });
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

  /**
   * A service's own update is read back at once (one call), and its tasks are listed again
   * (one call, shared by every such event within SERVICE_EVENT_REFRESH_MS): an update changes
   * nothing else, so a burst of writes lists neither everything nor once per write. Anything
   * else refreshes in full within EVENT_REFRESH_MS.
   */
  private onEngineEvent(line: string): void {
    if (this.followsLeader) return;
    let e: { Type?: string; Action?: string; Actor?: { ID?: string }; timeNano?: number } | null = null;
    try {
      e = JSON.parse(line);
    } catch {
      /* not an event we can read: refresh */
    }
    if (e?.Type === 'service' && e.Action === 'update' && e.Actor?.ID) {
      const at = e.timeNano ? e.timeNano / 1e6 : Infinity;
      if (!this.readSince(e.Actor.ID, at)) this.readBacks.add(e.Actor.ID, at);
      this.taskLists.add(e.Actor.ID);
    } else {
      this.refreshWithin(EVENT_REFRESH_MS);
    }
  }

  /** Starts a full refresh within `ms`, or keeps the one already due sooner. */
  private refreshWithin(ms: number): void {
    const at = Date.now() + ms;
    if (this.refreshTimer && this.refreshAt <= at) return;
    clearTimeout(this.refreshTimer);
    this.refreshAt = at;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh().catch(() => undefined);
    }, ms);
    this.refreshTimer.unref();
  }

  /**
   * Whether the service was read back after `at` (an engine event's time): by a write of this
   * process, which reads back what it wrote, often just after its event arrives.
   */
  private readSince(id: string, at: number): boolean {
    return (this.readBackStarted.get(id) ?? 0) > at;
  }

  /**
   * These services' tasks as the engine lists them now, in place of the snapshot's. A full read
   * that started after this one has newer tasks already: then nothing changes.
   */
  private async relistTasks(serviceIds: string[]): Promise<void> {
    const readAt = Date.now();
    const listed = await this.swarm.listTasks({ service: serviceIds });
    const prev = this.current;
    if (!prev || this.freshAt > readAt) return;
    const ids = new Set(serviceIds);
    const tasks = prev.tasks.filter((t) => !ids.has(t.ServiceID)).concat(listed);
    this.accept({ services: prev.services, tasks, nodes: prev.nodes, networks: [...prev.networkNames] }, readAt);
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

  async nodes(): Promise<NodeView[]> {
    return (await this.snapshot()).nodeList();
  }

  async node(idOrHostname: string): Promise<NodeView> {
    const n = (await this.snapshot()).nodeList().find((x) => x.id === idOrHostname || x.hostname === idOrHostname);
    if (!n) throw new AppError('NODE_NOT_FOUND', `node "${idOrHostname}" not found`);
    return n;
  }
}
