import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { counter, gauge } from '../common/metrics';
import { ClusterStateService, Snapshot } from './cluster-state.service';
import { LeaderService } from './leader.service';
import { LeaderFreshness, READ_MODEL_CHANNEL, ReadModelMessage, ReadModelStore } from './read-model.store';
import { applyDelta, computeDelta, ReadModelData } from './snapshot-delta';

const followingGauge = gauge('swarm_cp_read_model_following', "1 while this process follows the watcher leader's read model (heard from it recently) instead of reading the engine itself");
const deltasTotal = counter('swarm_cp_read_model_deltas_total', 'read model changes shared through Redis: published by the leader, applied by a follower', ['direction']);
const resyncsTotal = counter('swarm_cp_read_model_resyncs_total', 'times a follower loaded the whole read model from Redis (start, reconnect, a missed change, a new leader)');

/** The leader stores its whole model again after this many changes or this long (followers that reload read it, then the deltas after it). */
const SNAPSHOT_EVERY_DELTAS = 200;
const SNAPSHOT_EVERY_MS = 2000;

function dataOf(s: Snapshot): ReadModelData {
  return { services: s.services, tasks: s.tasks, nodes: s.nodes, networks: [...s.networkNames] };
}

/**
 * One reader for the whole control plane. The watcher leader's read model (the only one that
 * polls and follows the engine) is shared through Redis (ReadModelStore): every change as a
 * numbered delta, stored and announced, the whole snapshot stored now and then, and a heartbeat
 * every WATCH_INTERVAL_MS carrying its data's age and the engine's state. Every other process
 * applies the deltas in order; at start, after a reconnect, on a gap or a new leader's sequence
 * (epoch), it loads the stored snapshot and the deltas after it. So the engine's request rate
 * does not grow with replicas.
 * A follower that hears nothing in order for the staleness bound reads the engine itself again
 * (Redis away, no leader), as every process did before.
 */
