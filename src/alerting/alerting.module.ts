import { Module } from '@nestjs/common';
import { AutoscalingModule } from '../autoscaling/autoscaling.module';
import { ServicesModule } from '../services/services.module';
import { MutationsModule } from '../mutations/mutations.module';
import { AlertingController } from './alerting.controller';
import { AlertingResolver } from './alerting.resolver';
import { AlertmanagerReceiver } from './alertmanager-receiver.service';
import { AlertRuleStore } from './alert-rule.store';
import { AlertRulesService } from './alert-rules.service';
import { TaskRestartMetrics } from './task-restarts';

/** Alertmanager's webhook receiver, per-service alert rules, and the metrics the shipped alert rules use. */
@Module({
  imports: [ServicesModule, AutoscalingModule, MutationsModule],
  controllers: [AlertingController],
  providers: [AlertRulesService, AlertingResolver, AlertmanagerReceiver, AlertRuleStore, TaskRestartMetrics],
})
export class AlertingModule {}
