import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';

export const AUDIT_STREAM = 'swarm-cp:audit';

/** The audit log in Redis: a capped stream (AUDIT_MAXLEN, trimmed approximately) of JSON entries. */
@Injectable()
export class AuditStore {
  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Appends one entry, replicated before it resolves (WAIT, when Redis has replicas); resolves
   * to its stream id (time-ordered). With `throughOutage` a Redis outage (a failover) is waited
   * out for up to REDIS_FAILOVER_WAIT_MS.
   */
  async append(json: string, throughOutage = false): Promise<string> {
    const add = (r: Redis) =>
      r.xadd(AUDIT_STREAM, 'MAXLEN', '~', String(this.config.auditMaxLen), '*', 'data', json);
    const id = throughOutage ? await this.redis.durableThrough(add) : await this.redis.durable(add);
    return id ?? '';
  }

  /** Entries from `end` down to `start` (stream ids, `+`/`-`, `(` for exclusive), newest first. */
  page(end: string, start: string, count: number): Promise<Array<[id: string, fields: string[]]>> {
    return this.redis.run((r) => r.xrevrange(AUDIT_STREAM, end, start, 'COUNT', count));
  }
}
