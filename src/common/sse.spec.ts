import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { AppError } from './errors';
import { SseResponse, SseWriter, sseMessage } from './sse';

/** A response whose socket takes `room` writes, then reports a full buffer until drained. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  ended = false;
  destroyed = false;
  constructor(public room: number) {
    super();
  }
  write(chunk: string): boolean {
    this.written.push(chunk);
    return --this.room > 0;
  }
  end(chunk?: string): this {
    if (chunk) this.written.push(chunk);
    this.ended = true;
    this.emit('close');
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  drain(room: number): void {
    this.room = room;
    this.emit('drain');
  }
}

const res = (room: number) => new FakeResponse(room);
const writer = (r: FakeResponse, opts: Partial<{ heartbeatMs: number; dropStalled: boolean; onClose: (reason: string) => void }> = {}) =>
  new SseWriter(r as unknown as SseResponse, { heartbeatMs: 60_000, ...opts });
const tick = () => new Promise((r) => setImmediate(r));
const asMessage = (n: number, i: number) => ({ id: i, event: 'n', data: { n } });

/** A source that counts what was pulled from it and whether it was closed. */
function counted(values: number[]) {
  const state = { pulled: 0, closed: false };
  const it: AsyncIterableIterator<number> = {
    next: async () => (state.pulled < values.length ? { value: values[state.pulled++], done: false } : { value: undefined, done: true }),
    return: async () => {
      state.closed = true;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { it, state };
}

describe('SseWriter', () => {
  it('endAll ends every open stream without an end event (the process is stopping: clients reconnect), once', () => {
    const closed: string[] = [];
    const [ra, rb] = [res(100), res(100)];
    const a = writer(ra, { onClose: () => closed.push('a') });
    const b = writer(rb, { onClose: () => closed.push('b') });
    void b.pipe(counted([]).it, asMessage);
    SseWriter.endAll();
    assert.equal(a.isClosed, true);
    assert.equal(ra.ended, true);
    assert.ok(!ra.written.some((w) => w.startsWith('event:')), ra.written.join(''));
    assert.deepEqual(closed.sort(), ['a', 'b']);
    SseWriter.endAll();
    assert.deepEqual(closed.sort(), ['a', 'b']);
  });

  it('formats messages with an optional id, the event name and JSON data', () => {
    assert.equal(sseMessage({ id: '7-0', event: 'task', data: { n: 7 } }), 'id: 7-0\nevent: task\ndata: {"n":7}\n\n');
    assert.equal(sseMessage({ event: 'end', data: {} }), 'event: end\ndata: {}\n\n');
  });

  it('writes every item in order, then `event: end` when the source ends', async () => {
    const r = res(100);
    let reason = '';
    await writer(r, { onClose: (x) => (reason = x) }).pipe(Readable.from([1, 2, 3]), asMessage);
    assert.deepEqual(r.written, [1, 2, 3].map((n, i) => sseMessage(asMessage(n, i + 1))).concat('event: end\ndata: {}\n\n'));
    assert.equal(r.ended, true);
    assert.match(reason, /ended/);
  });

  it('pulls the next item only once the socket took the last one', async () => {
    const r = res(1);
    const { it: source, state } = counted([1, 2, 3]);
    const done = writer(r).pipe(source, asMessage);
    await tick();
    assert.equal(state.pulled, 1, 'waits for drain after a full write');
    r.drain(100);
    await done;
    assert.equal(state.pulled, 3);
    assert.deepEqual(r.written.slice(0, 3).map((w) => w.split('\n')[0]), ['id: 1', 'id: 2', 'id: 3']);
  });

  it('a failing source ends the stream with `event: error` and its code', async () => {
    const r = res(100);
    const source = Readable.from(
      (async function* () {
        yield 1;
        throw new AppError('SERVICE_NOT_FOUND', 'gone');
      })(),
    );
    await writer(r).pipe(source, asMessage);
    assert.equal(r.written.at(-1), 'event: error\ndata: {"code":"SERVICE_NOT_FOUND","message":"gone"}\n\n');
  });

  it('the client leaving closes the source, even while it waits for the next item', async () => {
    const r = res(100);
    let closedWith = '';
    const pending: AsyncIterableIterator<number> & { closed?: boolean } = {
      next: () => new Promise(() => undefined),
      return: async () => {
        pending.closed = true;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    void writer(r, { onClose: (x) => (closedWith = x) }).pipe(pending, asMessage);
    await tick();
    r.emit('close');
    assert.equal(pending.closed, true);
    assert.match(closedWith, /went away/);
  });

  it('with dropStalled, a client whose socket takes nothing for a heartbeat interval is dropped', async () => {
    const r = res(1);
    let reason = '';
    const { it: source, state } = counted([1, 2, 3]);
    void writer(r, { heartbeatMs: 20, dropStalled: true, onClose: (x) => (reason = x) }).pipe(source, asMessage);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(r.destroyed, true);
    assert.match(reason, /heartbeat/);
    assert.equal(state.closed, true);
  });

  it('without dropStalled, a slow client is waited for (its source is paused, nothing piles up)', async () => {
    const r = res(1);
    const { it: source, state } = counted([1, 2, 3]);
    const w = writer(r, { heartbeatMs: 20 });
    void w.pipe(source, asMessage);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(r.destroyed, false);
    assert.equal(state.pulled, 1);
    r.emit('close');
  });

  it('sends heartbeats while idle', async () => {
    const r = res(100);
    const w = writer(r, { heartbeatMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 90));
    r.emit('close');
    assert.ok(r.written.filter((x) => x === ': ping\n\n').length >= 2);
    assert.equal(w.isClosed, true);
  });
});
