import { readFileSync } from 'node:fs';

/** Live objects of one heap snapshot, by kind: `<node type>:<constructor or name>`. */
export interface HeapSummary {
  totalBytes: number;
  objects: number;
  byKind: Map<string, { bytes: number; count: number }>;
}

/**
 * Reads a .heapsnapshot (V8's JSON format) and sums the self size of its nodes by kind. Strings
 * and code are grouped by node type (their "name" is their content or their function).
 */
export function summarizeHeap(file: string): HeapSummary {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const types = snap.snapshot.meta.node_types[0];
  const byKind = new Map<string, { bytes: number; count: number }>();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    const size = snap.nodes[i + iSize];
    totalBytes += size;
    const named = type === 'object' || type === 'closure' || type === 'native' || type === 'hidden' || type === 'array';
    const kind = named ? `${type}:${snap.strings[snap.nodes[i + iName]].slice(0, 60)}` : type;
    const e = byKind.get(kind) ?? { bytes: 0, count: 0 };
    e.bytes += size;
    e.count++;
    byKind.set(kind, e);
  }
  return { totalBytes, objects: snap.nodes.length / width, byKind };
}

/** The kinds that grew most between two snapshots (by bytes), with their count change. */
export function heapGrowth(a: HeapSummary, b: HeapSummary, top = 12): Array<{ kind: string; bytes: number; count: number }> {
  const kinds = new Set([...a.byKind.keys(), ...b.byKind.keys()]);
  const out: Array<{ kind: string; bytes: number; count: number }> = [];
  for (const k of kinds) {
    const x = a.byKind.get(k) ?? { bytes: 0, count: 0 };
    const y = b.byKind.get(k) ?? { bytes: 0, count: 0 };
    out.push({ kind: k, bytes: y.bytes - x.bytes, count: y.count - x.count });
  }
  return out.sort((p, q) => Math.abs(q.bytes) - Math.abs(p.bytes)).slice(0, top);
}

/** Least-squares slope of (seconds, bytes) samples, in MB per hour. */
export function slopeMbPerHour(samples: Array<{ t: number; v: number }>): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mv = samples.reduce((s, x) => s + x.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.t - mt) * (x.v - mv);
    den += (x.t - mt) ** 2;
  }
  return den ? ((num / den) * 3600) / 1024 / 1024 : NaN;
}
