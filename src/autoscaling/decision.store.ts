import { Injectable } from '@nestjs/common';
import { RedisService } from '../redis/redis.service';
import { DecisionHistory } from './decision';
import { AutoscalingDecisionView } from './autoscaling.models';

const ALL = 'autoscaling:decisions';
const perService = (s: string) => `autoscaling:decisions:${s}`;
const history = (s: string) => `autoscaling:history:${s}`;
const ALL_MAX = 10_000;
const PER_SERVICE_MAX = 1000;

/**
 * Every decision, newest first, in capped Redis lists (one for all services, one per service),
 * and per service the history later decisions depend on (last scale-up, recent recommendations).
 */
@Injectable()
export class DecisionStore {
  constructor(private readonly redis: RedisService) {}

  async record(d: AutoscalingDecisionView): Promise<void> {
    const json = JSON.stringify(d);
    await this.redis.run((r) =>
      r
        .multi()
        .lpush(ALL, json)
        .ltrim(ALL, 0, ALL_MAX - 1)
        .lpush(perService(d.service), json)
        .ltrim(perService(d.service), 0, PER_SERVICE_MAX - 1)
        .exec(),
    );
  }

  /** Newest first; `filter` drops entries (scope) before the limit applies. */
  async list(opts: { service?: string; limit: number; filter?: (d: AutoscalingDecisionView) => boolean }): Promise<AutoscalingDecisionView[]> {
    const key = opts.service ? perService(opts.service) : ALL;
    const span = opts.filter ? ALL_MAX : opts.limit;
    const raw = await this.redis.run((r) => r.lrange(key, 0, span - 1));
    const out: AutoscalingDecisionView[] = [];
    for (const line of raw) {
      const d = JSON.parse(line) as AutoscalingDecisionView;
      if (opts.filter && !opts.filter(d)) continue;
      out.push(d);
      if (out.length >= opts.limit) break;
    }
    return out;
  }

  async history(service: string): Promise<DecisionHistory> {
    const raw = await this.redis.run((r) => r.get(history(service)));
    return raw ? (JSON.parse(raw) as DecisionHistory) : { lastScaleUpAt: null, recommendations: [] };
  }

  async saveHistory(service: string, h: DecisionHistory): Promise<void> {
    await this.redis.run((r) => r.set(history(service), JSON.stringify(h), 'EX', 7 * 86_400));
  }

  async forget(service: string): Promise<void> {
    await this.redis.run((r) => r.del(history(service)));
  }
}
