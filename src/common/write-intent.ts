import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<true>();

/**
 * Marks code that runs for a write (every mutation: REST non-GET routes, GraphQL mutations,
 * chat commands). The read model answers a miss inside one by asking the engine, so a write
 * never answers 404 for a service the engine has; reads stay on the read model.
 */
export const WriteIntent = {
  run<T>(fn: () => T): T {
    return storage.run(true, fn);
  },
  active(): boolean {
    return storage.getStore() === true;
  },
};
