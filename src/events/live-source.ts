import { Caller } from '../common/auth/roles';
import { EventBus } from './event-bus';
import { EventType } from './event.types';
import { EventFilter, eventMatches } from './event-filter';
import { EventIterator } from './event-iterator';

/**
 * The source of one GraphQL subscription: which events (type, filter) and for whom (the
 * caller's scope). The graphql-ws fan-out (graphql-fanout.ts) recognises it and serves all
 * subscribers of the same query, variables and scope from one bus listener; iterated directly,
 * it is a bounded per-subscriber iterator of its own. Either way `return()` ends it once and
 * gives back the caller's stream slot.
 */
export class LiveSource<T = unknown> implements AsyncIterableIterator<T> {
  private own: EventIterator<T> | null = null;
  private ended = false;

  constructor(
    readonly type: EventType,
    readonly filter: EventFilter,
    readonly caller: Caller,
    private readonly bus: EventBus,
    private readonly maxBuffer: number,
    private readonly release: () => void,
  ) {}

  /** Whether `caller` may see this event and asked for it. */
  matches(e: Parameters<typeof eventMatches>[0]): boolean {
    return eventMatches(e, this.filter, this.caller);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (!this.own) {
      let unsubscribe = (): void => undefined;
      const it = new EventIterator<T>(this.maxBuffer, () => {
        unsubscribe();
        this.end();
      });
      unsubscribe = this.bus.subscribe([this.type], (e) => {
        if (this.matches(e)) it.push(e.payload as T);
      });
      this.own = it;
    }
    return this.own.next();
  }

  return(): Promise<IteratorResult<T>> {
    if (this.own) return this.own.return();
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.release();
  }
}
