import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';
import { AppError, ErrorCode } from '../common/errors';

/** The first answer to a keyed request: its success body, or the error it ended with. */
export interface StoredAnswer {
  status: number;
  body?: unknown;
  error?: { code: ErrorCode; message: string; errors?: Array<{ path: string; message: string }>; details?: Record<string, unknown> };
}

interface Entry {
  state: 'pending' | 'done';
  fingerprint: string;
  at: string;
  answer?: StoredAnswer;
}

/** How long a claim lasts while its first request runs (a crashed process frees the key then). */
export const PENDING_TTL_SECONDS = 120;

const KEY = /^[\x21-\x7e]{1,255}$/;

export function checkIdempotencyKey(key: unknown, path: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw AppError.validation(path, 'must be 1 to 255 visible ASCII characters');
  return key;
}

/** JSON with object keys sorted, so equal bodies give equal fingerprints whatever their key order. */
export function stableJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(stableJson(input)).digest('hex');
}

/**
 * Idempotency records in Redis, per caller and key: a claim (SET NX) while the first request
 * runs, then its answer for IDEMPOTENCY_TTL_SECONDS. Keys are hashed; nothing but RedisService
 * touches Redis.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(caller: string, key: string): string {
    return `swarm-cp:idem:${createHash('sha256').update(caller).update('\0').update(key).digest('hex')}`;
  }

  /**
   * Claims `key` for a new request (null: go ahead), or returns the stored first answer to
   * replay. Another body: 422 IDEMPOTENCY_KEY_REUSED; the first still running: 409.
   */
  async begin(caller: string, key: string, print: string): Promise<StoredAnswer | null> {
    const k = this.key(caller, key);
    const claim: Entry = { state: 'pending', fingerprint: print, at: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      // The claim must outlive a failover before the request acts, or a retry would act again.
      const ok = await this.redis.durable((r) => r.set(k, JSON.stringify(claim), 'EX', Math.min(PENDING_TTL_SECONDS, this.config.idempotencyTtlSeconds), 'NX'));
      if (ok === 'OK') return null;
      const raw = await this.redis.run((r) => r.get(k));
      if (raw === null) continue; // expired in between: claim again
      const entry = JSON.parse(raw) as Entry;
      if (entry.fingerprint !== print) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with another request body or operation');
      }
      if (entry.state === 'pending') {
        throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'the first request with this Idempotency-Key is still running; retry later');
      }
      return entry.answer!;
    }
    throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'this Idempotency-Key is changing hands; retry later');
  }

  async complete(caller: string, key: string, print: string, answer: StoredAnswer): Promise<void> {
    const entry: Entry = { state: 'done', fingerprint: print, at: new Date().toISOString(), answer };
    // The change is made: its answer is stored even if that means waiting out a failover.
    await this.redis.durableThrough((r) => r.set(this.key(caller, key), JSON.stringify(entry), 'EX', this.config.idempotencyTtlSeconds));
  }

  /** Frees the key so the same request may be retried (its first run changed nothing for sure). */
  async release(caller: string, key: string): Promise<void> {
    await this.redis.durableThrough((r) => r.del(this.key(caller, key)));
  }
}
