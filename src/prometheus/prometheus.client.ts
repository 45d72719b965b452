import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** How long one query may take before it counts as failed. */
export const QUERY_TIMEOUT_MS = 5000;

/** One sample of an instant query: the series' labels (empty for a scalar) and its value. */
export interface PromSample {
  labels: Record<string, string>;
  /** NaN and ±Inf come through as such: callers decide what a non-finite value means. */
  value: number;
}

export interface PromQueryResult {
  resultType: 'vector' | 'scalar';
  samples: PromSample[];
}

/**
 * Why a query gave no result: Prometheus unreachable or failing (`unavailable`), the query
 * refused by Prometheus (`bad-query`, a parse or execution error the query's author must fix),
 * or a result of a kind an instant number cannot come from (`bad-result`: a range vector, a string).
 */
export class PrometheusError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'bad-query' | 'bad-result',
    message: string,
  ) {
    super(message);
  }
}

/** A sample value as Prometheus writes it ("12.5", "NaN", "+Inf", "-Inf"). */
function promNumber(v: unknown): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return typeof v === 'string' || typeof v === 'number' ? Number(v) : Number.NaN;
}

/** Prometheus's answer to /api/v1/query (status and parsed JSON) as a result or a PrometheusError. Pure. */
export function parseQueryResponse(httpStatus: number, body: unknown): PromQueryResult {
  const b = (body ?? {}) as { status?: unknown; errorType?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (b.status !== 'success') {
    const why = typeof b.error === 'string' ? b.error : `HTTP ${httpStatus}`;
    // bad_data: the query does not parse or its arguments are wrong. execution errors (too many
    // samples, timeouts) and 5xx are Prometheus's trouble, not the query's.
    if (b.errorType === 'bad_data' || httpStatus === 400 || httpStatus === 422) throw new PrometheusError('bad-query', why);
    throw new PrometheusError('unavailable', `Prometheus answered ${httpStatus}: ${why}`);
  }
  const data = b.data ?? {};
  if (data.resultType === 'scalar') {
    const v = data.result as unknown[];
    if (!Array.isArray(v) || v.length !== 2) throw new PrometheusError('unavailable', 'Prometheus answered a malformed scalar');
    return { resultType: 'scalar', samples: [{ labels: {}, value: promNumber(v[1]) }] };
  }
  if (data.resultType === 'vector') {
    if (!Array.isArray(data.result)) throw new PrometheusError('unavailable', 'Prometheus answered a malformed vector');
    return {
      resultType: 'vector',
      samples: (data.result as Array<{ metric?: Record<string, string>; value?: unknown[] }>).map((r) => ({
        labels: r.metric ?? {},
        value: Array.isArray(r.value) ? promNumber(r.value[1]) : Number.NaN,
      })),
    };
  }
  throw new PrometheusError('bad-result', `the query must give an instant vector or a scalar, not a ${String(data.resultType)}`);
}

/** `{a="1", b="2"}`: a series' labels in PromQL's own notation (sorted). */
export function seriesName(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}

/**
 * The one user of Prometheus's HTTP API (PROMETHEUS_URL). Credentials in the URL
 * (http://user:pass@host) are sent as basic auth.
 */
@Injectable()
export class PrometheusClient {
  private readonly base: string | null;
  private readonly authorization?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.prometheusUrl) {
      this.base = null;
      return;
    }
    const u = new URL(config.prometheusUrl);
    if (u.username || u.password) {
      this.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
    }
    this.base = u.toString().replace(/\/+$/, '');
  }

  get configured(): boolean {
    return this.base !== null;
  }

  /** An instant query evaluated now. Throws PrometheusError. */
  async query(promql: string): Promise<PromQueryResult> {
    if (!this.base) throw new PrometheusError('unavailable', 'PROMETHEUS_URL is not configured');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1/query`, {
        method: 'POST',
        headers,
        body: new URLSearchParams({ query: promql, timeout: `${QUERY_TIMEOUT_MS / 1000}s` }).toString(),
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${QUERY_TIMEOUT_MS} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new PrometheusError('unavailable', `Prometheus at ${this.base} is unreachable: ${why}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new PrometheusError('unavailable', `Prometheus at ${this.base} answered ${res.status} without JSON`);
    }
    return parseQueryResponse(res.status, body);
  }
}
