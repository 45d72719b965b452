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
