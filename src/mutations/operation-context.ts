import { AsyncLocalStorage } from 'node:async_hooks';
import { Caller } from '../common/auth/roles';
import { WriteIntent } from '../common/write-intent';

/**
 * What a mutation did, noted by the domain code while it runs and read by the mutation
 * interceptor for the audit log (before/after) once it ends. One per REST request,
 * GraphQL mutation or chat command.
 */
export interface OperationRecord {
  caller?: Caller;
  action?: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  /** Services the mutation touched, with their labels then (audit filters and scoped audit reads). */
  services?: Array<{ name: string; labels?: Record<string, string> }>;
  /** A read-only command travelling a mutation route (chat `status`, `help`): not audited. */
  readOnly?: boolean;
  /** A failure answered with a 2xx all the same (chat replies to Slack): the audited outcome. */
  failure?: { code: string; message: string; httpStatus: number };
  /** Set by nested operations (a chat command running a batch scale) to audit as one entry. */
  extra?: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<OperationRecord>();

export const Operation = {
  run<T>(record: OperationRecord, fn: () => T): T {
    return storage.run(record, () => WriteIntent.run(fn));
  },
  current(): OperationRecord | undefined {
    return storage.getStore();
  },
  /** Records facts about the running mutation (no-op outside one). */
  note(facts: Partial<OperationRecord>): void {
    const r = storage.getStore();
    if (!r) return;
    for (const [k, v] of Object.entries(facts)) {
      if (v !== undefined) (r as Record<string, unknown>)[k] = v;
    }
  },
};
