import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuditRecord, AuditVia } from '../audit/audit.types';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { Caller } from '../common/auth/roles';
import { OperationRecord } from './operation-context';

/** What the transport (or job) knows of an operation: the audit entry's defaults where the domain code noted nothing. */
export interface OperationDefaults {
  caller?: Caller;
  via: AuditVia;
  action: string;
  target: string | null;
  request: unknown;
  requestId?: string;
}

/**
 * Turns a finished operation into its audit entry: what the domain code noted (action, target,
 * before/after, services) over the defaults of whoever ran it. The one path into the audit log
 * for REST, GraphQL and chat mutations (the mutation interceptor) and for jobs (the autoscaler).
 */
@Injectable()
export class OperationAudit {
  constructor(
    private readonly audit: AuditService,
    private readonly state: ClusterStateService,
  ) {}

  /**
   * The opening entry of a mutation whose caller is known before it runs (see AuditService): its
   * id, written while the mutation runs; undefined when it could not be written.
   */
  open(d: OperationDefaults & { caller: Caller }): Promise<string | undefined> {
    return this.audit.open(this.common({}, d, d.caller));
  }

  /**
   * Never throws: the change already happened (see AuditService.recordSafely). With the opening
   * entry of the operation (see `open`), the outcome is written after the answer and completes it
   * (a read-only operation then only closes it); without, it is written before.
   */
  async record(op: OperationRecord, d: OperationDefaults, outcome: AuditRecord['outcome'], opening?: Promise<string | undefined>): Promise<void> {
    const caller = op.caller ?? d.caller;
    if (!caller || (op.readOnly && !opening)) return;
    const entry: AuditRecord = { ...this.common(op, d, caller), outcome, before: op.before, after: op.after };
    if (opening) this.audit.complete(op.readOnly ? { ...entry, closesOnly: true } : entry, opening);
    else await this.audit.recordSafely(entry);
  }

  private common(op: OperationRecord, d: OperationDefaults, caller: Caller): Omit<AuditRecord, 'outcome'> {
    const extra = op.extra ?? {};
    const target = op.target ?? d.target;
    const services = (op.services ?? (target ? [{ name: target }] : [])).map((s) => ({
      name: s.name,
      labels: s.labels ?? this.state.lastSnapshot?.findService(s.name)?.Spec.Labels ?? {},
    }));
    return {
      actor: caller.name,
      role: caller.role,
      via: (extra.via as AuditVia) ?? d.via,
      action: op.action ?? d.action,
      target,
      services,
      request: extra.request ?? d.request,
      requestId: d.requestId,
    };
  }
}
