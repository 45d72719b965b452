import { Injectable } from '@nestjs/common';
import { RedisService } from './redis.service';

// Renew or release only while the key still holds the caller's token: never extend or drop
// another owner's lease (compare-and-set, one round trip).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Leases in Redis: a key holding its owner's token, with an expiry. Taken with SET NX PX, renewed
 * and released only by the token that holds it. Used for the watcher leader and the autoscaler's
 * round lock.
 */
@Injectable()
export class RedisLocks {
  constructor(private readonly redis: RedisService) {}

  /** True when `token` now holds `key` for `ttlMs` (false: someone else does). */
  async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.run((r) => r.set(key, token, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  /** True when `token` still held `key` and its lease now runs `ttlMs` more. */
  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.run((r) => r.eval(RENEW, 1, key, token, String(ttlMs)))) === 1;
  }

  /** Frees `key` if `token` holds it; true when it did. */
  async release(key: string, token: string): Promise<boolean> {
    return (await this.redis.run((r) => r.eval(RELEASE, 1, key, token))) === 1;
  }

  /** The token holding `key`, or null. */
  holder(key: string): Promise<string | null> {
    return this.redis.run((r) => r.get(key));
  }
}
