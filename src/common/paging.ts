import { AppError } from './errors';

/** Plain code-point order (what `docker service ls` sorts names by): the same on every replica. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where an item sits in its list: compared element by element. */
export type SortKey = ReadonlyArray<string | number>;

/**
 * A list's order: the sort key of an item, and how two keys compare. Keys must be unique within
 * the list (end them with an id), so "after this key" is a position that inserts and removals
 * elsewhere in the list do not move.
 */
export interface Ordering<T> {
  /** Names the list inside its cursors: a cursor of another list is refused. */
  list: string;
  key(item: T): SortKey;
  compare(a: SortKey, b: SortKey): number;
  /** The type of each key element, to check a cursor before using it. */
  shape: ReadonlyArray<'string' | 'number'>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An opaque cursor: the list's name and the last item's sort key, as base64url JSON. */
export function encodeCursor(list: string, key: SortKey): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** The sort key a cursor carries; a cursor that is not one of this list's is a 400 naming `cursor`. */
export function decodeCursor(ordering: Ordering<unknown>, cursor: string): SortKey {
  const bad = () => AppError.validation('cursor', 'is not a cursor of this list (pass on the nextCursor of a previous answer)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed[0] !== ordering.list || parsed.length !== ordering.shape.length + 1) throw bad();
  const key = parsed.slice(1);
  if (!key.every((v, i) => typeof v === ordering.shape[i] && (typeof v !== 'number' || Number.isFinite(v)))) throw bad();
  return key;
}

/** Index of the first item whose key sorts after `after` (items sorted by `ordering`). */
function firstAfter<T>(sorted: readonly T[], ordering: Ordering<T>, after: SortKey): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ordering.compare(ordering.key(sorted[mid]), after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of the items that `match`, from a list sorted by `ordering`: those after the cursor's
 * key, at most `limit` (all without one). `nextCursor` is set only when a matching item follows.
 */
export function paginate<T>(sorted: readonly T[], ordering: Ordering<T>, match: (item: T) => boolean, opts: { limit?: number; cursor?: string }): Page<T> {
  const start = opts.cursor ? firstAfter(sorted, ordering, decodeCursor(ordering as Ordering<unknown>, opts.cursor)) : 0;
  const limit = opts.limit ?? Infinity;
  const items: T[] = [];
  for (let i = start; i < sorted.length; i++) {
    if (!match(sorted[i])) continue;
    if (items.length === limit) return { items, nextCursor: encodeCursor(ordering.list, ordering.key(items[items.length - 1])) };
    items.push(sorted[i]);
  }
  return { items, nextCursor: null };
}

/** `key` or `key=value` (docker's `--filter label=`): has the label, or has it with that value. */
export interface LabelFilter {
  key: string;
  value?: string;
}

export function parseLabelFilter(expr: string): LabelFilter {
  const i = expr.indexOf('=');
  return i < 0 ? { key: expr } : { key: expr.slice(0, i), value: expr.slice(i + 1) };
}

/** Every filter holds (AND), as docker's label filters do. */
export function matchesLabels(labels: Record<string, string> | undefined, filters: readonly LabelFilter[]): boolean {
  for (const f of filters) {
    const v = labels?.[f.key];
    if (v === undefined || (f.value !== undefined && v !== f.value)) return false;
  }
  return true;
}

/** Compares tuples element by element; `desc` lists the positions sorted in descending order. */
export function compareKeys(a: SortKey, b: SortKey, desc: ReadonlySet<number> = new Set()): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : byCodePoint(String(x), String(y));
    if (c !== 0) return desc.has(i) ? -c : c;
  }
  return 0;
}
