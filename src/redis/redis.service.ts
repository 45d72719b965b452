import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { closeWithin } from '../common/shutdown';
import { counter, gauge } from '../common/metrics';
import { connectionOptions, isReadonlyError, parseReplication } from './redis-connection';
import { ReplicationBarrier } from './replication-barrier';

const unreplicated = counter(
  'swarm_cp_redis_unreplicated_writes_total',
  'protected writes the replicas did not acknowledge within REDIS_WAIT_TIMEOUT_MS (a failover right then may lose them)',
);
const replicasGauge = gauge('swarm_cp_redis_replicas', 'replicas connected to the Redis master, as last read (INFO replication)');

/** How often the replica count is re-read besides at every (re)connect and after a shortfall. */
const REPLICAS_REFRESH_MS = 10_000;

/**
 * The one owner of Redis connections (ioredis). Every connection - its own commands, dedicated
 * subscribers, BullMQ's (`bullOptions`) - is built from one description (`REDIS_URL`, or the
 * Sentinels and master name) and, in the Sentinel form, follows the master through a failover.
 * Commands fail fast while Redis is down (no offline queue, a command timeout) so requests answer
 * 503 instead of hanging. `durable` adds WAIT for writes that must survive a failover.
 */
@Injectable()
export class RedisService implements OnModuleDestroy {
  private readonly log = new Logger('Redis');
  private readonly connections: Redis[] = [];
  readonly client: Redis;
  /** Carries the WAITs of protected writes, so a WAIT never holds up the shared client. */
  private readonly waitClient: Redis;
  private readonly barrier: ReplicationBarrier;
  private replicas = 0;
  /** The replica count read at the last (re)connect: protected writes wait for it first. */
  private replicasRead: Promise<void> = Promise.resolve();
  private readonly refresher: NodeJS.Timeout;
  private closing = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = this.connect('main');
    this.waitClient = this.connect('wait', { commandTimeout: config.redisWaitTimeoutMs + config.redisTimeoutMs });
    this.barrier = new ReplicationBarrier(async () => {
      const want = this.wantedReplicas();
      if (want === 0) return true;
      if (this.waitClient.status !== 'ready') throw new AppError('REDIS_UNAVAILABLE', 'Redis is unreachable');
      const acks = await this.guard(() => this.waitAcks(want));
      if (acks >= want) return true;
      this.log.warn(`a protected write reached ${acks} of ${want} replica(s) within ${this.config.redisWaitTimeoutMs} ms`);
      void this.refreshReplicas();
      return false;
    });
    // The replica count decides whether WAIT is used: read at every (re)connect, on a master
    // found through Sentinel after a failover too, and now and then.
    this.client.on('ready', () => {
      this.replicasRead = this.refreshReplicas();
    });
    this.refresher = setInterval(() => void this.refreshReplicas(), REPLICAS_REFRESH_MS);
    this.refresher.unref();
  }

  private baseOptions(): RedisOptions {
    return {
      ...connectionOptions(this.config),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: this.config.redisTimeoutMs,
      connectTimeout: this.config.redisTimeoutMs,
      // A master demoted under us (a failover it survived) refuses writes: find the master again.
      reconnectOnError: (e) => (isReadonlyError(e) ? 1 : false),
    };
  }

  private connect(name: string, extra: RedisOptions = {}): Redis {
    const c = new Redis({ ...this.baseOptions(), connectionName: `swarm-cp:${name}`, ...extra });
    let down = false;
    c.on('error', (e) => {
      if (!down) this.log.warn(`${name}: ${e.message}`);
      down = true;
    });
    c.on('ready', () => {
      if (down) this.log.log(`${name}: reconnected`);
      down = false;
    });
    // ioredis gives a client up for good when a reconnect fails in its connector (not only in
    // the socket); ours come back anyway.
    c.on('end', () => {
      if (this.closing) return;
      this.log.warn(`${name}: connection ended; connecting again`);
      setTimeout(() => {
        if (!this.closing && c.status === 'end') c.connect().catch(() => undefined);
      }, 500).unref();
    });
    c.connect().catch(() => undefined);
    this.connections.push(c);
    return c;
  }

  /** A dedicated connection (pub/sub subscribers, blocking reads). */
  dedicated(name: string): Redis {
    return this.connect(name, { enableOfflineQueue: true, commandTimeout: undefined });
  }

  /** Connection options for BullMQ, which manages its own connections and needs blocking commands. */
  bullOptions(): RedisOptions {
    return {
      ...connectionOptions(this.config),
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      connectTimeout: this.config.redisTimeoutMs,
      // Re-sent after the reconnect: a READONLY command was not executed.
      reconnectOnError: (e) => (isReadonlyError(e) ? 2 : false),
    };
  }

  /** Runs a Redis call, turning connection failures and timeouts into REDIS_UNAVAILABLE. */
  async run<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') {
      if (this.client.status === 'wait' || this.client.status === 'end') this.client.connect().catch(() => undefined);
      throw new AppError('REDIS_UNAVAILABLE', 'Redis is unreachable');
    }
    return this.guard(() => fn(this.client));
  }

  /**
   * A write that must survive a failover: runs it, then waits until the replicas have it
   * (WAIT, shared by concurrent writers; skipped when the master has no replica). Throws
   * REDIS_UNAVAILABLE when Redis is unreachable; a replica too slow to acknowledge within
   * REDIS_WAIT_TIMEOUT_MS is logged and counted (swarm_cp_redis_unreplicated_writes_total), not
   * turned into an error, since the write itself happened.
   */
  async durable<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    return (await this.durableWrite(fn)).value;
  }

  /**
   * `durable` for a write that records a change already made (its audit entry, its idempotency
   * answer): while Redis is unreachable - a failover under way - it is tried again for up to
   * REDIS_FAILOVER_WAIT_MS before giving up, so the caller's acknowledgement waits for it. A try
   * that reached the master but not its answer may leave the write done twice.
   */
  async durableThrough<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.config.redisFailoverWaitMs;
    for (;;) {
      try {
        return await this.durable(fn);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'REDIS_UNAVAILABLE') || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
      }
    }
  }

  /** `durable`, also telling whether the replicas acknowledged the write (true without replicas). */
  async durableWrite<T>(fn: (r: Redis) => Promise<T>): Promise<{ value: T; replicated: boolean }> {
    const value = await this.run(fn);
    const replicated = await this.replicated();
    return { value, replicated };
  }

  /**
   * Waits until every write this process had acknowledged before the call (on any connection,
   * BullMQ's included) is on the replicas: one write + WAIT on a connection of its own.
   */
  async replicated(): Promise<boolean> {
    await this.replicasRead;
    if (this.wantedReplicas() === 0) return true;
    const ok = await this.barrier.wait();
    if (!ok) unreplicated.inc();
    return ok;
  }

  /** Replicas a protected write waits for: as configured, at most those connected. */
  wantedReplicas(): number {
    return Math.min(this.config.redisWaitReplicas, this.replicas);
  }

  async ping(): Promise<void> {
    await this.run((r) => r.ping());
  }

  private async waitAcks(want: number): Promise<number> {
    // WAIT covers the replication offset of this connection's own last write; the write makes
    // that offset include everything the master had applied before it, from any connection.
    const res = await this.waitClient
      .pipeline()
      .incr('swarm-cp:replication-barrier')
      .wait(want, this.config.redisWaitTimeoutMs)
      .exec();
    const err = res?.find(([e]) => e)?.[0];
    if (err) throw err;
    return Number(res?.[1]?.[1] ?? 0);
  }

  private async refreshReplicas(): Promise<void> {
    if (this.client.status !== 'ready') return;
    try {
      const { role, replicas } = parseReplication(await this.client.info('replication'));
      const n = role === 'master' ? replicas : 0;
      if (n !== this.replicas) this.log.log(`master has ${n} replica(s): protected writes wait for ${Math.min(this.config.redisWaitReplicas, n)}`);
      this.replicas = n;
      replicasGauge.set(n);
    } catch {
      // unreachable: the next (re)connect reads it again
    }
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AppError) throw e;
      const msg = (e as Error).message ?? '';
      if (/Command timed out|Connection is closed|Command aborted|ECONNREFUSED|ECONNRESET|Stream isn't writeable|enableOfflineQueue|max retries|READONLY|LOADING|MASTERDOWN/i.test(msg)) {
        throw new AppError('REDIS_UNAVAILABLE', `Redis is unreachable: ${msg}`);
      }
      throw e;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.refresher);
    await Promise.all(
      this.connections.map((c) =>
        closeWithin(1000, () => c.quit().then(() => undefined)).catch(() => c.disconnect()),
      ),
    );
  }
}
