/** The Prometheus text format, parsed by a real parser (npm `parse-prometheus-text-format`). */
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

// eslint-disable-next-line @typescript-eslint/no-require-imports
const parse: (text: string) => PromFamily[] = require('parse-prometheus-text-format');

export function parsePrometheusText(text: string): PromFamily[] {
  return parse(text);
}

/** The sum of a family's samples whose labels include `labels`; undefined when none does. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const samples = parse(text)
    .find((f) => f.name === name)
    ?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return samples?.length ? samples.reduce((sum, m) => sum + Number(m.value), 0) : undefined;
}
