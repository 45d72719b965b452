import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerCache, scopeKey } from './answer-cache';
import type { Snapshot } from './cluster-state.service';

const at = (version: number) => ({ version }) as Snapshot;

describe('AnswerCache', () => {
  it('builds an answer once per version and key; a new version builds again', () => {
    const cache = new AnswerCache();
    let builds = 0;
    const build = () => ({ n: ++builds });
    const a = cache.get(at(1), 'k', build);
    assert.equal(cache.get(at(1), 'k', build), a);
    assert.equal(builds, 1);
    assert.notEqual(cache.get(at(1), 'other', build), a);
    assert.equal(builds, 2);
    const b = cache.get(at(2), 'k', build);
    assert.equal(builds, 3);
    assert.equal(b.body.toString(), '{"n":3}');
  });
});

describe('scopeKey', () => {
  it('is one key per label scope, whatever the order of its labels; unscoped callers share one', () => {
    assert.equal(scopeKey({ name: 'x', role: 'viewer', scope: { labels: { b: '2', a: '1' } } }), scopeKey({ name: 'y', role: 'admin', scope: { labels: { a: '1', b: '2' } } }));
    assert.notEqual(scopeKey({ name: 'x', role: 'viewer', scope: { labels: { a: '1' } } }), scopeKey({ name: 'x', role: 'viewer' }));
    assert.equal(scopeKey({ name: 'x', role: 'viewer' }), scopeKey(undefined));
  });
});
