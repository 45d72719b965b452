import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';
import { counter } from '../common/metrics';
import { BusEvent, EventPayloads, EventType } from './event.types';
import { compareStreamIds } from './event-filter';

export const EVENT_STREAM_KEY = 'swarm-cp:events';
export const EVENT_CHANNEL = 'swarm-cp:events:live';
/** How long a catch-up after a reconnect keeps trying while the other connections come back. */
const CATCH_UP_RETRY_MS = 10_000;

// One round trip, atomic: the entry is in the replay stream before anyone hears of it, and
// pub/sub messages go out in stream order, so a subscriber can tell gaps and duplicates by id.
const PUBLISH_SCRIPT = `local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[2])
return id`;
const PUBLISH_SHA = createHash('sha1').update(PUBLISH_SCRIPT).digest('hex');

const published = counter('swarm_cp_events_published_total', 'events published to the event bus', ['type']);
const publishFailed = counter('swarm_cp_events_publish_failures_total', 'events that could not be published (Redis unreachable)', ['type']);

export interface PublishOptions {
  /** The service the event is about: the `service=` filter and the token scope check. */
  service?: string;
  /** The service's labels when published (token scopes are checked against them): the publisher knows them. */
  labels?: Record<string, string> | null;
}

/** `subscribers`: how many subscribers one listener serves (a graphql-ws fan-out group); 1 when absent. */
export type EventListener = ((e: BusEvent) => void) & { subscribers?: () => number };

interface Stored {
  type: EventType;
  service: string | null;
  labels: Record<string, string> | null;
  payload: unknown;
}

/**
 * The event bus: a capped Redis stream for replay (EVENT_STREAM_MAXLEN, trimmed with ~) and
 * Redis pub/sub for live fan-out to every API replica. Each process holds one subscriber
 * connection and fans events out in-process to its listeners (GraphQL subscriptions, SSE).
 * After a reconnect the gap is read back from the stream, so listeners miss nothing.
 *
 *   eventBus.publish('deployment', { id, service, status, ... }, { service, labels })
 */
