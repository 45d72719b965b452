import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { EventsService } from './events.service';
import { EventsController } from './events.controller';
import { EventsResolver } from './events.resolver';
import { GraphqlFanout } from './graphql-fanout';

/** The event bus (global: the watcher, deployments and autoscaling publish to it), SSE and subscriptions. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventBus, EventsService, EventsResolver, GraphqlFanout],
  exports: [EventBus, GraphqlFanout],
})
export class EventsModule {}
