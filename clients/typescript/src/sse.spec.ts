import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { followSse, readSse, type SseMessage } from './sse';

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(enc.encode(x));
      c.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>, comments: string[] = []): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of readSse(stream, { onComment: (c) => comments.push(c) })) out.push(m);
  return out;
}

describe('readSse: the event-stream format', () => {
  it('messages with id, event and multi-line data; comments apart; split anywhere across chunks', async () => {
    const text = 'retry: 2000\n\n: connected\n\nid: 1-0\nevent: task\ndata: {"a":1}\n\nid: 2-0\ndata: line one\ndata: line two\n\n: replayed\n\n';
    for (let cut = 0; cut <= text.length; cut += 7) {
      const comments: string[] = [];
      const got = await all(body(text.slice(0, cut), text.slice(cut)), comments);
      assert.deepEqual(got, [
        { id: '1-0', event: 'task', data: '{"a":1}' },
        { id: '2-0', event: 'message', data: 'line one\nline two' },
      ]);
      assert.deepEqual(comments, ['connected', 'replayed']);
    }
  });

  it('CRLF and CR line ends, a CRLF split between chunks', async () => {
    assert.deepEqual(await all(body('id: 7-0\r\nevent: node\r', '\ndata: x\r\n\r\n', 'data: y\r\r')), [
      { id: '7-0', event: 'node', data: 'x' },
      { id: '7-0', event: 'message', data: 'y' },
    ]);
  });

  it('an unfinished last message is not delivered', async () => {
    assert.deepEqual(await all(body('data: complete\n\ndata: cut off')), [{ event: 'message', data: 'complete' }]);
  });
});

describe('followSse: reconnects with Last-Event-ID', () => {
  it('after a dropped connection it resumes after the last id; a refusal that is not worth retrying ends it', async () => {
    const lastIds: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      lastIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (lastIds.length === 1) {
        res.write('retry: 10\n\nid: 1-0\ndata: a\n\n', () => res.socket?.destroy());
      } else {
        res.end('id: 2-0\ndata: b\n\n');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const got: string[] = [];
      for await (const m of followSse(
        (lastEventId) => fetch(url, { headers: lastEventId ? { 'last-event-id': lastEventId } : {} }),
        async () => undefined,
        {},
      )) {
        got.push(m.data);
        if (got.length === 2) break;
      }
      assert.deepEqual(got, ['a', 'b']);
      assert.deepEqual(lastIds, [undefined, '1-0']);

      await assert.rejects(async () => {
        for await (const _ of followSse(
          async () => new Response('no', { status: 401 }),
          async (res) => {
            throw new Error(`refused ${res.status}`);
          },
        )) void _;
      }, /refused 401/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
