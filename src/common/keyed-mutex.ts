/**
 * Runs tasks one at a time per key, in arrival order, within this process: concurrent writes
 * to one service queue here instead of racing the engine's version check (other processes
 * are still covered by the re-read-and-retry in SwarmRepository.mutateService).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
