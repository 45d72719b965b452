import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { IdempotencyStore } from './idempotency.store';
import { MutationInterceptor } from './mutation.interceptor';
import { OperationAudit } from './operation-audit';

/**
 * Every mutation's frame: the operation context the domain code notes into, the Idempotency-Key
 * check, and the audit entry it ends with (the interceptor, global). Jobs that act on their own
 * (the autoscaler) audit through OperationAudit.
 */
@Module({
  imports: [AuditModule],
  providers: [IdempotencyStore, OperationAudit, { provide: APP_INTERCEPTOR, useClass: MutationInterceptor }],
  exports: [OperationAudit],
})
export class MutationsModule {}
