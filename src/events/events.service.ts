import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { gauge } from '../monitoring/metrics';
import { StreamConnections } from '../common/limits/stream-connections';
import { EventBus } from './event-bus';
import { BusEvent, EVENT_TYPES, EventPayloads, EventType } from './event.types';
import { compareStreamIds, EventFilter, eventMatches, isStreamId } from './event-filter';
import { LiveSource } from './live-source';
import { SseConnection } from './sse-connection';
import { EventsQuery } from './events.query';

const subscribers = gauge('swarm_cp_event_subscribers', 'live event subscribers connected to this process', ['transport']);

const REPLAY_PAGE = 500;

/** Live events for callers: GraphQL subscription iterators and SSE streams, scoped and limited. */
@Injectable()
export class EventsService {
  private readonly log = new Logger('Events');

  constructor(
    private readonly bus: EventBus,
    private readonly streams: StreamConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A GraphQL subscription's source: payloads of one type the caller may see. Its filter must
   * follow from the subscription's arguments and the caller's scope alone: the graphql-ws
   * fan-out shares one source among subscribers with the same query, variables and scope.
   */
  subscription<T extends EventType>(caller: Caller, type: T, opts: { service?: string | null; where?: (p: EventPayloads[T]) => boolean } = {}): AsyncIterableIterator<EventPayloads[T]> {
    const release = this.acquire(caller, 'graphql-ws');
    const filter: EventFilter = {
      types: new Set([type]),
      service: opts.service ?? undefined,
      where: opts.where ? (e) => opts.where!(e.payload as EventPayloads[T]) : undefined,
    };
    return new LiveSource<EventPayloads[T]>(type, filter, caller, this.bus, this.config.sseMaxBuffer, release);
  }

  /**
   * GET /v1/events: hijacks the reply and streams Server-Sent Events until the client leaves.
   * With a Last-Event-ID, the stream's entries after it come first, then live ones, with no
   * gap and no duplicate (live events are held back while the replay runs).
   */
  async stream(caller: Caller, query: EventsQuery, lastEventIdHeader: string | undefined, reply: FastifyReply): Promise<void> {
    const lastId = lastEventIdHeader !== undefined && lastEventIdHeader !== '' ? lastEventIdHeader : query.lastEventId;
    if (lastId !== undefined && !isStreamId(lastId)) throw AppError.validation('Last-Event-ID', 'must be an event id like 1700000000000-0');
    const filter: EventFilter = { types: new Set(query.types ?? EVENT_TYPES), service: query.service };

    const release = this.acquire(caller, 'sse');
    let conn: SseConnection | null = null;
    let held: BusEvent[] | null = lastId ? [] : null;
    let seen = lastId ?? null;
    const send = (e: BusEvent): void => {
      if (seen && compareStreamIds(e.id, seen) <= 0) return;
      seen = e.id;
      conn?.send(e);
    };
    const unsubscribe = this.bus.subscribe(filter.types, (e) => {
      if (!eventMatches(e, filter, caller)) return;
      if (held) held.push(e);
      else send(e);
    });
    const finish = (): void => {
      unsubscribe();
      release();
    };

    // The first replay page before answering, so an unreachable Redis is a 503, not an empty stream.
    let page: BusEvent[] = [];
    try {
      if (lastId) page = await this.bus.replay(lastId, REPLAY_PAGE);
    } catch (e) {
      finish();
      throw e;
    }

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(reply.request.id),
    });
    conn = new SseConnection(raw, this.config.sseMaxBuffer, this.config.sseHeartbeatMs, (reason) => {
      finish();
      this.log.debug(`SSE stream of ${caller.name} closed: ${reason}`);
    });
    raw.write('retry: 2000\n\n');
    conn.comment('connected');

    if (!lastId) return;
    try {
      let cursor = lastId;
      while (!conn.isClosed) {
        for (const e of page) {
          cursor = e.id;
          if (eventMatches(e, filter, caller)) send(e);
        }
        if (page.length < REPLAY_PAGE) break;
        await conn.writable();
        page = await this.bus.replay(cursor, REPLAY_PAGE);
      }
      if (compareStreamIds(cursor, seen ?? cursor) > 0) seen = cursor;
    } catch (e) {
      conn.comment(`replay failed: ${(e as Error).message}`);
      conn.end();
      return;
    } finally {
      const buffered = held ?? [];
      held = null;
      for (const e of buffered) send(e);
    }
  }

  /** Counts a long-lived connection against the token's limit (shared with followed logs). */
  private acquire(caller: Caller, transport: 'sse' | 'graphql-ws'): () => void {
    const release = this.streams.acquire(caller);
    subscribers.inc({ transport });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      subscribers.dec({ transport });
      release();
    };
  }
}
