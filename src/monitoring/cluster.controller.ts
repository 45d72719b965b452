import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ClusterOverviewService } from './cluster-overview.service';
import { ClusterOverview } from './monitoring.types';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('v1/cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterOverviewService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Cluster overview' })
  @ApiOkResponse({ type: ClusterOverview })
  overview(@CurrentCaller() caller: Caller): Promise<ClusterOverview> {
    return this.cluster.overview(caller);
  }
}
