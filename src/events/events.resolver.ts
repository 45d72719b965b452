import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { EventsService } from './events.service';
import { AutoscalingDecisionEvent, DeploymentProgressEvent, ManagerQuorumChanged, NodeChanged, ServiceChanged, TaskStateChanged } from './event.types';

const asIs = { resolve: (payload: unknown) => payload };

/** Subscriptions over graphql-ws; the caller was authenticated at connection_init. */
@Resolver()
export class EventsResolver {
  constructor(private readonly events: EventsService) {}

  @Subscription(() => TaskStateChanged, { ...asIs, description: 'task state transitions, of one service or all the token may see' })
  @RequireRole('viewer')
  taskStateChanged(@CurrentCaller() caller: Caller, @Args('service', { nullable: true }) service?: string) {
    return this.events.subscription(caller, 'task', { service });
  }

  @Subscription(() => ServiceChanged, { ...asIs, description: 'services created, updated or removed' })
  @RequireRole('viewer')
  serviceChanged(@CurrentCaller() caller: Caller, @Args('name', { nullable: true }) name?: string) {
    return this.events.subscription(caller, 'service', { service: name });
  }

  @Subscription(() => NodeChanged, { ...asIs, description: 'node state, availability, role and label changes' })
  @RequireRole('viewer')
  nodeChanged(@CurrentCaller() caller: Caller) {
    return this.events.subscription(caller, 'node');
  }

  @Subscription(() => ManagerQuorumChanged, { ...asIs, description: "the managers' fault tolerance changed (a manager lost or back, the quorum lost)" })
  @RequireRole('viewer')
  managerQuorumChanged(@CurrentCaller() caller: Caller) {
    return this.events.subscription(caller, 'cluster');
  }

  @Subscription(() => DeploymentProgressEvent, { ...asIs, description: 'progress of one deployment (id), or of the deployments of a service' })
  @RequireRole('viewer')
  deploymentProgress(
    @CurrentCaller() caller: Caller,
    @Args('id', { nullable: true }) id?: string,
    @Args('service', { nullable: true }) service?: string,
  ) {
    return this.events.subscription(caller, 'deployment', { service, where: id ? (p) => p.id === id : undefined });
  }

  @Subscription(() => AutoscalingDecisionEvent, { ...asIs, description: 'autoscaling decisions, of one service or all the token may see' })
  @RequireRole('viewer')
  autoscalingDecision(@CurrentCaller() caller: Caller, @Args('service', { nullable: true }) service?: string) {
    return this.events.subscription(caller, 'autoscaling', { service });
  }
}
