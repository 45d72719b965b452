import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { gauge } from '../common/metrics';
import { StreamConnections } from '../common/limits/stream-connections';
import { EventBus } from './event-bus';
import { BusEvent, EVENT_TYPES, EventPayloads, EventType } from './event.types';
import { EventFilter, eventMatches, isStreamId } from './event-filter';
import { EventIterator } from './event-iterator';
import { LiveSource } from './live-source';
import { EventsQuery } from './events.query';
import { ReplayThenLive } from './replay-then-live';

const subscribers = gauge('swarm_cp_event_subscribers', 'live event subscribers connected to this process', ['transport']);

const REPLAY_PAGE = 500;

/** Live events for callers: GraphQL subscription iterators and SSE event streams, scoped and limited. */
@Injectable()
export class EventsService {
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
   * The events of an SSE stream (GET /v1/events). With a Last-Event-ID, the stream's entries after
   * it come first, then live ones, with no gap and no duplicate (live events wait while the replay
   * runs). The first replay page is read before this resolves, so an unreachable Redis is a 503,
   * not an empty stream. The stream holds one of the token's connections until it is closed.
   */
  async stream(caller: Caller, query: EventsQuery, lastEventIdHeader: string | undefined): Promise<ReplayThenLive> {
    const lastId = lastEventIdHeader !== undefined && lastEventIdHeader !== '' ? lastEventIdHeader : query.lastEventId;
    if (lastId !== undefined && !isStreamId(lastId)) throw AppError.validation('Last-Event-ID', 'must be an event id like 1700000000000-0');
    const filter: EventFilter = { types: new Set(query.types ?? EVENT_TYPES), service: query.service };
    const release = this.acquire(caller, 'sse');
    let unsubscribe = (): void => undefined;
    const live = new EventIterator<BusEvent>(this.config.sseMaxBuffer, () => {
      unsubscribe();
      release();
    });
    unsubscribe = this.bus.subscribe(filter.types, (e) => {
      if (eventMatches(e, filter, caller)) live.push(e);
    });
    let page: BusEvent[] = [];
    try {
      if (lastId) page = await this.bus.replay(lastId, REPLAY_PAGE);
    } catch (e) {
      void live.return();
      throw e;
    }
    const replay = (after: string) => this.bus.replay(after, REPLAY_PAGE);
    return new ReplayThenLive(page, lastId ?? null, replay, REPLAY_PAGE, live, (e) => eventMatches(e, filter, caller));
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
