import { Module } from '@nestjs/common';
import { ClusterController } from './cluster.controller';
import { ClusterOverviewService } from './cluster-overview.service';
import { LogsService } from './logs.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { ClusterResolver, ServiceStatsResolver } from './monitoring.resolver';
import { ServiceMonitoringController } from './service-monitoring.controller';
import { StatsService } from './stats.service';

/** Logs, stats, Prometheus metrics and the cluster overview. StatsService feeds the autoscaler. */
@Module({
  controllers: [ServiceMonitoringController, ClusterController, MetricsController],
  providers: [LogsService, StatsService, MetricsService, ClusterOverviewService, ServiceStatsResolver, ClusterResolver],
  exports: [StatsService, ClusterOverviewService],
})
export class MonitoringModule {}
