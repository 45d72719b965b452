import { Module } from '@nestjs/common';
import { AutoscalingController } from './autoscaling.controller';
import { AutoscalingResolver } from './autoscaling.resolver';
import { AutoscalingService } from './autoscaling.service';
import { AutoscalingEvaluator } from './autoscaling.evaluator';
import { DecisionStore } from './decision.store';
import { PolicyStore } from './policy.store';
import { DECISION_PUBLISHER, DEPLOYMENT_ACTIVITY, METRIC_SOURCE, REPLICA_SCALER } from './autoscaling.ports';
import { EngineMetricSource } from './interim/engine-metric-source';
import { EngineReplicaScaler } from './interim/engine-replica-scaler';
import { LogDecisionPublisher, NoDeployments } from './interim/interim-ports';
import { AutoscalingScheduler } from './interim/autoscaling.scheduler';

@Module({
  controllers: [AutoscalingController],
  providers: [
    AutoscalingService,
    AutoscalingResolver,
    AutoscalingEvaluator,
    AutoscalingScheduler,
    PolicyStore,
    DecisionStore,
    { provide: METRIC_SOURCE, useClass: EngineMetricSource },
    { provide: REPLICA_SCALER, useClass: EngineReplicaScaler },
    { provide: DEPLOYMENT_ACTIVITY, useClass: NoDeployments },
    { provide: DECISION_PUBLISHER, useClass: LogDecisionPublisher },
  ],
  exports: [AutoscalingService],
})
export class AutoscalingModule {}
