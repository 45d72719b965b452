import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditStore } from './audit.store';

/** The audit log and its reader; mutations write to it through OperationAudit (src/mutations). */
@Module({ controllers: [AuditController], providers: [AuditService, AuditStore], exports: [AuditService] })
export class AuditModule {}
