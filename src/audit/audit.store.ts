import { Inject, Injectable } from '@nestjs/common';
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

  /** Appends one entry; resolves to its stream id (time-ordered). */
  async append(json: string): Promise<string> {
    const id = await this.redis.run((r) => r.xadd(AUDIT_STREAM, 'MAXLEN', '~', String(this.config.auditMaxLen), '*', 'data', json));
    return id ?? '';
  }

  /** Entries from `end` down to `start` (stream ids, `+`/`-`, `(` for exclusive), newest first. */
  page(end: string, start: string, count: number): Promise<Array<[id: string, fields: string[]]>> {
    return this.redis.run((r) => r.xrevrange(AUDIT_STREAM, end, start, 'COUNT', count));
  }
}
