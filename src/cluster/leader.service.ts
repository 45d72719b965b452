import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';
import { RedisLocks } from '../redis/redis-lock';
import { gauge } from '../common/metrics';

export const LEADER_KEY = 'swarm-cp:watcher:leader';

const leaderGauge = gauge('swarm_cp_watcher_leader', '1 while this process is the cluster watcher leader (publishes cluster events)');

/**
 * One watcher leader per Redis: a key holding the leader's id with an expiry of
 * LEADER_LOCK_TTL_MS, renewed every third of it. Others try to take it every quarter of it,
 * so a dead leader is replaced at most ~1.25 TTL after its last renewal. A leader that cannot
 * renew (Redis unreachable) steps down locally when its lease runs out, before anyone else can
 * take the key, so two processes never publish as leader at once. Through a Redis failover the
 * same holds: the lease is extended only by writes the replicas acknowledged (WAIT), and every
 * process tries again as soon as it reaches the new master.
 */
@Injectable()
export class LeaderService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Leader');
  /** This process's candidate id: host, pid and a random suffix (several apps per process in tests). */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private leader = false;
  /** The key holds our id as far as we know (it may not back a lease yet: see tick). */
  private held = false;
  private ticking = false;
  private again = false;
  private leaseUntil = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners: Array<(leader: boolean) => void> = [];

  constructor(
    private readonly locks: RedisLocks,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.redis.client.on('ready', () => this.kick());
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.held) {
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

  /** Runs a round now (after a reconnect: the master may be a new one) unless one is running. */
  private kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    void this.tick();
  }

  /**
   * One round: renew the key while it holds our id, else try to take it. The lease (what makes
   * this process act as leader) is extended only by a write the replicas acknowledged, so the
   * key a failover hands to the next master expires no earlier than the lease it backs.
   */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.ticking = true;
    const ttl = this.config.leaderLockTtlMs;
    const started = Date.now();
    try {
      if (this.held) {
        const { held, replicated } = await this.locks.renew(LEADER_KEY, this.id, ttl);
        if (!held) {
          this.held = false;
          this.setLeader(false, 'lost the lock to another process');
        } else if (replicated) {
          this.leaseUntil = started + ttl;
          this.setLeader(true);
        }
      } else {
        const { held, replicated } = await this.locks.take(LEADER_KEY, this.id, ttl);
        if (held) {
          this.held = true;
          if (replicated) {
            this.leaseUntil = started + ttl;
            this.setLeader(true);
          }
        }
      }
    } catch {
      // unreachable: the lease below decides
    }
    if (this.leader && Date.now() >= this.leaseUntil) this.setLeader(false, 'cannot renew the lease (Redis unreachable or not replicated)');
    this.ticking = false;
    if (this.stopped) return;
    const again = this.again;
    this.again = false;
    this.timer = setTimeout(() => void this.tick(), again ? 0 : Math.max(50, Math.floor(this.held ? ttl / 3 : ttl / 4)));
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
