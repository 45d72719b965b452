import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { gauge } from '../common/metrics';
import { EventBus } from '../events/event-bus';
import { FOLLOWED_CONTAINER_EVENTS, NodeAccess } from '../nodes-access/node-access';
import { ClusterStateService } from './cluster-state.service';
import { LeaderService } from './leader.service';
import { quorumOf } from './quorum';
import { diffSnapshots } from './snapshot-diff';
import { TaskDeathTracker } from './task-death-tracker';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

const watcherLag = gauge('swarm_cp_watcher_lag_seconds', 'seconds since the read model last refreshed from the engine');
const faultToleranceGauge = gauge('swarm_cp_manager_fault_tolerance', "the managers' fault tolerance: (managers - 1) / 2 - unreachable managers; below 0 the quorum is lost");
const managersGauge = gauge('swarm_cp_managers', 'swarm managers by reachability (as the read model last saw them)', ['reachability']);
const staleGauge = gauge('swarm_cp_read_model_stale', '1 while reads are served from a snapshot the engine could not confirm recently (stale)');

/**
 * Turns the read model's refreshes into cluster events. Every process keeps its own read
 * model by polling (and on the manager's /events); only the leader publishes the diff of
 * consecutive snapshots, so each change is published once per Redis, not once per replica;
 * it also publishes ManagerQuorumChanged when the managers' fault tolerance changes.
 * The manager's /events carries only its own containers: while leading, the watcher also
 * follows the container events of every node it can reach (NodeAccess: node agents or
 * NODE_ENGINES; agents come and go, so the set is checked again every few seconds), so a task
 * dying on a worker is seen at once rather than at the next poll, and its failure is published
 * from the node's report before the task list shows it (TaskDeathTracker).
 */
@Injectable()
export class ClusterWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterWatcher');
  private readonly startedAt = Date.now();
  private lagTimer?: NodeJS.Timeout;
  private burstUntil = 0;
  private bursting = false;
  private readonly nodeStreams = new Map<string, { destroy?: () => void }>();
  private following = false;
  private readonly followed = new Set<string>();
  private nodesTimer?: NodeJS.Timeout;
  private tolerance: number | null = null;

  constructor(
    private readonly state: ClusterStateService,
    private readonly leader: LeaderService,
    private readonly bus: EventBus,
    private readonly nodes: NodeAccess,
    private readonly deaths: TaskDeathTracker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.state.onSnapshot((prev, next) => {
      watcherLag.set(0);
      if (!prev || !this.leader.isLeader) return;
      // Published in order on one connection: the stream keeps the diff's order.
      this.deaths.pass(diffSnapshots(prev, next), (c) => {
        void this.bus.publish(c.type, c.payload, c.type === 'node' ? {} : { service: c.service, labels: c.labels });
      });
    });
    this.leader.onChange((leading) => (leading ? this.followNodes() : this.unfollowNodes()));
    this.lagTimer = setInterval(() => this.tick(), Math.min(1000, this.config.watchIntervalMs));
    this.lagTimer.unref();
  }

  /** Freshness and quorum gauges; the leader tells everyone when the fault tolerance moved. */
  private tick(): void {
    const f = this.state.freshness();
    const snap = this.state.lastSnapshot;
    watcherLag.set(snap ? f.ageSeconds : (Date.now() - this.startedAt) / 1000);
    staleGauge.set(f.stale ? 1 : 0);
    if (!snap) return;
    const q = quorumOf(snap.nodes, snap.tasks, snap.services, f.engine);
    faultToleranceGauge.set(q.faultTolerance);
    const by = { reachable: 0, unreachable: 0, unknown: 0 };
    for (const m of q.members) by[m.reachability]++;
    for (const [reachability, n] of Object.entries(by)) managersGauge.set({ reachability }, n);
    const previous = this.tolerance;
    this.tolerance = q.faultTolerance;
    if (previous === null || previous === q.faultTolerance || !this.leader.isLeader) return;
    void this.bus.publish('cluster', {
      kind: 'ManagerQuorumChanged',
      faultTolerance: q.faultTolerance,
      previous,
      managers: q.managers,
      reachable: q.reachable,
      at: new Date().toISOString(),
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.lagTimer);
    this.unfollowNodes();
  }

  private followNodes(): void {
    this.following = true;
    const followNew = async () => {
      for (const host of await this.nodes.hosts().catch((): string[] => [])) if (this.following && !this.followed.has(host)) void this.followNode(host);
    };
    void followNew();
    this.nodesTimer = setInterval(() => void followNew(), 5000);
    this.nodesTimer.unref();
  }

  private unfollowNodes(): void {
    this.following = false;
    clearInterval(this.nodesTimer);
    for (const s of this.nodeStreams.values()) s.destroy?.();
    this.nodeStreams.clear();
  }

  private async followNode(host: string): Promise<void> {
    let warned = false;
    this.followed.add(host);
    while (this.following) {
      try {
        const stream = await this.nodes.containerEvents(host, FOLLOWED_CONTAINER_EVENTS);
        if (!this.following) {
          (stream as { destroy?: () => void }).destroy?.();
          break;
        }
        this.nodeStreams.set(host, stream as { destroy?: () => void });
        warned = false;
        const deaths = this.deaths.follow(host);
        await new Promise<void>((resolve) => {
          stream.on('data', (chunk: Buffer) => {
            deaths(chunk);
            this.refreshSoon();
          });
          stream.on('end', resolve);
          stream.on('error', resolve);
          stream.on('close', resolve);
        });
      } catch (e) {
        if (!warned) this.log.warn(`cannot follow the engine events of ${host}: ${(e as Error).message}`);
        warned = true;
        // A node no longer reachable at all (its agent gone) is picked up again once it is back.
        if (!(await this.nodes.hosts().catch((): string[] => [])).includes(host)) break;
      }
      this.nodeStreams.delete(host);
      if (this.following) await new Promise((r) => setTimeout(r, Math.max(500, this.config.watchIntervalMs)).unref?.());
    }
    this.followed.delete(host);
  }

  /**
   * After container events, refresh every ~150 ms until a second after the last one: a worker
   * reports a task's new state to the manager a little after its container event, so a single
   * refresh would often still see the old state and leave the change to the next poll.
   */
  private refreshSoon(): void {
    this.burstUntil = Date.now() + 1000;
    if (this.bursting) return;
    this.bursting = true;
    void (async () => {
      await sleep(50);
      while (this.following && Date.now() < this.burstUntil) {
        await this.state.refresh().catch(() => undefined);
        await sleep(150);
      }
      this.bursting = false;
    })();
  }
}
