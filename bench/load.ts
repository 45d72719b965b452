import http from 'node:http';

export interface LoadTarget {
  /** `http://host:port` or a unix socket path */
  base: string;
  path: string;
  headers?: Record<string, string>;
  /** the status an answer must have to count (200 unless said) */
  status?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * A tiny autocannon: `connections` keep-alive connections, each sending the next request as
 * soon as the previous answer is read, for `durationMs`. Latency per request, rate overall.
 */
export async function runLoad(target: LoadTarget, connections = 10, durationMs = 5000): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const unix = !target.base.startsWith('http');
  const url = unix ? null : new URL(target.base);
  const latencies: number[] = [];
  let errors = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        {
          agent,
          method: 'GET',
          path: target.path,
          headers: { host: 'localhost', ...target.headers },
          ...(unix ? { socketPath: target.base } : { hostname: url!.hostname, port: Number(url!.port) }),
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            if (res.statusCode === (target.status ?? 200)) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rate: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}
