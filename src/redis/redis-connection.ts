import { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

/**
 * The one description every connection is built from: the parts of REDIS_URL, or the Sentinels
 * and the master set's name. In the Sentinel form ioredis asks a Sentinel for the master at every
 * (re)connect and checks the server's role (a replica is refused and the next Sentinel asked).
 * A switch is noticed by the connection closing (the master died: reconnect, ask again) or by
 * a write refused with READONLY (a master demoted under us: `reconnectOnError`). ioredis'
 * `failoverDetector` is left off: its `+switch-master` handler closes the connector while a
 * reconnect may be asking a Sentinel for the master, and that reconnect then ends the client
 * for good (status `end`, never retried) - found killing the master under load.
 */
export function connectionOptions(config: Pick<AppConfig, 'redisUrl' | 'redisSentinel' | 'redisTimeoutMs'>): RedisOptions {
  const s = config.redisSentinel;
  if (s) {
    return {
      sentinels: s.sentinels,
      name: s.masterName,
      role: 'master',
      password: s.password,
      sentinelPassword: s.sentinelPassword,
      sentinelCommandTimeout: config.redisTimeoutMs,
      failoverDetector: false,
      // While no master is elected the Sentinels still name the dead one: ask again soon.
      retryStrategy: (times) => Math.min(times * 100, 500),
      sentinelRetryStrategy: (times) => Math.min(times * 100, 1000),
    };
  }
  const u = new URL(config.redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

/** A write sent to a server that is (no longer) the master. */
export function isReadonlyError(e: Error): boolean {
  return /^READONLY\b/.test(e.message ?? '');
}

/** `role` and `connected_slaves` out of `INFO replication`. */
export function parseReplication(info: string): { role: string; replicas: number } {
  const role = /^role:(\w+)/m.exec(info)?.[1] ?? 'unknown';
  const replicas = Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? 0);
  return { role, replicas };
}
