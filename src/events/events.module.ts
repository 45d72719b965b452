import { Global, Module } from '@nestjs/common';
import { LeaderService } from '../cluster/leader.service';
import { ClusterWatcher } from '../cluster/cluster-watcher.service';
import { EventBus } from './event-bus';
import { EventsService } from './events.service';
import { EventsController } from './events.controller';
import { EventsResolver } from './events.resolver';

/** The event bus (global: deployments and autoscaling publish to it), the watcher leader, SSE and subscriptions. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventBus, LeaderService, ClusterWatcher, EventsService, EventsResolver],
  exports: [EventBus, LeaderService],
})
export class EventsModule {}
