/**
 * A strict parser of the Prometheus text exposition format 0.0.4, returning the shape of the npm
 * package `parse-prometheus-text-format` (families with HELP, TYPE and metrics; histograms
 * folded into { buckets, count, sum }). To switch to that package: replace the body of
 * `parsePrometheusText` with `return require('parse-prometheus-text-format')(text)`.
 * Throws on any line that is not valid exposition text.
 */
export interface PromSample {
  labels?: Record<string, string>;
  value?: string;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}
export interface PromFamily {
  name: string;
  help: string;
  type: string;
  metrics: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(v: string, line: string): string {
  if (!/^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?Inf|NaN)$/.test(v)) throw new Error(`bad sample value "${v}" in: ${line}`);
  return v;
}

function parseLabels(s: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  for (;;) {
    while (s[i] === ' ') i++;
    if (s[i] === '}') return { labels, rest: s.slice(i + 1) };
    const eq = s.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = s.slice(i, eq).trim();
    if (!LABEL.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    if (s[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
    let j = eq + 2;
    let value = '';
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\\') {
        const n = s[++j];
        if (n === 'n') value += '\n';
        else if (n === '\\' || n === '"') value += n;
        else throw new Error(`bad escape in: ${line}`);
      } else value += s[j];
    }
    if (s[j] !== '"') throw new Error(`unterminated label value in: ${line}`);
    if (name in labels) throw new Error(`duplicate label "${name}" in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`bad label separator in: ${line}`);
  }
}

export function parsePrometheusText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: '', type: 'untyped', metrics: [] }));
    return f;
  };
  const histos = new Map<string, PromSample>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) continue; // other comments are allowed
      if (!NAME.test(m[2])) throw new Error(`bad metric name in: ${line}`);
      if (m[1] === 'HELP') family(m[2]).help = m[3] ?? '';
      else {
        if (!TYPES.has(m[3] ?? '')) throw new Error(`bad TYPE in: ${line}`);
        family(m[2]).type = m[3]!;
      }
      continue;
    }
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nm) throw new Error(`bad sample line: ${line}`);
    const name = nm[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || !rest.startsWith(' ')) throw new Error(`bad sample line: ${line}`);
    const value = parseValue(parts[0], line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp in: ${line}`);
    const base = name.replace(/_(bucket|count|sum)$/, '');
    if (base !== name && families.get(base)?.type === 'histogram') {
      const { le, ...rest2 } = labels;
      const key = base + JSON.stringify(rest2);
      let h = histos.get(key);
      if (!h) {
        h = { labels: rest2, buckets: {} };
        histos.set(key, h);
        families.get(base)!.metrics.push(h);
      }
      if (name.endsWith('_bucket')) {
        if (le === undefined) throw new Error(`bucket without le in: ${line}`);
        h.buckets![le] = value;
      } else if (name.endsWith('_count')) h.count = value;
      else h.sum = value;
      continue;
    }
    const f = families.get(name);
    if (!f) throw new Error(`sample without # TYPE: ${line}`);
    f.metrics.push(Object.keys(labels).length ? { labels, value } : { value });
  }
  for (const [key, h] of histos) {
    const les = Object.keys(h.buckets ?? {});
    if (!les.includes('+Inf') || h.count === undefined || h.sum === undefined) throw new Error(`incomplete histogram ${key}`);
    if (h.buckets!['+Inf'] !== h.count) throw new Error(`histogram ${key}: +Inf bucket ${h.buckets!['+Inf']} != count ${h.count}`);
    const vals = les.map((le) => [le === '+Inf' ? Infinity : Number(le), Number(h.buckets![le])]).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < vals.length; i++) if (vals[i][1] < vals[i - 1][1]) throw new Error(`histogram ${key}: buckets not cumulative`);
  }
  return [...families.values()];
}