@Injectable()
export class EventBus implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('EventBus');
  private readonly listeners = new Map<EventType, Set<EventListener>>();
  private sub?: Redis;
  private lastId: string | null = null;
  private catchingUp: Array<[string, string]> | null = null;
  private connectedOnce = false;
  private publishDown = false;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const sub = this.redis.dedicated('events-sub');
    this.sub = sub;
    sub.on('message', (_channel: string, message: string) => {
      const sp = message.indexOf(' ');
      if (sp > 0) this.receive(message.slice(0, sp), message.slice(sp + 1));
    });
    sub.on('ready', () => {
      if (this.connectedOnce) void this.catchUp();
      this.connectedOnce = true;
    });
    sub.subscribe(EVENT_CHANNEL).catch((e) => this.log.warn(`subscribe failed: ${(e as Error).message}`));
  }

  onModuleDestroy(): void {
    this.listeners.clear();
  }

  /**
   * Publishes an event to every replica and to the replay stream. Resolves to the event id, or
   * null when Redis is unreachable (logged and counted; callers need not care).
   */
  async publish<T extends EventType>(type: T, payload: EventPayloads[T], opts: PublishOptions = {}): Promise<string | null> {
    const service = opts.service ?? null;
    const labels = opts.labels ?? null;
    const body: Stored = { type, service, labels, payload };
    const json = JSON.stringify(body);
    const args = [EVENT_STREAM_KEY, EVENT_CHANNEL, String(this.config.eventStreamMaxLen), json];
    try {
      const id = await this.redis.run(async (r) => {
        try {
          return (await r.evalsha(PUBLISH_SHA, 2, ...args)) as string;
        } catch (e) {
          if (!/NOSCRIPT/.test((e as Error).message)) throw e;
          return (await r.eval(PUBLISH_SCRIPT, 2, ...args)) as string;
        }
      });
      published.inc({ type });
      if (this.publishDown) this.log.log('publishing again');
      this.publishDown = false;
      return id;
    } catch (e) {
      publishFailed.inc({ type });
      if (!this.publishDown) this.log.warn(`cannot publish ${type} events: ${(e as Error).message}`);
      this.publishDown = true;
      return null;
    }
  }

  /** Calls `listener` for every event of these types, from any replica. Returns the unsubscribe. */
  subscribe(types: Iterable<EventType>, listener: EventListener): () => void {
    const sets: Set<EventListener>[] = [];
    for (const t of new Set(types)) {
      let set = this.listeners.get(t);
      if (!set) this.listeners.set(t, (set = new Set()));
      set.add(listener);
      sets.push(set);
    }
    return () => sets.forEach((s) => s.delete(listener));
  }

  /** How many in-process subscribers wait for events of this type. */
  listenerCount(type: EventType): number {
    let n = 0;
    for (const l of this.listeners.get(type) ?? []) n += l.subscribers?.() ?? 1;
    return n;
  }

  /** Stream entries strictly after `afterId`, oldest first, at most `count`. */
  async replay(afterId: string, count = 500): Promise<BusEvent[]> {
    const entries = await this.redis.run((r) => r.xrange(EVENT_STREAM_KEY, `(${afterId}`, '+', 'COUNT', count));
    const out: BusEvent[] = [];
    for (const [id, fields] of entries) {
      const e = this.parse(id, fields[1]);
      if (e) out.push(e);
    }
    return out;
  }

  /** The newest entry id of the replay stream ("0-0" when empty). */
  async latestId(): Promise<string> {
    const last = await this.redis.run((r) => r.xrevrange(EVENT_STREAM_KEY, '+', '-', 'COUNT', 1));
    return last[0]?.[0] ?? '0-0';
  }

  private receive(id: string, json: string): void {
    if (this.catchingUp) {
      this.catchingUp.push([id, json]);
      return;
    }
    this.deliver(id, json);
  }

  private deliver(id: string, json: string): void {
    if (this.lastId && compareStreamIds(id, this.lastId) <= 0) return; // already delivered
    this.lastId = id;
    const e = this.parse(id, json);
    const set = e && this.listeners.get(e.type);
    if (!e || !set?.size) return;
    for (const l of [...set]) {
      try {
        l(e);
      } catch (err) {
        this.log.error(`event listener failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * After the subscriber reconnected: deliver what was published while it was away. The other
   * connections may come back a moment later (a failover), so a failed read is tried again for
   * a while; live messages wait in the buffer meanwhile, so order is kept.
   */
  private async catchUp(): Promise<void> {
    if (!this.lastId || this.catchingUp) return;
    this.catchingUp = [];
    const deadline = Date.now() + CATCH_UP_RETRY_MS;
    try {
      for (;;) {
        try {
          await this.readMissed();
          break;
        } catch (e) {
          if (Date.now() >= deadline || this.sub?.status !== 'ready') throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } catch (e) {
      this.log.warn(`catch-up after reconnect failed: ${(e as Error).message}`);
    } finally {
      const buffered = this.catchingUp;
      this.catchingUp = null;
      for (const [id, json] of buffered) this.deliver(id, json);
    }
  }

  private async readMissed(): Promise<void> {
    // After a Redis failover the new master's stream may end before the last event delivered
    // here (entries the replica never got). Its ids continue from its own end: take that as
    // the point to go on from, or newer events would be dropped as duplicates.
    const end = await this.latestId();
    if (this.lastId && compareStreamIds(end, this.lastId) < 0) {
      this.log.warn(`the event stream ends at ${end}, before ${this.lastId} delivered here: events after ${end} were lost in a Redis failover`);
      this.lastId = end;
    }
    for (;;) {
      const from = this.lastId ?? '0-0';
      const entries = await this.redis.run((r) => r.xrange(EVENT_STREAM_KEY, `(${from}`, '+', 'COUNT', 500));
      for (const [id, fields] of entries) this.deliver(id, fields[1]);
      if (entries.length < 500) break;
    }
  }

  private parse(id: string, json: string | undefined): BusEvent | null {
    try {
      const s = JSON.parse(json ?? '') as Stored;
      return { id, type: s.type, service: s.service, labels: s.labels, payload: s.payload } as BusEvent;
    } catch {
      this.log.warn(`ignoring malformed event ${id}`);
      return null;
    }
  }
}
