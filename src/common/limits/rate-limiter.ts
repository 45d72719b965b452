interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-caller token buckets (the caller is a configured token's key, or an address for a request
 * without one or with a token nobody configured, so made-up tokens share their sender's bucket):
 * `perMinute` requests a minute with bursts up to the same number. In-process on purpose: a
 * Redis outage must not take the limiter, and with it every read, down.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;

  constructor(private readonly perMinute: number, private readonly maxKeys = 10_000) {
    this.ratePerMs = perMinute / 60_000;
  }

  /** 0 when the request may go ahead, else the seconds to wait before the next one would. */
  take(key: string, now = Date.now()): number {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      b = { tokens: this.perMinute, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * this.ratePerMs);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerMs / 1000));
  }

  private evict(now: number): void {
    // Drop buckets that have refilled completely: they carry no state worth keeping.
    for (const [k, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.ratePerMs >= this.perMinute) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
