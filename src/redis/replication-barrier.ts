interface Batch {
  promise: Promise<boolean>;
  resolve(ok: boolean): void;
  reject(e: unknown): void;
}

function batch(): Batch {
  let resolve!: (ok: boolean) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<boolean>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Group commit for WAIT: at most one round (`once`) runs at a time; callers arriving while it
 * runs share the next one. A caller never joins a round that had already started, since that
 * round's WAIT may not cover a write acknowledged after it was sent.
 */
export class ReplicationBarrier {
  private next: Batch | null = null;
  private running = false;

  constructor(private readonly once: () => Promise<boolean>) {}

  wait(): Promise<boolean> {
    this.next ??= batch();
    const p = this.next.promise;
    if (!this.running) void this.drain();
    return p;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.next) {
        const b = this.next;
        this.next = null;
        try {
          b.resolve(await this.once());
        } catch (e) {
          b.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
