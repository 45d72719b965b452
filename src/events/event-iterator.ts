/**
 * A push-fed async iterator for one GraphQL subscription: the bus pushes, graphql-ws pulls.
 * The queue is bounded: a subscriber more than `maxBuffer` events behind is ended with an
 * error instead of holding events without limit. `onClose` runs once, however it ends.
 */
export class EventIterator<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiting: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void }> = [];
  private closed = false;
  private failure: Error | null = null;

  constructor(
    private readonly maxBuffer: number,
    private readonly onClose: () => void,
  ) {}

  push(value: T): void {
    if (this.closed) return;
    const w = this.waiting.shift();
    if (w) return w.resolve({ value, done: false });
    if (this.queue.length >= this.maxBuffer) {
      this.fail(new Error(`subscriber too slow: more than ${this.maxBuffer} events waiting`));
      return;
    }
    this.queue.push(value);
  }

  /** Ends the iteration with an error (seen by the consumer after nothing else). */
  fail(error: Error): void {
    if (this.closed) return;
    this.failure = error;
    this.queue.length = 0;
    this.close();
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.failure) {
      const e = this.failure;
      this.failure = null;
      return Promise.reject(e);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    this.queue.length = 0;
    for (const w of this.waiting.splice(0)) w.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
