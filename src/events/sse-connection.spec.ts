import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SseConnection, sseMessage } from './sse-connection';

/** A response whose socket takes `room` writes, then reports a full buffer until drained. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  destroyed = false;
  constructor(public room: number) {
    super();
  }
  write(chunk: string): boolean {
    this.written.push(chunk);
    return --this.room > 0;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  end(): void {
    this.emit('close');
  }
}

const ev = (n: number) => ({ id: `${n}-0`, type: 'task', service: 'web', labels: {}, payload: { n } }) as any;

describe('SseConnection', () => {
  it('formats events with the stream id, type and JSON data', () => {
    assert.equal(sseMessage(ev(7)), 'id: 7-0\nevent: task\ndata: {"n":7}\n\n');
  });

  it('holds messages while the socket is full and sends them in order on drain', () => {
    const res = new FakeResponse(1);
    const c = new SseConnection(res as unknown as ServerResponse, 10, 60_000, () => undefined);
    c.send(ev(1));
    c.send(ev(2));
    c.send(ev(3));
    assert.equal(res.written.length, 1);
    res.room = 100;
    res.emit('drain');
    assert.deepEqual(res.written.map((w) => w.split('\n')[0]), ['id: 1-0', 'id: 2-0', 'id: 3-0']);
    c.end();
  });

  it('endAll ends every open stream (the process is stopping) and forgets them', () => {
    const closed: string[] = [];
    const a = new SseConnection(new FakeResponse(100) as unknown as ServerResponse, 10, 60_000, () => closed.push('a'));
    const b = new SseConnection(new FakeResponse(100) as unknown as ServerResponse, 10, 60_000, () => closed.push('b'));
    b.end();
    SseConnection.endAll();
    assert.equal(a.isClosed, true);
    assert.deepEqual(closed, ['b', 'a']);
    SseConnection.endAll();
    assert.deepEqual(closed, ['b', 'a']);
  });

  it('drops a slow client once more than maxBuffer messages wait', () => {
    const res = new FakeResponse(1);
    let reason = '';
    const c = new SseConnection(res as unknown as ServerResponse, 3, 60_000, (r) => (reason = r));
    for (let i = 0; i < 6; i++) c.send(ev(i));
    assert.equal(res.destroyed, true);
    assert.match(reason, /slow client/);
    assert.equal(c.isClosed, true);
  });

  it('drops a client whose buffer stays full for a heartbeat interval', async () => {
    const res = new FakeResponse(1);
    let reason = '';
    const c = new SseConnection(res as unknown as ServerResponse, 1000, 30, (r) => (reason = r));
    c.send(ev(1));
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(res.destroyed, true);
    assert.match(reason, /heartbeat/);
    assert.equal(c.isClosed, true);
  });

  it('sends heartbeats while idle', async () => {
    const res = new FakeResponse(100);
    const c = new SseConnection(res as unknown as ServerResponse, 10, 20, () => undefined);
    await new Promise((r) => setTimeout(r, 90));
    c.end();
    assert.ok(res.written.filter((w) => w === ': ping\n\n').length >= 2);
  });
});
