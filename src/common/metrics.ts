import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Prometheus metrics live in prom-client's default registry, created once per process: several
 * app instances in one process (tests) share them instead of failing on re-registration.
 */
export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string>) ?? new Counter({ name, help, labelNames });
}

/** With `collect`, the gauge is set when scraped (from a value kept elsewhere). */
export function gauge(name: string, help: string, labelNames: string[] = [], collect?: (g: Gauge<string>) => void): Gauge<string> {
  return (
    (register.getSingleMetric(name) as Gauge<string>) ??
    new Gauge({
      name,
      help,
      labelNames,
      ...(collect
        ? {
            collect(this: Gauge<string>) {
              collect(this);
            },
          }
        : {}),
    })
  );
}

export function histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram<string> {
  return (register.getSingleMetric(name) as Histogram<string>) ?? new Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}) });
}

export { register as metricsRegistry };
