import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { notModified, sendAnswer, toAnswer } from './cached-answer';

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
});
