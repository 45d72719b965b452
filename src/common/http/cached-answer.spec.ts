import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, keptAnswer, notModified, sendAnswer, toAnswer } from './cached-answer';

describe('toAnswer', () => {
  it('serializes once; equal answers have equal entity tags, different ones different tags', () => {
    const a = toAnswer({ items: [1, 2], nextCursor: null });
    assert.equal(a.body.toString(), '{"items":[1,2],"nextCursor":null}');
    assert.equal(a.etag, toAnswer({ items: [1, 2], nextCursor: null }).etag);
    assert.notEqual(a.etag, toAnswer({ items: [1, 3], nextCursor: null }).etag);
    assert.match(a.etag, /^"[A-Za-z0-9_-]+"$/);
  });
});

describe('notModified (If-None-Match, weak comparison)', () => {
  const etag = '"abc"';
  it('matches the tag, a weak form of it, one of a list, or *', () => {
    for (const h of ['"abc"', 'W/"abc"', '"x", "abc"', '"x",W/"abc"', '*', ['"x"', '"abc"']]) assert.equal(notModified(h, etag), true, String(h));
  });
  it('does not match another tag, a bare value or no header', () => {
    for (const h of ['"abd"', 'abc', '', undefined]) assert.equal(notModified(h, etag), false, String(h));
  });
});

describe('sendAnswer', () => {
  function reply() {
    const r = {
      headers: {} as Record<string, string>,
      status: 200,
      sent: undefined as Buffer | undefined,
      header(n: string, v: string) {
        r.headers[n.toLowerCase()] = v;
        return r;
      },
      code(s: number) {
        r.status = s;
        return r;
      },
      send(p?: Buffer) {
        r.sent = p;
        return r;
      },
    };
    return r;
  }

  it('sends the bytes with the ETag, private and revalidated; 304 without a body when the caller has them', () => {
    const a = toAnswer({ items: [] });
    const full = reply();
    sendAnswer({ headers: {} }, full, a);
    assert.equal(full.status, 200);
    assert.equal(full.sent, a.body);
    assert.deepEqual([full.headers.etag, full.headers['cache-control'], full.headers['content-type']], [a.etag, 'private, no-cache', 'application/json; charset=utf-8']);
    const same = reply();
    sendAnswer({ headers: { 'if-none-match': a.etag } }, same, a);
    assert.equal(same.status, 304);
    assert.equal(same.sent, undefined);
    assert.equal(same.headers.etag, a.etag);
  });

  it('gzips a kept answer for a request that accepts it, once, under the same tag made weak; either tag revalidates either form', () => {
    const a = keptAnswer(toAnswer({ items: Array.from({ length: 100 }, (_, i) => ({ name: `service-${i}` })) }));
    const gz = reply();
    sendAnswer({ headers: { 'accept-encoding': 'gzip, deflate, br' } }, gz, a);
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.etag, `W/${a.etag}`);
    assert.equal(gz.headers.vary, 'Authorization, Accept-Encoding');
    assert.deepEqual(gunzipSync(gz.sent!), a.body);
    assert.ok(gz.sent!.length < a.body.length / 5);
    const again = reply();
    sendAnswer({ headers: { 'accept-encoding': 'gzip' } }, again, a);
    assert.equal(again.sent, gz.sent, 'compressed once');
    const plain = reply();
    sendAnswer({ headers: {} }, plain, a);
    assert.equal(plain.sent, a.body);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.etag, a.etag);
    for (const [accept, tag] of [['gzip', a.etag], [undefined, `W/${a.etag}`]] as const) {
      const r = reply();
      sendAnswer({ headers: { 'accept-encoding': accept, 'if-none-match': tag } }, r, a);
      assert.equal(r.status, 304, String(accept));
      assert.equal(r.sent, undefined);
    }
  });

  it('sends small answers and answers not kept as they are', () => {
    for (const a of [keptAnswer(toAnswer({ items: [] })), toAnswer({ items: Array.from({ length: 100 }, (_, i) => i) })]) {
      const r = reply();
      sendAnswer({ headers: { 'accept-encoding': 'gzip' } }, r, a);
      assert.equal(r.sent, a.body);
      assert.equal(r.headers['content-encoding'], undefined);
    }
  });
});

describe('acceptsGzip', () => {
  it('reads Accept-Encoding: gzip by name, else by *, refused with q=0', () => {
    const cases: Array<[string | string[] | undefined, boolean]> = [
      ['gzip', true],
      ['gzip, deflate, br', true],
      ['br;q=1.0, GZIP;q=0.5', true],
      [['deflate', 'x-gzip'], true],
      ['*', true],
      ['gzip;q=0, *', false],
      ['*;q=0', false],
      ['identity', false],
      ['deflate, br', false],
      ['', false],
      [undefined, false],
    ];
    for (const [h, want] of cases) assert.equal(acceptsGzip(h), want, JSON.stringify(h));
    assert.equal(acceptsGzip('gzip'), true, 'the remembered header is not stale');
  });
});
