import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError, FieldError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { Operation } from '../mutations/operation-context';
import { cpusToNano, parseMemory } from '../common/units';
import { ClusterStateService, Snapshot } from '../cluster/cluster-state.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineService, EngineServiceSpec, EngineTask } from '../swarm/engine.types';
import { toPlacementView } from '../swarm/swarm.mappers';
import { ConstraintError, parseConstraints, parseSpread, SpreadDescriptor } from './constraints';
import { PlanNode, PlanResult, PlanSpec, PlanTask, planPlacement } from './planner';
import { PlacementInput, PlanPlacementInput, UpdatePlacementInput } from './placement.input';
import { NodeTaskCount, PlacementPlan, PlacementUpdateResult, RebalanceResult } from './placement.models';

type EnginePlacement = NonNullable<EngineServiceSpec['TaskTemplate']['Placement']>;

/** Task states in which the scheduler counts a task on its node (assigned .. running). */
const ON_NODE = new Set(['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
/** Desired states at or below "complete": the task is wanted, so it counts for spreading. */
const WANTED = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running', 'complete']);

function validationFailed(errors: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** Checks constraints and spread preferences, collecting every problem with its path. */
function checkPlacement(p: PlacementInput | undefined, prefix: string): { errors: FieldError[]; spread?: SpreadDescriptor[] } {
  const errors: FieldError[] = [];
  if (!p) return { errors };
  if (p.constraints) errors.push(...parseConstraints(p.constraints, `${prefix}constraints`).errors);
  p.preferences?.forEach((pref, i) => {
    try {
      parseSpread(pref.spread);
    } catch (e) {
      if (!(e instanceof ConstraintError)) throw e;
      errors.push({ path: `${prefix}preferences[${i}].spread`, message: e.message });
    }
  });
  return { errors };
}

/** The engine placement after applying the given fields; absent fields keep their value. */
function mergePlacement(current: EnginePlacement | undefined, p: PlacementInput): EnginePlacement {
  const next: EnginePlacement = { ...(current ?? {}) };
  if (p.constraints !== undefined) next.Constraints = [...p.constraints];
  if (p.preferences !== undefined) next.Preferences = p.preferences.map((x) => ({ Spread: { SpreadDescriptor: x.spread } }));
  if (p.maxReplicasPerNode !== undefined) {
    if (p.maxReplicasPerNode > 0) next.MaxReplicas = p.maxReplicasPerNode;
    else delete next.MaxReplicas;
  }
  if (!next.Constraints?.length) delete next.Constraints;
  if (!next.Preferences?.length) delete next.Preferences;
  return next;
}

function samePlacement(a: EnginePlacement | undefined, b: EnginePlacement | undefined): boolean {
  return JSON.stringify(toPlacementView(a)) === JSON.stringify(toPlacementView(b));
}

function hostPorts(s: EngineService | undefined): string[] {
  return (s?.Spec.EndpointSpec?.Ports ?? [])
    .filter((p) => p.PublishMode === 'host' && p.PublishedPort)
    .map((p) => `${p.Protocol ?? 'tcp'}/${p.PublishedPort}`);
}

function toPlanNodes(snap: Snapshot): PlanNode[] {
  return snap.nodes.map((n) => ({
    id: n.ID,
    hostname: n.Description?.Hostname ?? n.ID,
    role: n.Spec.Role,
    os: n.Description?.Platform?.OS ?? '',
    arch: n.Description?.Platform?.Architecture ?? '',
    labels: n.Spec.Labels ?? {},
    engineLabels: n.Description?.Engine?.Labels ?? {},
    state: n.Status.State,
    availability: n.Spec.Availability,
    nanoCpus: n.Description?.Resources?.NanoCPUs ?? 0,
    memoryBytes: n.Description?.Resources?.MemoryBytes ?? 0,
  }));
}

function toPlanTasks(snap: Snapshot): PlanTask[] {
  return snap.tasks
    .filter((t: EngineTask) => t.NodeID && ON_NODE.has(t.Status.State))
    .map((t) => ({
      serviceId: t.ServiceID,
      nodeId: t.NodeID!,
      active: WANTED.has(t.DesiredState),
      nanoCpus: t.Spec?.Resources?.Reservations?.NanoCPUs ?? 0,
      memoryBytes: t.Spec?.Resources?.Reservations?.MemoryBytes ?? 0,
      hostPorts: hostPorts(snap.servicesById.get(t.ServiceID)),
    }));
}

/** Service placement, the placement plan and rebalancing, shared by REST and GraphQL. */
@Injectable()
export class PlacementService {
  constructor(
    private readonly state: ClusterStateService,
    private readonly swarm: SwarmRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What Swarm would do with the spec, from a fresh look at the cluster; changes nothing. */
  async plan(input: PlanPlacementInput, caller: Caller): Promise<PlacementPlan> {
    const errors = checkPlacement(input.placement, 'placement.').errors;
    if (input.replicas !== undefined && input.replicas > this.config.maxReplicas) {
      errors.push({ path: 'replicas', message: `must not be greater than ${this.config.maxReplicas}` });
    }
    if (!input.service && !input.image) errors.push({ path: 'image', message: 'give an existing service or the image of a new one' });
    if (input.service && input.image) errors.push({ path: 'image', message: 'a plan for an existing service takes no image' });
    if (errors.length) throw validationFailed(errors);
    const record = input.service ? await this.state.serviceRecord(input.service, caller) : undefined;
    if (record?.Spec.Mode?.Global && input.replicas !== undefined) throw AppError.validation('replicas', `service "${input.service}" is global`);
    const snap = await this.state.refresh();
    return this.planOn(snap, record && (snap.servicesById.get(record.ID) ?? record), input);
  }

  private planOn(snap: Snapshot, record: EngineService | undefined, input: Omit<PlanPlacementInput, 'image'> & { force?: boolean }): PlacementPlan {
    const tt = record?.Spec.TaskTemplate;
    const currentPlacement = tt?.Placement;
    const placement = input.placement ? mergePlacement(currentPlacement, input.placement) : (currentPlacement ?? {});
    const current = tt?.Resources?.Reservations ?? {};
    const given = input.resources?.reservations;
    const reservations = given
      ? { nanoCpus: given.cpus !== undefined ? cpusToNano(given.cpus)! : 0, memoryBytes: given.memory !== undefined ? parseMemory(given.memory)! : 0 }
      : { nanoCpus: current.NanoCPUs ?? 0, memoryBytes: current.MemoryBytes ?? 0 };
    const global = !!record?.Spec.Mode?.Global;
    const currentReplicas = global ? 0 : (record?.Spec.Mode?.Replicated?.Replicas ?? 1);
    const replicas = input.replicas ?? (record ? currentReplicas : 1);

    const templateChanged =
      !!record &&
      (!samePlacement(currentPlacement, placement) || reservations.nanoCpus !== (current.NanoCPUs ?? 0) || reservations.memoryBytes !== (current.MemoryBytes ?? 0));
    const change = !record ? 'create' : templateChanged || input.force ? 'replace' : replicas !== currentReplicas ? 'scale' : 'none';

    const spec: PlanSpec = {
      serviceId: record?.ID ?? '',
      mode: global ? 'global' : 'replicated',
      replicas,
      constraints: parseConstraints(placement.Constraints ?? []).constraints,
      spread: (placement.Preferences ?? []).flatMap((p) => {
        try {
          return p.Spread?.SpreadDescriptor ? [parseSpread(p.Spread.SpreadDescriptor)] : [];
        } catch {
          return []; // Swarm ignores spread descriptors it does not understand
        }
      }),
      maxReplicas: placement.MaxReplicas ?? 0,
      reservations,
      platforms: (placement.Platforms ?? []).map((p) => ({ os: p.OS, arch: p.Architecture })),
      hostPorts: hostPorts(record),
    };
    const result = planPlacement({ nodes: toPlanNodes(snap), tasks: toPlanTasks(snap), spec, existing: change === 'replace' ? 'replace' : 'keep' });
    return toPlan(result, record?.Spec.Name ?? null, change, spec.mode);
  }

  async updatePlacement(name: string, input: UpdatePlacementInput, caller: Caller): Promise<PlacementUpdateResult> {
    const errors = checkPlacement(input, '').errors;
    if (input.constraints === undefined && input.preferences === undefined && input.maxReplicasPerNode === undefined) {
      errors.push({ path: 'constraints', message: 'give at least one of constraints, preferences, maxReplicasPerNode' });
    }
    if (errors.length) throw validationFailed(errors);
    const record = await this.state.serviceRecord(name, caller);
    const plan = this.planOn(await this.state.snapshot(), record, { placement: input });
    if (!plan.feasible && !input.force) {
      throw new AppError(
        'UNSCHEDULABLE',
        `with this placement ${plan.unschedulable} of ${plan.replicas} tasks of "${name}" could not be placed: ${plan.message}; send force: true to apply it anyway`,
        undefined,
        { plan },
      );
    }
    const { before, spec, warnings } = await this.swarm.mutateService(record.ID, (s) => {
      s.TaskTemplate.Placement = mergePlacement(s.TaskTemplate.Placement, input);
      if (!Object.keys(s.TaskTemplate.Placement).length) delete s.TaskTemplate.Placement;
      return s;
    });
    const previous = toPlacementView(before.Spec.TaskTemplate.Placement);
    const placement = toPlacementView(spec.TaskTemplate.Placement);
    Operation.note({ action: 'service.placement', target: name, before: previous, after: placement });
    const written = await this.state.readBack(record.ID);
    return { service: name, version: written?.Version.Index ?? before.Version.Index + 1, previous, placement, plan, warnings };
  }

  /**
   * Redistributes a service's tasks (after nodes join or come back from drain) by forcing a
   * rolling update: Swarm replaces every task and the scheduler places each one afresh.
   * TODO(deployments): queue this behind a deployment in progress on the same service.
   */
  async rebalance(name: string, caller: Caller): Promise<RebalanceResult> {
    const record = await this.state.serviceRecord(name, caller);
    if (record.Spec.Mode?.Global) throw new AppError('INVALID_STATE', `service "${name}" is global: it runs one task per node already`);
    const snap = await this.state.refresh();
    const before = runningPerNode(snap, record.ID);
    const plan = this.planOn(snap, record, { force: true });
    const { spec } = await this.swarm.mutateService(record.ID, (s) => {
      s.TaskTemplate.ForceUpdate = (s.TaskTemplate.ForceUpdate ?? 0) + 1;
      return s;
    });
    const forceUpdate = spec.TaskTemplate.ForceUpdate ?? 1;
    Operation.note({ action: 'service.rebalance', target: name, before: { tasksPerNode: before }, after: { forceUpdate, tasksPerNode: plan.tasksPerNode } });
    const written = await this.state.readBack(record.ID);
    return {
      service: name,
      status: 'started',
      forceUpdate,
      version: written?.Version.Index ?? record.Version.Index + 1,
      before,
      plan,
      message: `rolling replacement of ${before.reduce((s, c) => s + c.count, 0)} tasks started; follow it with GET /v1/services/${name}/tasks`,
    };
  }
}

function runningPerNode(snap: Snapshot, serviceId: string): NodeTaskCount[] {
  const counts = new Map<string, number>();
  for (const t of snap.tasksOf(serviceId)) {
    if (t.NodeID && WANTED.has(t.DesiredState) && ON_NODE.has(t.Status.State)) counts.set(t.NodeID, (counts.get(t.NodeID) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([nodeId, count]) => ({ nodeId, hostname: snap.nodeName(nodeId) ?? nodeId, count, kept: count, added: 0 }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
}

function toPlan(r: PlanResult, service: string | null, change: string, mode: string): PlacementPlan {
  return {
    service,
    change,
    mode,
    replicas: r.replicas,
    feasible: r.feasible,
    unschedulable: r.unschedulable,
    message: r.message,
    tasksPerNode: r.tasksPerNode,
    deterministic: r.deterministic,
    alternatives: r.alternatives.map((tasksPerNode) => ({ tasksPerNode })),
    excluded: r.excluded,
    reasons: r.reasons,
  };
}
