import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RedisService } from '../redis/redis.service';
import { StoredRuleSet } from './alert-rules';

const RULES = 'alerting:rules';
const seenKey = (id: string) => `alerting:seen:${id}`;
const cooldownKey = (service: string, rule: string) => `alerting:cooldown:${service}:${rule}`;
/** How long an alert that acted is remembered: longer than any alert keeps firing unresolved, in practice. */
const SEEN_TTL_SECONDS = 30 * 86_400;

/**
 * Alert rules (one set per service, in one Redis hash), the alerts that already acted, and the
 * rules' cooldowns. Claims are atomic (SET NX), so two receivers handling re-sends of one alert
 * (an Alertmanager cluster, several api replicas) act once between them.
 */
@Injectable()
export class AlertRuleStore {
  constructor(private readonly redis: RedisService) {}

  async get(service: string): Promise<StoredRuleSet | null> {
    const raw = await this.redis.run((r) => r.hget(RULES, service));
    return raw ? (JSON.parse(raw) as StoredRuleSet) : null;
  }

  async list(): Promise<StoredRuleSet[]> {
    const all = await this.redis.run((r) => r.hgetall(RULES));
    return Object.values(all)
      .map((v) => JSON.parse(v) as StoredRuleSet)
      .sort((a, b) => a.service.localeCompare(b.service));
  }

  async put(set: StoredRuleSet): Promise<void> {
    await this.redis.run((r) => r.hset(RULES, set.service, JSON.stringify(set)));
  }

  async remove(service: string): Promise<boolean> {
    return (await this.redis.run((r) => r.hdel(RULES, service))) > 0;
  }

  /** The identity of one alert instance for one rule: a re-send carries the same group key, fingerprint and startsAt. */
  static alertId(service: string, rule: string, groupKey: string, fingerprint: string, startsAt: string): string {
    return createHash('sha256').update(JSON.stringify([service, rule, groupKey, fingerprint, startsAt])).digest('hex');
  }

  /** Claims the alert for acting; false when it already acted (or is acting elsewhere). */
  async claimAlert(id: string): Promise<boolean> {
    return (await this.redis.run((r) => r.set(seenKey(id), String(Date.now()), 'EX', SEEN_TTL_SECONDS, 'NX'))) === 'OK';
  }

  /** Gives an alert that did not act back, so a later re-send may act. */
  async releaseAlert(id: string): Promise<void> {
    await this.redis.run((r) => r.del(seenKey(id)));
  }

  /** Starts the rule's cooldown unless one runs: null when started, else the milliseconds left. */
  async claimCooldown(service: string, rule: string, seconds: number): Promise<number | null> {
    if (seconds <= 0) return null;
    const key = cooldownKey(service, rule);
    const [[, set], [, ttl]] = (await this.redis.run((r) =>
      r.multi().set(key, String(Date.now()), 'PX', seconds * 1000, 'NX').pttl(key).exec(),
    )) as [[unknown, string | null], [unknown, number]];
    return set === 'OK' ? null : Math.max(0, ttl);
  }

  async releaseCooldown(service: string, rule: string): Promise<void> {
    await this.redis.run((r) => r.del(cooldownKey(service, rule)));
  }
}
