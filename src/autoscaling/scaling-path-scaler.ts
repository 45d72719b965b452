import { Injectable } from '@nestjs/common';
import { Caller } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { OperationAudit } from '../mutations/operation-audit';
import { Operation, OperationRecord } from '../mutations/operation-context';
import { ScalingService } from '../services/scaling.service';
import { ReplicaScaler } from './autoscaling.ports';

/** Who the autoscaler acts as: in the audit log, actor "autoscaler". */
export const AUTOSCALER: Caller = { name: 'autoscaler', role: 'admin' };

/**
 * Scales through the same path as a manual scale (policy bounds, per-service write queue,
 * read-your-writes) and audits it as the autoscaler, with the decision's reason.
 */
@Injectable()
export class ScalingPathScaler implements ReplicaScaler {
  constructor(
    private readonly scaling: ScalingService,
    private readonly audit: OperationAudit,
  ) {}

  async scale(service: string, replicas: number, reason: string): Promise<void> {
    const op: OperationRecord = { caller: AUTOSCALER };
    let outcome: { status: 'succeeded' | 'failed'; code?: string; message?: string } = { status: 'succeeded' };
    try {
      await Operation.run(op, () => this.scaling.scale(service, replicas, AUTOSCALER));
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('INTERNAL', (e as Error).message);
      outcome = { status: 'failed', code: err.code, message: err.message };
      throw e;
    } finally {
      await this.audit.record(op, { via: 'job', action: 'service.scale', target: service, request: { replicas, reason } }, outcome);
    }
  }
}
