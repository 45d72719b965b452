import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { counter } from '../common/metrics';
import { AuditStore } from './audit.store';
import { AuditEntryView, AuditQuery, AuditRecord } from './audit.types';

const PAGE = 500;
const MAX_JSON = 16_384;

const writeFailures = counter('swarm_cp_audit_write_failures_total', 'audit entries that could not be written to Redis');

const SECRET_KEY = /^(env|password|passwd|secret|token|authorization|apikey|api_key)$/i;

/** A copy of a request safe to keep: values under secret-looking keys (and env maps) redacted. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).map((x) => [x, '[redacted]'])) : '[redacted]';
    else out[k] = redact(v, depth + 1);
  }
  return out;
}

function bounded(v: unknown): unknown {
  if (v === undefined) return undefined;
  const json = JSON.stringify(v);
  return json !== undefined && json.length > MAX_JSON ? { truncated: true, bytes: json.length } : v;
}

/** Whether a caller with a label scope may see an entry: every service it names is in scope. */
export function visibleTo(caller: Caller, entry: Pick<AuditRecord, 'services'>): boolean {
  if (!caller.scope) return true;
  const services = entry.services ?? [];
  return services.length > 0 && services.every((s) => inScope(caller, s.labels ?? {}));
}

function toMs(iso: string | undefined, path: string): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw AppError.validation(path, 'must be an ISO 8601 time');
  return ms;
}

/**
 * The audit log: a capped Redis stream (AUDIT_MAXLEN, trimmed approximately), appended through
 * OperationAudit (src/mutations) for REST, GraphQL and chat mutations and for jobs.
 *
 * A mutation with a known caller is recorded in two parts: an opening entry (`pending`), written
 * while it runs and durable before it is answered, and its outcome entry, written right after the
 * answer, naming the opening one (`opened`), which reads then leave out. So the answer never waits
 * for an audit write of its own, and no acknowledged change goes unaudited: if the process ends
 * between answering and recording, the opening entry stays, `pending`.
 */
@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly log = new Logger('Audit');
  /** Outcome entries scheduled or being written: this process's reads wait for them (read-your-writes). */
  private readonly completing = new Set<Promise<void>>();

  constructor(
    private readonly store: AuditStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Appends an entry; throws REDIS_UNAVAILABLE when Redis is down (see `recordSafely`). With
   * `throughOutage`, a Redis outage (a failover) is waited out for up to REDIS_FAILOVER_WAIT_MS.
   */
  async record(entry: AuditRecord, throughOutage = false): Promise<string> {
    const data = JSON.stringify({
      ...entry,
      at: entry.at ?? new Date().toISOString(),
      request: bounded(redact(entry.request)),
      before: bounded(entry.before),
      after: bounded(entry.after),
    });
    // An acknowledged change keeps its audit entry through a failover.
    return this.store.append(data, throughOutage);
  }

  /**
   * For writers whose change already happened (the engine acted) or is under way: an audit
   * failure must not turn that into an error, so it is logged and counted
   * (swarm_cp_audit_write_failures_total); resolves to the entry's id, undefined when lost. The
   * entry of a success (or a mutation's opening entry) waits out a failover first
   * (REDIS_FAILOVER_WAIT_MS), so the success is not acknowledged without it; a failure's entry
   * does not hold its error answer back.
   */
  async recordSafely(entry: AuditRecord): Promise<string | undefined> {
    try {
      return await this.record(entry, entry.outcome.status !== 'failed');
    } catch (e) {
      writeFailures.inc();
      this.log.error(`audit entry lost (${entry.actor} ${entry.action} ${entry.target ?? ''} ${entry.outcome.status}): ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The opening entry of a mutation (outcome `pending`): its id, or undefined when it could not be written. */
  open(entry: Omit<AuditRecord, 'outcome'>): Promise<string | undefined> {
    return this.recordSafely({ ...entry, outcome: { status: 'pending' } });
  }

  /**
   * The outcome of an opened mutation, written once its opening entry is (the next turn of the
   * event loop at the earliest, so the answer goes out first), naming it; on its own when the
   * opening entry could not be written. Never throws; until it is written, this process's reads
   * wait for it.
   */
  complete(entry: AuditRecord, opening: Promise<string | undefined>): void {
    const p = opening
      .then((opened) => nextTurn(opened))
      .then(async (opened) => {
        await this.recordSafely(opened ? { ...entry, opened } : entry);
      });
    this.completing.add(p);
    void p.finally(() => this.completing.delete(p));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.completing]);
  }

  /** Newest first, filtered; a scoped caller sees only entries about services in its scope. */
  async query(q: AuditQuery, caller: Caller): Promise<AuditEntryView[]> {
    if (this.completing.size) await Promise.allSettled([...this.completing]);
    const limit = q.limit ?? 100;
    const since = toMs(q.since, 'since');
    const until = toMs(q.until, 'until');
    if (since !== undefined && until !== undefined && since > until) throw AppError.validation('since', 'must not be after until');
    let end = until !== undefined ? String(until) : '+';
    const start = since !== undefined ? String(since) : '-';
    const items: AuditEntryView[] = [];
    // Outcome entries are newer than their opening entries, so met first, newest first.
    const completed = new Set<string>();
    let scanned = 0;
    while (items.length < limit && scanned < this.config.auditMaxLen * 2) {
      const page = await this.store.page(end, start, PAGE);
      for (const [id, fields] of page) {
        const entry = this.parse(id, fields);
        if (!entry) continue;
        if (entry.opened) completed.add(entry.opened);
        if (entry.closesOnly || (entry.outcome?.status === 'pending' && completed.has(id))) continue;
        if (q.actor && entry.actor !== q.actor) continue;
        if (q.service && !(entry.services ?? []).some((s) => s.name === q.service)) continue;
        if (!visibleTo(caller, entry)) continue;
        items.push(this.view(id, entry));
        if (items.length >= limit) break;
      }
      scanned += page.length;
      if (page.length < PAGE) break;
      end = `(${page[page.length - 1][0]}`;
    }
    return items;
  }

  private parse(id: string, fields: string[]): AuditRecord | null {
    const i = fields.indexOf('data');
    if (i < 0) return null;
    try {
      return JSON.parse(fields[i + 1]) as AuditRecord;
    } catch {
      this.log.warn(`unreadable audit entry ${id}`);
      return null;
    }
  }

  private view(id: string, e: AuditRecord): AuditEntryView {
    return {
      id,
      at: e.at ?? new Date(Number(id.split('-')[0])).toISOString(),
      actor: e.actor,
      role: e.role,
      via: e.via,
      action: e.action,
      target: e.target ?? null,
      services: (e.services ?? []).map((s) => s.name),
      request: e.request ?? null,
      outcome: e.outcome,
      before: e.before ?? null,
      after: e.after ?? null,
      requestId: e.requestId ?? null,
    };
  }
}
