import { Injectable } from '@nestjs/common';
import { RedisLocks } from '../redis/redis-lock';
import { RedisService } from '../redis/redis.service';

export const ROUND_LOCK_KEY = 'autoscaling:round-lock';
export const ROUNDS_KEY = 'autoscaling:rounds';
const ROUNDS_MAX = 500;

/** One evaluation round as recorded in Redis (autoscaling:rounds, newest first). */
export interface RoundRecord {
  worker: string;
  startedAt: number;
  endedAt: number;
  policies: number;
  decisions: number;
}

/**
 * Autoscaling rounds in Redis: the lock that keeps them from overlapping across workers (a lease,
 * renewed while a round runs) and the capped list of the last rounds.
 */
@Injectable()
export class RoundStore {
  constructor(
    private readonly redis: RedisService,
    private readonly locks: RedisLocks,
  ) {}

  /** True when `token` now holds the round lock for `ttlMs`. */
  lock(token: string, ttlMs: number): Promise<boolean> {
    return this.locks.acquire(ROUND_LOCK_KEY, token, ttlMs);
  }

  async renewLock(token: string, ttlMs: number): Promise<boolean> {
    return (await this.locks.renew(ROUND_LOCK_KEY, token, ttlMs)).held;
  }

  async unlock(token: string): Promise<void> {
    await this.locks.release(ROUND_LOCK_KEY, token);
  }

  async record(round: RoundRecord): Promise<void> {
    await this.redis.run((r) => r.multi().lpush(ROUNDS_KEY, JSON.stringify(round)).ltrim(ROUNDS_KEY, 0, ROUNDS_MAX - 1).exec());
  }
}
