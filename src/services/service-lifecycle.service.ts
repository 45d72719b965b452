import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { Operation } from '../mutations/operation-context';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineService, EngineServiceSpec } from '../swarm/engine.types';
import { ServiceDetail } from '../swarm/swarm.types';
import { fitsSomewhere, nodeRoom } from './capacity';
import { ScaleBoundsRegistry } from './scale-bounds.registry';
import { boundsProblem } from './scaling.service';
import { CreateServiceInput, ServiceInput, UpdateResourcesInput, UpdateServiceInput } from './service-spec.input';
import { guardSpec } from './spec-guard';
import { applyServiceInput, BuildContext, emptySpec, specFacts, toEngineResources } from './spec.builder';

/** `If-Match` as the API takes it: `12`, `"12"` or `W/"12"`; `*` or absent means no check. */
export function parseIfMatch(raw: string | number | undefined | null): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) throw AppError.validation('ifMatch', 'must be the service version (a non-negative integer)');
    return raw;
  }
  const v = raw.trim();
  if (v === '' || v === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(v);
  if (!m) throw AppError.validation('If-Match', 'must be the service version, e.g. If-Match: "42"');
  return Number(m[1]);
}

/**
 * Service lifecycle (create, PATCH, remove) and vertical scaling, shared by REST and GraphQL.
 * Every write: host-escape guard first, then the one spec builder, then the engine, then the
 * service read back into the read model so the caller's next GET sees it.
 */
@Injectable()
export class ServiceLifecycleService {
  constructor(
    private readonly swarm: SwarmRepository,
    private readonly state: ClusterStateService,
    private readonly bounds: ScaleBoundsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: CreateServiceInput, caller: Caller): Promise<ServiceDetail> {
    guardSpec(input, this.config);
    const ctx = await this.buildContext(input);
    const spec = applyServiceInput(emptySpec(input.name), input, ctx);
    this.keepInScope(spec, caller);
    Operation.note({ action: 'service.create', target: input.name, before: null, after: specFacts(spec) });
    let id: string;
    try {
      id = await this.swarm.createService(spec);
    } catch (e) {
      if (e instanceof AppError && e.code === 'SERVICE_EXISTS') throw new AppError('SERVICE_EXISTS', `service "${input.name}" already exists`);
      throw e;
    }
    return this.answer(input.name, caller, id);
  }

  async update(name: string, input: UpdateServiceInput, caller: Caller, ifMatch?: string | number | null): Promise<ServiceDetail> {
    const expectedVersion = parseIfMatch(ifMatch);
    // The record the read model resolves: after a blue-green switch, the live colour.
    const target = await this.target(name, caller);
    guardSpec(input, this.config);
    // A PATCH of replicas is a scale: the same policy bounds apply (no way around autoscaling).
    if (typeof input.replicas === 'number') {
      const problem = boundsProblem(name, input.replicas, await this.bounds.boundsFor(name));
      if (problem) throw problem;
    }
    const ctx = await this.buildContext(input);
    const { before, spec } = await this.swarm.mutateService(
      target.ID,
      (current, svc) => {
        this.checkTarget(svc, target.ID, caller);
        const next = applyServiceInput(current, input, ctx);
        this.keepInScope(next, caller);
        return next;
      },
      { expectedVersion },
    );
    Operation.note({ action: 'service.update', target: name, before: specFacts(before.Spec, before.Version.Index), after: specFacts(spec) });
    return this.answer(name, caller, target.ID);
  }

  async remove(name: string, caller: Caller): Promise<void> {
    const svc = await this.target(name, caller);
    Operation.note({ action: 'service.remove', target: name, before: specFacts(svc.Spec, svc.Version.Index), after: null });
    await this.swarm.removeService(svc.ID);
    this.state.applyServiceRemoved(svc.ID);
  }

