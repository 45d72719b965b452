import { Global, Module } from '@nestjs/common';
import { LeaderService } from '../cluster/leader.service';
import { ClusterWatcher } from '../cluster/cluster-watcher.service';
import { EventBus } from './event-bus';
import { EventsService } from './events.service';
import { EventsController } from './events.controller';
import { EventsResolver } from './events.resolver';
import { GraphqlFanout } from './graphql-fanout';

/** The event bus (global: deployments and autoscaling publish to it), the watcher leader, SSE and subscriptions. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventBus, LeaderService, ClusterWatcher, EventsService, EventsResolver, GraphqlFanout],
  exports: [EventBus, LeaderService, GraphqlFanout],
})
export class EventsModule {}
