import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisLocks } from '../redis/redis-lock';
import { gauge } from '../common/metrics';

export const LEADER_KEY = 'swarm-cp:watcher:leader';

const leaderGauge = gauge('swarm_cp_watcher_leader', '1 while this process is the cluster watcher leader (publishes cluster events)');

/**
 * One watcher leader per Redis: a key holding the leader's id with an expiry of
 * LEADER_LOCK_TTL_MS, renewed every third of it. Others try to take it every quarter of it,
 * so a dead leader is replaced at most ~1.25 TTL after its last renewal. A leader that cannot
 * renew (Redis unreachable) steps down locally when its lease runs out, before anyone else can
 * take the key, so two processes never publish as leader at once.
 */
@Injectable()
export class LeaderService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Leader');
  /** This process's candidate id: host, pid and a random suffix (several apps per process in tests). */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private leader = false;
  private leaseUntil = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners: Array<(leader: boolean) => void> = [];

  constructor(
    private readonly locks: RedisLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.leader) {
      // Hand over at once on a clean shutdown instead of making the others wait for expiry.
      await this.locks.release(LEADER_KEY, this.id).catch(() => undefined);
      this.setLeader(false);
    }
  }

  /** True while this process holds an unexpired lease. */
  get isLeader(): boolean {
    return this.leader && Date.now() < this.leaseUntil;
  }

  /** Called with true when this process becomes leader, false when it stops being one. */
  onChange(listener: (leader: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** The id of the current leader (any process), or null when none holds the lock. */
  async currentLeader(): Promise<string | null> {
    return this.locks.holder(LEADER_KEY);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const ttl = this.config.leaderLockTtlMs;
    const started = Date.now();
    try {
      if (this.leader) {
        if (await this.locks.renew(LEADER_KEY, this.id, ttl)) this.leaseUntil = started + ttl;
        else this.setLeader(false, 'lost the lock to another process');
      } else {
        if (await this.locks.acquire(LEADER_KEY, this.id, ttl)) {
          this.leaseUntil = started + ttl;
          this.setLeader(true);
        }
      }
    } catch (e) {
      if (this.leader && Date.now() >= this.leaseUntil) this.setLeader(false, `cannot renew: ${(e as Error).message}`);
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(50, Math.floor(this.leader ? ttl / 3 : ttl / 4)));
    this.timer.unref();
  }

  private setLeader(leader: boolean, why?: string): void {
    if (this.leader === leader) return;
    this.leader = leader;
    leaderGauge.set(leader ? 1 : 0);
    if (leader) this.log.log(`${this.id} is now the cluster watcher leader`);
    else this.log.warn(`${this.id} is no longer the leader${why ? `: ${why}` : ''}`);
    for (const l of this.listeners) {
      try {
        l(leader);
      } catch (e) {
        this.log.error(`leader listener failed: ${(e as Error).message}`);
      }
    }
  }
}
