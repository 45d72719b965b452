import { Module } from '@nestjs/common';
import { AutoscalingController } from './autoscaling.controller';
import { AutoscalingResolver } from './autoscaling.resolver';
import { AutoscalingService } from './autoscaling.service';
import { AutoscalingEvaluator } from './autoscaling.evaluator';
import { DecisionStore } from './decision.store';
import { PolicyStore } from './policy.store';
import { DECISION_PUBLISHER, DEPLOYMENT_ACTIVITY, METRIC_SOURCE, REPLICA_SCALER } from './autoscaling.ports';
import { StatsMetricSource } from './stats-metric-source';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { EngineReplicaScaler } from './interim/engine-replica-scaler';
import { NoDeployments } from './interim/interim-ports';
import { EventBusDecisionPublisher } from './event-bus-decision-publisher';
import { AutoscalingScheduler } from './interim/autoscaling.scheduler';

@Module({
  imports: [MonitoringModule],
  controllers: [AutoscalingController],
  providers: [
    AutoscalingService,
    AutoscalingResolver,
    AutoscalingEvaluator,
    AutoscalingScheduler,
    PolicyStore,
    DecisionStore,
    { provide: METRIC_SOURCE, useClass: StatsMetricSource },
    { provide: REPLICA_SCALER, useClass: EngineReplicaScaler },
    { provide: DEPLOYMENT_ACTIVITY, useClass: NoDeployments },
    { provide: DECISION_PUBLISHER, useClass: EventBusDecisionPublisher },
  ],
  exports: [AutoscalingService],
})
export class AutoscalingModule {}
