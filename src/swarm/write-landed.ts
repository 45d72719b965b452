/**
 * Did a write that got no answer land? Asked after a manager died mid-write, on the object as
 * another manager now has it: every field the write changed (from `before` to `sent`) must have
 * the written value in `current`. The engine normalizes a little on the way (empty lists and
 * maps dropped, an image pinned to its digest), so those compare equal.
 */
export function writeLanded(before: unknown, sent: unknown, current: unknown): boolean {
  return changedPaths(before, sent).every((p) => same(at(current, p), at(sent, p)));
}

type Path = string[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Paths (into objects; lists and scalars are leaves) where a and b differ. */
export function changedPaths(a: unknown, b: unknown, path: Path = []): Path[] {
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths(a[k], b[k], [...path, k]));
  }
  return same(a, b) ? [] : [path];
}

function at(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys, empty values dropped, and image digests stripped. */
function canonical(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return JSON.stringify(v.replace(/@sha256:[0-9a-f]{64}$/, ''));
  if (Array.isArray(v)) return v.length ? `[${v.map(canonical).join(',')}]` : '';
  if (isObject(v)) {
    const parts = Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])] as const)
      .filter(([, c]) => c !== '')
      .map(([k, c]) => `${JSON.stringify(k)}:${c}`);
    return parts.length ? `{${parts.join(',')}}` : '';
  }
  return JSON.stringify(v);
}