  /**
   * Vertical scaling: limits and reservations (merged like PATCH's resources group). A
   * reservation that no READY + ACTIVE node has room for is refused with UNSCHEDULABLE unless
   * `force` is set. Retried on "update out of sequence": the caller gives no version.
   */
  async updateResources(name: string, input: UpdateResourcesInput, caller: Caller): Promise<ServiceDetail> {
    const target = await this.target(name, caller);
    const snap = await this.state.refresh();
    const { before, spec } = await this.swarm.mutateService(target.ID, (current, svc) => {
      this.checkTarget(svc, target.ID, caller);
      const resources = toEngineResources(input, current.TaskTemplate.Resources, '');
      if (!input.force && !fitsSomewhere(resources?.Reservations, nodeRoom(snap.nodes, snap.tasks, svc.ID))) {
        throw this.unschedulable(resources?.Reservations ?? {}, nodeRoom(snap.nodes, snap.tasks, svc.ID));
      }
      if (resources) current.TaskTemplate.Resources = resources;
      else delete current.TaskTemplate.Resources;
      return current;
    });
    Operation.note({ action: 'service.resources', target: name, before: specFacts(before.Spec, before.Version.Index), after: specFacts(spec) });
    return this.answer(name, caller, target.ID);
  }

  private unschedulable(r: { NanoCPUs?: number; MemoryBytes?: number }, rooms: ReturnType<typeof nodeRoom>): AppError {
    const want = [r.NanoCPUs ? `${r.NanoCPUs / 1e9} CPUs` : '', r.MemoryBytes ? `${r.MemoryBytes} bytes of memory` : ''].filter(Boolean).join(' and ');
    return new AppError(
      'UNSCHEDULABLE',
      `no ready, active node has room to reserve ${want}; set force to apply anyway (tasks would stay pending)`,
      [{ path: 'reservations', message: `no node can reserve ${want}` }],
      { nodes: rooms.map((x) => ({ hostname: x.hostname, freeCpus: x.freeNanoCpus / 1e9, freeMemoryBytes: x.freeMemoryBytes })) },
    );
  }

  /**
   * The service a write targets, as the caller may see it (404 otherwise), from the read model;
   * one created moments ago by someone else is read through from the engine.
   */
  private target(name: string, caller: Caller): Promise<EngineService> {
    return this.state.serviceRecord(name, caller);
  }

  /** Re-checked on the engine's own record inside the write (the read model may be stale). */
  private checkTarget(svc: EngineService, name: string, caller: Caller): void {
    // The engine also resolves id prefixes: a write must name the service exactly.
    if ((svc.Spec.Name !== name && svc.ID !== name) || !inScope(caller, svc.Spec.Labels)) {
      throw new AppError('SERVICE_NOT_FOUND', `service "${name}" not found`);
    }
  }

  /** A scoped caller cannot create or move a service outside its own scope. */
  private keepInScope(spec: EngineServiceSpec, caller: Caller): void {
    if (!caller.scope) return;
    spec.Labels = { ...caller.scope.labels, ...(spec.Labels ?? {}) };
    if (!inScope(caller, spec.Labels)) {
      const keys = Object.keys(caller.scope.labels).join(', ');
      throw new AppError('FORBIDDEN', `labels ${keys} must keep the values of your token's scope`, [{ path: 'labels', message: `must keep ${keys} of your scope` }]);
    }
  }

  private async buildContext(input: ServiceInput): Promise<BuildContext> {
    const base = { maxReplicas: this.config.maxReplicas };
    if (!input.networks?.length) return { ...base, resolveNetwork: () => null };
    const networks = await this.swarm.listNetworks();
    return {
      ...base,
      resolveNetwork: (ref) => {
        const n = networks.find((x) => x.Name === ref || x.Id === ref);
        if (!n) return null;
        // Only swarm-scoped networks span the nodes; "host" got here only through SPEC_ALLOW.
        if (n.Name === 'ingress') return null; // the routing mesh's own network cannot be attached
        return n.Scope === 'swarm' || n.Name === 'host' ? n.Id : null;
      },
    };
  }

  /** The service as written: read back from the engine (one call) into the read model, then answered from it. */
  private async answer(name: string, caller: Caller, id: string): Promise<ServiceDetail> {
    await this.state.readBack(id);
    const detail = await this.state.service(name, caller);
    const op = Operation.current();
    if (op?.after && typeof op.after === 'object') Operation.note({ after: { ...(op.after as object), version: detail.version } });
    return detail;
  }
}
