import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';
import { PlacementView } from '../swarm/swarm.types';

@ObjectType()
export class NodeTaskCount {
  @Prop('string') nodeId!: string;
  @Prop('string') hostname!: string;
  @Prop('int', { description: 'tasks of the service on this node' }) count!: number;
  @Prop('int', { description: 'of which already run there and stay' }) kept!: number;
  @Prop('int', { description: 'of which are new' }) added!: number;
}

@ObjectType()
export class NodeExclusion {
  @Prop('string') nodeId!: string;
  @Prop('string') hostname!: string;
  @Prop('string', { enum: ['ready', 'resources', 'constraints', 'platform', 'host-port', 'max-replicas'] }) filter!: string;
  @Prop('string') message!: string;
}

@ObjectType()
export class UnschedulableReason {
  @Prop('string', { enum: ['ready', 'resources', 'constraints', 'platform', 'host-port', 'max-replicas'] }) filter!: string;
  @Prop('string', { example: 'insufficient resources on 2 nodes' }) message!: string;
  @Prop('string', { array: true, description: 'hostnames this filter rejects' }) nodes!: string[];
}

@ObjectType()
export class PlanAlternative {
  @Prop(NodeTaskCount, { array: true }) tasksPerNode!: NodeTaskCount[];
}

@ObjectType()
export class PlacementPlan {
  @Prop('string', { optional: true, description: 'the existing service planned for, if any' }) service?: string | null;
  @Prop('string', {
    enum: ['create', 'scale', 'replace', 'none'],
    description: 'create: a new service; scale: running tasks stay, only the difference moves; replace: the task template changes, every task is re-placed (rolling update); none: as it is now',
  })
  change!: string;
  @Prop('string', { enum: ['replicated', 'global'] }) mode!: string;
  @Prop('int') replicas!: number;
  @Prop('boolean', { description: 'every task can be placed' }) feasible!: boolean;
  @Prop('int', { description: 'tasks that would stay pending' }) unschedulable!: number;
  @Prop('string', { optional: true, description: 'Swarm\'s own wording for the pending tasks' }) message?: string | null;
  @Prop(NodeTaskCount, { array: true, description: 'predicted tasks of the service per node (nodes with none omitted)' }) tasksPerNode!: NodeTaskCount[];
  @Prop('boolean', { description: 'false when Swarm breaks ties at random and may pick other nodes (see alternatives)' }) deterministic!: boolean;
  @Prop(PlanAlternative, { array: true, description: 'other distributions Swarm\'s random tie-breaking can produce' }) alternatives!: PlanAlternative[];
  @Prop(NodeExclusion, { array: true, description: 'nodes that take no task of this spec, with the first filter they fail' }) excluded!: NodeExclusion[];
  @Prop(UnschedulableReason, { array: true, description: 'when tasks stay pending: which filter removes which nodes' }) reasons!: UnschedulableReason[];
}

@ObjectType()
export class PlacementUpdateResult {
  @Prop('string') service!: string;
  @Prop('int', { description: 'service version after the change' }) version!: number;
  @Prop(PlacementView) previous!: PlacementView;
  @Prop(PlacementView) placement!: PlacementView;
  @Prop(PlacementPlan, { description: 'where the tasks should end up' }) plan!: PlacementPlan;
  @Prop('string', { array: true }) warnings!: string[];
}

@ObjectType()
export class RebalanceResult {
  @Prop('string') service!: string;
  @Prop('string', { enum: ['started'] }) status!: string;
  @Prop('int', { description: 'TaskTemplate.ForceUpdate after the change' }) forceUpdate!: number;
  @Prop('int') version!: number;
  @Prop(NodeTaskCount, { array: true, description: 'running tasks per node before' }) before!: NodeTaskCount[];
  @Prop(PlacementPlan, { description: 'where the rolling replacement should put them' }) plan!: PlacementPlan;
  @Prop('string') message!: string;
}
