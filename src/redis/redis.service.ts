import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { closeWithin } from '../common/shutdown';

/**
 * The one owner of Redis connections (ioredis). Commands fail fast while Redis is down
 * (no offline queue, a command timeout) so requests answer 503 instead of hanging.
 */
@Injectable()
export class RedisService implements OnModuleDestroy {
  private readonly log = new Logger('Redis');
  private readonly connections: Redis[] = [];
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = this.connect('main');
  }

  private baseOptions(): RedisOptions {
    return {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: this.config.redisTimeoutMs,
      connectTimeout: this.config.redisTimeoutMs,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    };
  }

  private connect(name: string, extra: RedisOptions = {}): Redis {
    const c = new Redis(this.config.redisUrl, { ...this.baseOptions(), connectionName: `swarm-cp:${name}`, ...extra });
    let down = false;
    c.on('error', (e) => {
      if (!down) this.log.warn(`${name}: ${e.message}`);
      down = true;
    });
    c.on('ready', () => {
      if (down) this.log.log(`${name}: reconnected`);
      down = false;
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
    const u = new URL(this.config.redisUrl);
    return {
      host: u.hostname,
      port: Number(u.port || 6379),
      username: u.username || undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
      tls: u.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      connectTimeout: this.config.redisTimeoutMs,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    };
  }

  /** Runs a Redis call, turning connection failures and timeouts into REDIS_UNAVAILABLE. */
  async run<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') {
      if (this.client.status === 'wait' || this.client.status === 'end') this.client.connect().catch(() => undefined);
      throw new AppError('REDIS_UNAVAILABLE', 'Redis is unreachable');
    }
    try {
      return await fn(this.client);
    } catch (e) {
      if (e instanceof AppError) throw e;
      const msg = (e as Error).message ?? '';
      if (/Command timed out|Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable|enableOfflineQueue|max retries/i.test(msg)) {
        throw new AppError('REDIS_UNAVAILABLE', `Redis is unreachable: ${msg}`);
      }
      throw e;
    }
  }

  async ping(): Promise<void> {
    await this.run((r) => r.ping());
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      this.connections.map((c) =>
        closeWithin(1000, () => c.quit().then(() => undefined)).catch(() => c.disconnect()),
      ),
    );
  }
}
