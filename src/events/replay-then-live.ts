import { BusEvent } from './event.types';
import { compareStreamIds } from './event-filter';
import { EventIterator } from './event-iterator';

const DONE: IteratorResult<BusEvent> = { value: undefined, done: true };

/**
 * A resumed event stream: the replay stream's entries after the client's Last-Event-ID, page by
 * page, then the live events that arrived meanwhile and after (held in `live` while the replay
 * runs), with no gap and no duplicate. Pulled one event at a time, so a slow reader paces the
 * replay; return() ends it at once (and with it the live subscription).
 */
export class ReplayThenLive implements AsyncIterableIterator<BusEvent> {
  private cursor: string | null;
  private seen: string | null;
  private more: boolean;
  private closed = false;
  private readonly resumed: boolean;
  /** Called once, when a resumed stream has sent what was kept and turns to live events. */
  onReplayed?: () => void;

  constructor(
    private page: BusEvent[],
    lastId: string | null,
    private readonly replay: (afterId: string) => Promise<BusEvent[]>,
    private readonly pageSize: number,
    private readonly live: EventIterator<BusEvent>,
    private readonly wanted: (e: BusEvent) => boolean,
  ) {
    this.cursor = lastId;
    this.seen = lastId;
    this.more = lastId !== null && page.length >= pageSize;
    this.resumed = lastId !== null;
  }

  async next(): Promise<IteratorResult<BusEvent>> {
    for (;;) {
      if (this.closed) return DONE;
      const e = this.page.shift();
      if (e) {
        this.cursor = e.id;
        if (this.wanted(e) && this.isNew(e)) return { value: e, done: false };
        continue;
      }
      if (this.more && this.cursor) {
        this.page = await this.replay(this.cursor);
        this.more = this.page.length >= this.pageSize;
        continue;
      }
      // The replay is done: everything up to its last entry was sent or filtered out.
      if (this.cursor && (!this.seen || compareStreamIds(this.cursor, this.seen) > 0)) this.seen = this.cursor;
      if (this.resumed && this.onReplayed) {
        const replayed = this.onReplayed;
        this.onReplayed = undefined;
        replayed();
      }
      const r = await this.live.next();
      if (r.done) return DONE;
      if (this.isNew(r.value)) return r;
    }
  }

  return(): Promise<IteratorResult<BusEvent>> {
    this.closed = true;
    this.page = [];
    void this.live.return();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<BusEvent>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private isNew(e: BusEvent): boolean {
    if (this.seen && compareStreamIds(e.id, this.seen) <= 0) return false;
    this.seen = e.id;
    return true;
  }
}
