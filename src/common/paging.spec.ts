import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors';
import { byCodePoint, compareKeys, decodeCursor, encodeCursor, matchesLabels, Ordering, paginate, parseLabelFilter } from './paging';

interface Item {
  name: string;
  n: number;
}

const ORDER: Ordering<Item> = { list: 'items', key: (i) => [i.name], compare: (a, b) => compareKeys(a, b), shape: ['string'] };
const all = () => true;

function items(...names: string[]): Item[] {
  return names.map((name, n) => ({ name, n })).sort((a, b) => byCodePoint(a.name, b.name));
}

/** Every page from the first, following nextCursor. */
function walk(list: Item[], limit: number, match: (i: Item) => boolean = all): string[][] {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const p = paginate(list, ORDER, match, { limit, cursor });
    pages.push(p.items.map((i) => i.name));
    if (!p.nextCursor) return pages;
    cursor = p.nextCursor;
  }
}

describe('paginate', () => {
  it('without a limit answers every matching item and no cursor', () => {
    const p = paginate(items('b', 'a', 'c'), ORDER, all, {});
    assert.deepEqual(p.items.map((i) => i.name), ['a', 'b', 'c']);
    assert.equal(p.nextCursor, null);
  });

  it('pages through the list in order; the last page has no cursor (also when it is exactly full)', () => {
    assert.deepEqual(walk(items('a', 'b', 'c', 'd', 'e'), 2), [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(walk(items('a', 'b', 'c', 'd'), 2), [['a', 'b'], ['c', 'd']]);
    assert.deepEqual(walk([], 2), [[]]);
  });

  it('counts only matching items and skips the rest', () => {
    const odd = (i: Item) => ['a', 'c', 'e', 'g'].includes(i.name);
    assert.deepEqual(walk(items('a', 'b', 'c', 'd', 'e', 'f', 'g'), 2, odd), [['a', 'c'], ['e', 'g']]);
  });

  it('a cursor is a position, not an index: items inserted or removed before it do not shift the next page', () => {
    const first = paginate(items('b', 'd', 'f', 'h'), ORDER, all, { limit: 2 });
    assert.deepEqual(first.items.map((i) => i.name), ['b', 'd']);
    // 'a' and 'c' inserted before the cursor, 'b' and 'd' removed: the next page still starts after 'd'.
    const later = items('a', 'c', 'e', 'f', 'h');
    assert.deepEqual(paginate(later, ORDER, all, { limit: 2, cursor: first.nextCursor! }).items.map((i) => i.name), ['e', 'f']);
  });

  it('refuses a cursor of another list, a garbled one and one of the wrong shape (400 naming cursor)', () => {
    for (const bad of [encodeCursor('others', ['x']), 'not-base64-json', encodeCursor('items', [1]), encodeCursor('items', ['a', 'b']), Buffer.from('{"a":1}').toString('base64url')]) {
      assert.throws(
        () => decodeCursor(ORDER as Ordering<unknown>, bad),
        (e: unknown) => e instanceof AppError && e.code === 'VALIDATION_FAILED' && e.errors?.[0]?.path === 'cursor',
        bad,
      );
    }
    assert.deepEqual(decodeCursor(ORDER as Ordering<unknown>, encodeCursor('items', ['x'])), ['x']);
  });
});

describe('compareKeys', () => {
  it('compares element by element, numbers as numbers, strings by code point, some positions descending', () => {
    assert.ok(compareKeys([1, 'b'], [2, 'a']) < 0);
    assert.ok(compareKeys([10], [9]) > 0);
    assert.ok(compareKeys(['B'], ['a']) < 0, 'code-point order: upper case first, as docker sorts');
    assert.ok(compareKeys([1, 5], [1, 7], new Set([1])) > 0);
    assert.equal(compareKeys(['a', 1], ['a', 1]), 0);
  });
});

describe('label filters', () => {
  it('key means "has the label", key=value means that value (the value may hold = too); all must hold', () => {
    assert.deepEqual(parseLabelFilter('team'), { key: 'team' });
    assert.deepEqual(parseLabelFilter('team=a'), { key: 'team', value: 'a' });
    assert.deepEqual(parseLabelFilter('q=a=b'), { key: 'q', value: 'a=b' });
    assert.deepEqual(parseLabelFilter('empty='), { key: 'empty', value: '' });
    const labels = { team: 'a', tier: 'web', empty: '' };
    assert.equal(matchesLabels(labels, [parseLabelFilter('team')]), true);
    assert.equal(matchesLabels(labels, [parseLabelFilter('team=a'), parseLabelFilter('tier')]), true);
    assert.equal(matchesLabels(labels, [parseLabelFilter('team=a'), parseLabelFilter('zone')]), false);
    assert.equal(matchesLabels(labels, [parseLabelFilter('team=b')]), false);
    assert.equal(matchesLabels(labels, [parseLabelFilter('empty=')]), true);
    assert.equal(matchesLabels(undefined, [parseLabelFilter('team')]), false);
    assert.equal(matchesLabels(undefined, []), true);
  });
});
