import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { RedisService } from '../redis/redis.service';
import { DeploymentRecord, isTerminal } from './deployment.types';

const KEY = {
  record: (id: string) => `swarm-cp:deploy:rec:${id}`,
  /** Active deployments of a service, oldest first: the head holds the service (the lock). */
  service: (name: string) => `swarm-cp:deploy:svc:${name}`,
  /** Every deployment id by creation time (listing and retention). */
  index: 'swarm-cp:deploy:index',
};

// Compare-and-set on `rev`; a terminal write also sets the retention TTL and frees the service.
// KEYS: record, service list. ARGV: expected rev, new JSON, ttl seconds (0: none), id, terminal (1|0)
const CAS = `
local cur = redis.call('GET', KEYS[1])
if not cur then return -1 end
if tostring(cjson.decode(cur).rev) ~= ARGV[1] then return 0 end
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) else redis.call('SET', KEYS[1], ARGV[2]) end
if ARGV[5] == '1' then redis.call('LREM', KEYS[2], 0, ARGV[4]) end
return 1`;

/** Time-ordered, unguessable ids: "d-<time36>-<random>". */
export function newDeploymentId(now = Date.now()): string {
  return `d-${now.toString(36)}-${randomBytes(5).toString('hex')}`;
}

/**
 * Deployment records in Redis (through RedisService): one JSON document per deployment,
 * written compare-and-set so the API (requests) and the worker (steps) never lose each
 * other's writes; finished ones expire after DEPLOY_RETENTION_HOURS.
 */
@Injectable()
export class DeploymentStore {
  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get ttlSeconds(): number {
    return this.config.deployRetentionHours * 3600;
  }

  /**
   * Stores a new deployment and puts it at the end of its service's line. Not yet protected
   * against a failover: the caller enqueues its job, then calls `replicated()` for both.
   */
  async create(d: DeploymentRecord): Promise<void> {
    await this.redis.run(async (r) => {
      const res = await r
        .multi()
        .set(KEY.record(d.id), JSON.stringify(d), 'NX')
        .rpush(KEY.service(d.service), d.id)
        .zadd(KEY.index, Date.parse(d.createdAt), d.id)
        .exec();
      const err = res?.find(([e]) => e)?.[0];
      if (err) throw err;
    });
  }

  /** Waits until the writes acknowledged so far (the record, its job) are on the replicas. */
  async replicated(): Promise<void> {
    await this.redis.replicated();
  }

  async get(id: string): Promise<DeploymentRecord | null> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return null;
    const raw = await this.redis.run((r) => r.get(KEY.record(id)));
    return raw ? (JSON.parse(raw) as DeploymentRecord) : null;
  }

  async mustGet(id: string): Promise<DeploymentRecord> {
    const d = await this.get(id);
    if (!d) throw new AppError('DEPLOYMENT_NOT_FOUND', `deployment "${id}" not found`);
    return d;
  }

  /**
   * Read-modify-write: `change` mutates a fresh copy (it may run more than once when another
   * writer got in between); returning false leaves the record as it is.
   */
  async update(id: string, change: (d: DeploymentRecord) => void | false): Promise<DeploymentRecord> {
    for (let i = 0; i < 50; i++) {
      const cur = await this.mustGet(id);
      const next = structuredClone(cur);
      if (change(next) === false) return cur;
      next.rev = cur.rev + 1;
      const terminal = isTerminal(next.status);
      const ttl = terminal ? this.ttlSeconds : 0;
      // Every transition (steps, status, callers' requests) must survive a failover.
      const res = await this.redis.durable((r) =>
        r.eval(CAS, 2, KEY.record(id), KEY.service(cur.service), String(cur.rev), JSON.stringify(next), String(ttl), id, terminal ? '1' : '0'),
      );
      if (res === 1) return next;
      if (res === -1) throw new AppError('DEPLOYMENT_NOT_FOUND', `deployment "${id}" not found`);
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
    throw new AppError('CONFLICT', `deployment "${id}" is being changed concurrently; try again`);
  }

  /** Active deployment ids of a service, in the order they run. */
  line(service: string): Promise<string[]> {
    return this.redis.run((r) => r.lrange(KEY.service(service), 0, -1));
  }

  /** Drops an id from its service's line (a record that vanished or finished without it). */
  async leaveLine(service: string, id: string): Promise<void> {
    await this.redis.run((r) => r.lrem(KEY.service(service), 0, id));
  }

  /** Newest first; records past retention drop out of the index. */
  async list(filter: { service?: string; status?: string; limit?: number }): Promise<DeploymentRecord[]> {
    const limit = filter.limit ?? 100;
    const cutoff = Date.now() - this.ttlSeconds * 1000;
    const ids = await this.redis.run(async (r) => {
      await r.zremrangebyscore(KEY.index, '-inf', `(${cutoff}`);
      return r.zrevrange(KEY.index, 0, 4999);
    });
    const out: DeploymentRecord[] = [];
    for (let i = 0; i < ids.length && out.length < limit; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const raws = await this.redis.run((r) => r.mget(chunk.map(KEY.record)));
      for (const raw of raws) {
        if (!raw) continue;
        const d = JSON.parse(raw) as DeploymentRecord;
        if (filter.service && d.service !== filter.service) continue;
        if (filter.status && d.status !== filter.status) continue;
        out.push(d);
        if (out.length >= limit) break;
      }
    }
    return out;
  }
}