@Injectable()
export class ReadModelShare implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ReadModelShare');
  private sub?: Redis;
  private leading = false;
  /** Leader: the sequence it publishes. Follower: the sequence it has applied. */
  private epoch = '';
  private seq = 0;
  /** Leader: the data of its last delta; null: the next change starts a new sequence. */
  private published: ReadModelData | null = null;
  private sharedVersion = -1;
  private snapshotAt = 0;
  private sinceSnapshot = 0;
  private publishing: Promise<void> = Promise.resolve();
  private resyncing = false;
  private resyncAgain = false;
  private buffered: ReadModelMessage[] = [];
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly state: ClusterStateService,
    private readonly leader: LeaderService,
    private readonly store: ReadModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.state.onSnapshot((_prev, next) => {
      if (this.leading) this.share(next);
    });
    const sub = this.store.subscriber();
    this.sub = sub;
    sub.on('message', (_channel: string, raw: string) => {
      try {
        this.receive(JSON.parse(raw) as ReadModelMessage);
      } catch (e) {
        this.log.warn(`ignoring a read model message: ${(e as Error).message}`);
      }
    });
    // A (re)connect may have missed changes: load the whole model again.
    sub.on('ready', () => {
      if (!this.leading) void this.resync();
    });
    sub.subscribe(READ_MODEL_CHANNEL).catch((e) => this.log.warn(`subscribe failed: ${(e as Error).message}`));
    this.leader.onChange((leading) => this.lead(leading));
    this.lead(this.leader.isLeader);
    this.heartbeat = setInterval(() => this.beat(), this.config.watchIntervalMs);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    this.sub?.disconnect();
  }

  private lead(leading: boolean): void {
    this.leading = leading;
    this.state.setFollowing(!leading);
    followingGauge.set(0);
    if (leading) {
      this.published = null;
      const cur = this.state.lastSnapshot;
      if (cur) this.share(cur);
      // What it followed is the old leader's: confirm it with an engine read of its own at once.
      this.state.refresh().catch(() => undefined);
    } else {
      void this.resync();
    }
  }

  // ---- leader -------------------------------------------------------------------------------

  private freshness(): LeaderFreshness {
    const f = this.state.freshness();
    const err = f.error ? { code: f.engine === 'no-quorum' ? 'SWARM_NO_QUORUM' : 'DOCKER_UNAVAILABLE', message: f.error } : null;
    return { ageMs: Math.round(f.ageSeconds * 1000), engine: f.engine, error: f.engine === 'ok' ? null : err };
  }

  /** Every change of the leader's read model goes out in order, one at a time. */
  private share(snap: Snapshot): void {
    if (snap.version === this.sharedVersion && this.published) return;
    this.sharedVersion = snap.version;
    const data = dataOf(snap);
    this.publishing = this.publishing.then(() => this.publishData(data));
  }

  private async publishData(data: ReadModelData): Promise<void> {
    if (!this.leading) return;
    const fresh = !this.published;
    const delta = fresh ? {} : computeDelta(this.published!, data);
    if (!delta) return;
    // A new sequence (new leader, or Redis lost a change): followers see its epoch and load the whole snapshot.
    const epoch = fresh ? randomBytes(6).toString('hex') : this.epoch;
    const seq = fresh ? 1 : this.seq + 1;
    const whole = fresh || this.sinceSnapshot >= SNAPSHOT_EVERY_DELTAS || Date.now() - this.snapshotAt >= SNAPSHOT_EVERY_MS;
    try {
      await this.store.publish({ epoch, seq, delta }, this.freshness(), whole ? { json: JSON.stringify({ epoch, seq, data }), newEpoch: fresh } : undefined);
      this.epoch = epoch;
      this.seq = seq;
      this.published = data;
      if (whole) {
        this.snapshotAt = Date.now();
        this.sinceSnapshot = 0;
      } else {
        this.sinceSnapshot++;
      }
      deltasTotal.inc({ direction: 'published' });
    } catch (e) {
      if (this.published) this.log.warn(`read model not shared (a new sequence follows): ${(e as Error).message}`);
      this.published = null;
    }
  }

  /** Leader: a heartbeat after its reads (or, when the last change did not reach Redis, that change again). */
  private beat(): void {
    followingGauge.set(this.state.followsLeader ? 1 : 0);
    if (!this.leading) return;
    const cur = this.state.lastSnapshot;
    if (!this.published) {
      if (cur) this.share(cur);
      return;
    }
    this.store.announce({ k: 'hb', epoch: this.epoch, seq: this.seq, ...this.freshness() }).catch(() => undefined);
  }

  // ---- follower -----------------------------------------------------------------------------

  private receive(msg: ReadModelMessage): void {
    if (this.leading) return;
    if (this.resyncing) {
      this.buffered.push(msg);
      return;
    }
    const next = msg.k === 'delta' ? this.seq + 1 : this.seq;
    if (msg.epoch !== this.epoch || msg.seq > next) {
      void this.resync();
      return;
    }
    if (msg.seq < next) return;
    if (msg.k === 'delta') {
      const cur = this.state.lastSnapshot;
      if (!cur) {
        void this.resync();
        return;
      }
      this.seq = msg.seq;
      this.state.leaderHeard(msg.ageMs, msg.engine, msg.error);
      this.state.followed(applyDelta(dataOf(cur), msg.delta));
      deltasTotal.inc({ direction: 'applied' });
    } else {
      this.state.leaderHeard(msg.ageMs, msg.engine, msg.error);
    }
    followingGauge.set(1);
  }

  /**
   * Loads the stored snapshot and the stored deltas after it, then the messages that came
   * meanwhile in order. A chain that does not hold (a new sequence began in between, or the
   * deltas were trimmed) is read again, a few times; then the next message tries again.
   */
  private async resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    try {
      for (let attempt = 0; attempt < 3 && !this.leading; attempt++) {
        this.resyncAgain = false;
        const snap = await this.store.snapshot();
        if (snap) {
          const deltas = await this.store.deltasAfter(snap.seq);
          if (this.leading || deltas.some((d, i) => d.epoch !== snap.epoch || d.seq !== snap.seq + 1 + i)) continue;
          this.epoch = snap.epoch;
          this.seq = snap.seq + deltas.length;
          this.state.followed(deltas.reduce((data, d) => applyDelta(data, d.delta), snap.data));
          resyncsTotal.inc();
        }
        if (!this.resyncAgain) break;
      }
    } catch (e) {
      this.log.debug(`read model not loaded: ${(e as Error).message}`);
    } finally {
      this.resyncing = false;
      const msgs = this.buffered;
      this.buffered = [];
      for (const m of msgs) this.receive(m);
    }
  }
}
