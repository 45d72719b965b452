import { Injectable } from '@nestjs/common';
import { RedisService } from '../redis/redis.service';
import { PolicySpec } from './decision';

export interface StoredPolicy extends PolicySpec {
  service: string;
  updatedAt: string;
  updatedBy: string;
}

const KEY = 'autoscaling:policies';

/** Autoscaling policies, one per service name, in one Redis hash. */
@Injectable()
export class PolicyStore {
  constructor(private readonly redis: RedisService) {}

  async get(service: string): Promise<StoredPolicy | null> {
    const raw = await this.redis.run((r) => r.hget(KEY, service));
    return raw ? (JSON.parse(raw) as StoredPolicy) : null;
  }

  async list(): Promise<StoredPolicy[]> {
    const all = await this.redis.run((r) => r.hgetall(KEY));
    return Object.values(all)
      .map((v) => JSON.parse(v) as StoredPolicy)
      .sort((a, b) => a.service.localeCompare(b.service));
  }

  async put(policy: StoredPolicy): Promise<void> {
    await this.redis.durable((r) => r.hset(KEY, policy.service, JSON.stringify(policy)));
  }

  /** True when there was a policy to remove. */
  async remove(service: string): Promise<boolean> {
    return (await this.redis.durable((r) => r.hdel(KEY, service))) > 0;
  }
}
