import { Module } from '@nestjs/common';
import { AutoscalingController } from './autoscaling.controller';
import { AutoscalingResolver } from './autoscaling.resolver';
import { AutoscalingService } from './autoscaling.service';
import { AutoscalingEvaluator } from './autoscaling.evaluator';
import { DecisionStore } from './decision.store';
import { PolicyStore } from './policy.store';
import { RoundStore } from './round.store';
import { DECISION_PUBLISHER, DEPLOYMENT_ACTIVITY, METRIC_SOURCE, REPLICA_SCALER } from './autoscaling.ports';
import { StatsMetricSource } from './stats-metric-source';
import { PrometheusMetricSource } from './prometheus-metric-source';
import { PolicyMetricSource } from './policy-metric-source';
import { PrometheusModule } from '../prometheus/prometheus.module';
import { AutoscalingDecisionLog } from './decision-log';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { ScalingPathScaler } from './scaling-path-scaler';
import { AutoscalingHooks } from './autoscaling.hooks';
import { ServicesModule } from '../services/services.module';
import { ChatopsModule } from '../chatops/chatops.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { DeploymentLine } from '../deployments/deployment-line';
import { EventBusDecisionPublisher } from './event-bus-decision-publisher';
import { AutoscalingJobs } from './autoscaling.jobs';
import { MutationsModule } from '../mutations/mutations.module';

@Module({
  imports: [MonitoringModule, ServicesModule, ChatopsModule, DeploymentsModule, MutationsModule, PrometheusModule],
  controllers: [AutoscalingController],
  providers: [
    AutoscalingService,
    AutoscalingResolver,
    AutoscalingEvaluator,
    AutoscalingJobs,
    AutoscalingHooks,
    PolicyStore,
    DecisionStore,
    RoundStore,
    StatsMetricSource,
    PrometheusMetricSource,
    AutoscalingDecisionLog,
    { provide: METRIC_SOURCE, useClass: PolicyMetricSource },
    { provide: REPLICA_SCALER, useClass: ScalingPathScaler },
    { provide: DEPLOYMENT_ACTIVITY, useExisting: DeploymentLine },
    { provide: DECISION_PUBLISHER, useClass: EventBusDecisionPublisher },
  ],
  exports: [AutoscalingService, AutoscalingDecisionLog],
})
export class AutoscalingModule {}
