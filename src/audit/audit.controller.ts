import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { AuditService } from './audit.service';
import { AuditList, AuditQuery } from './audit.types';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Query the audit log' })
  @ApiOkResponse({ type: AuditList })
  async list(@Query() q: AuditQuery, @CurrentCaller() caller: Caller): Promise<AuditList> {
    return { items: await this.audit.query(q, caller) };
  }
}
