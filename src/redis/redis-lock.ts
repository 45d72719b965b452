import { Injectable } from '@nestjs/common';
import { RedisService } from './redis.service';

// Renew or release only while the key still holds the caller's token: never extend or drop
// another owner's lease (compare-and-set, one round trip).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** What a take or a renewal did: `held`, the key holds the token; `replicated`, the replicas have it too. */
export interface LeaseWrite {
  held: boolean;
  replicated: boolean;
}

/**
 * Leases in Redis: a key holding its owner's token, with an expiry. Taken with SET NX PX, renewed
 * and released only by the token that holds it. Used for the watcher leader and the autoscaler's
 * round lock. Takes and renewals wait for the replicas (WAIT, when Redis has any), so a failover
 * cannot hand a lease its owner still acts on to a second owner; a release waits out a failover.
 */
@Injectable()
export class RedisLocks {
  constructor(private readonly redis: RedisService) {}

  /** Tries to take `key` for `token` for `ttlMs`. */
  async take(key: string, token: string, ttlMs: number): Promise<LeaseWrite> {
    const { value, replicated } = await this.redis.durableWrite((r) => r.set(key, token, 'PX', ttlMs, 'NX'));
    return { held: value === 'OK', replicated };
  }

  /** True when `token` now holds `key` for `ttlMs` (false: someone else does). */
  async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.take(key, token, ttlMs)).held;
  }

  /** Extends `token`'s lease on `key` by `ttlMs` while it still holds it. */
  async renew(key: string, token: string, ttlMs: number): Promise<LeaseWrite> {
    const { value, replicated } = await this.redis.durableWrite((r) => r.eval(RENEW, 1, key, token, String(ttlMs)));
    return { held: value === 1, replicated };
  }

  /** Frees `key` if `token` holds it, through a failover; true when it did. */
  async release(key: string, token: string): Promise<boolean> {
    return (await this.redis.durableThrough((r) => r.eval(RELEASE, 1, key, token))) === 1;
  }

  /** The token holding `key`, or null. */
  holder(key: string): Promise<string | null> {
    return this.redis.run((r) => r.get(key));
  }
}
