/** Levenshtein distance (insertions, deletions, substitutions), for "did you mean" answers. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `input`, when close enough to be a likely typo: at most a third
 * of the longer name's length in edits (at least 1), or `input` being a prefix of it.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    const d = hay.startsWith(needle) && needle.length >= 3 ? 0.5 : editDistance(needle, hay);
    const limit = Math.max(1, Math.floor(Math.max(needle.length, hay.length) / 3));
    if (d <= limit && (!best || d < best.d || (d === best.d && c < best.name))) best = { name: c, d };
  }
  return best?.name;
}
