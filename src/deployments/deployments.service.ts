import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { Operation } from '../mutations/operation-context';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { EngineService } from '../swarm/engine.types';
import { stableName } from '../swarm/labels';
import { displayImage } from '../swarm/swarm.mappers';
import { DeployInput, DeploymentsQuery } from './deploy.input';
import { DeploymentEvents } from './deployment-events';
import { DeploymentLine } from './deployment-line';
import { DeploymentStore, newDeploymentId } from './deployment.store';
import { DeploymentRecord, DeploymentRequest, DeploymentView, isTerminal, StrategyName, toDeploymentView } from './deployment.types';

/** Deployments as the API sees them (REST, GraphQL, chatops): validate, record, enqueue, report. */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly store: DeploymentStore,
    private readonly state: ClusterStateService,
    private readonly line: DeploymentLine,
    private readonly events: DeploymentEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deploy(input: DeployInput, caller: Caller): Promise<DeploymentView> {
    if (input.strategy === 'rolling' && input.blueGreen) throw AppError.validation('blueGreen', 'only with strategy blue-green');
    if (input.strategy === 'blue-green' && input.rolling) throw AppError.validation('rolling', 'only with strategy rolling');
    const svc = await this.state.serviceRecord(input.service, caller);
    if (input.strategy === 'blue-green' && !svc.Spec.Mode?.Replicated) throw new AppError('INVALID_STATE', 'blue-green needs a replicated service');
    const d = await this.enqueue(svc, caller, {
      strategy: input.strategy,
      image: input.image,
      rolling: input.rolling ? { ...input.rolling } : null,
      blueGreen: input.blueGreen ? { ...input.blueGreen, verify: input.blueGreen.verify ? { ...input.blueGreen.verify } : undefined } : null,
      reason: input.reason ?? null,
      progressDeadlineSeconds: input.progressDeadlineSeconds,
    });
    Operation.note({ action: 'deployment.create', target: d.service, before: { image: d.previousImage }, after: { deployment: d.id, image: d.image, strategy: d.strategy } });
    return this.view(d);
  }

  /** Back to the service's previous spec (the engine's rollback), as a deployment. */
  async rollbackService(name: string, reason: string | undefined, caller: Caller): Promise<DeploymentView> {
    const svc = await this.state.serviceRecord(name, caller);
    if (!svc.PreviousSpec) throw new AppError('INVALID_STATE', `service "${name}" has no previous spec to roll back to`);
    const d = await this.enqueue(svc, caller, {
      strategy: 'rollback',
      image: displayImage(svc.PreviousSpec.TaskTemplate.ContainerSpec?.Image),
      rolling: null,
      blueGreen: null,
      reason: reason ?? 'service rollback',
    });
    Operation.note({ action: 'service.rollback', target: d.service, before: { image: d.previousImage }, after: { deployment: d.id, image: d.image } });
    return this.view(d);
  }

  async list(q: DeploymentsQuery, caller: Caller): Promise<DeploymentView[]> {
    const all = await this.store.list({ service: q.service, status: q.status, limit: caller.scope ? 1000 : q.limit });
    const visible: DeploymentRecord[] = [];
    const allowed = new Map<string, boolean>();
    for (const d of all) {
      if (!allowed.has(d.service)) allowed.set(d.service, await this.visible(d, caller));
      if (allowed.get(d.service)) visible.push(d);
    }
    return this.views(visible.slice(0, q.limit ?? 100));
  }

  /** Queued, running or awaiting promotion, within the caller's scope (cluster overview). */
  async activeDeployments(caller?: Caller): Promise<number> {
    const all = await this.store.list({ limit: 5000 });
    let n = 0;
    for (const d of all) if (!isTerminal(d.status) && (!caller || (await this.visible(d, caller)))) n++;
    return n;
  }

  async get(id: string, caller: Caller): Promise<DeploymentView> {
    return this.view(await this.record(id, caller));
  }

  async promote(id: string, caller: Caller): Promise<DeploymentView> {
    await this.record(id, caller);
    const d = await this.store.update(id, (x) => {
      if (x.status !== 'awaiting-promotion') throw new AppError('INVALID_STATE', `deployment ${id} is ${x.status}, not awaiting-promotion`);
      if (!x.requests.includes('promote')) x.requests.push('promote');
    });
    Operation.note({ action: 'deployment.promote', target: d.service, after: { deployment: id } });
    return this.view(d);
  }

  async cancel(id: string, caller: Caller): Promise<DeploymentView> {
    await this.record(id, caller);
    let wasQueued = false;
    const d = await this.store.update(id, (x) => {
      if (isTerminal(x.status)) throw new AppError('INVALID_STATE', `deployment ${id} is already ${x.status}`);
      wasQueued = x.status === 'queued';
      if (wasQueued) {
        // Nothing was done yet: it just leaves the line.
        const at = new Date().toISOString();
        x.status = 'cancelled';
        x.finishedAt = at;
        x.steps.push({ name: 'cancelled', at, message: `cancelled by ${caller.name} while queued` });
      } else if (!x.requests.includes('cancel')) x.requests.push('cancel');
    });
    if (wasQueued) {
      this.events.progress(d, d.steps.at(-1) ?? null);
      await this.line.leave(d);
    }
    Operation.note({ action: 'deployment.cancel', target: d.service, after: { deployment: id, status: d.status } });
    return this.view(d);
  }

  /**
   * A deployment still under way is rolled back by its worker (engine rollback, or traffic back
   * on blue); a succeeded one is rolled back by a new deployment of its previous image.
   */
  async rollback(id: string, caller: Caller): Promise<DeploymentView> {
    const cur = await this.record(id, caller);
    if (cur.status === 'succeeded') {
      if (!cur.previousImage) throw new AppError('INVALID_STATE', `deployment ${id} has no previous image`);
      const svc = await this.state.serviceRecord(cur.service, caller);
      const strategy: StrategyName = cur.strategy === 'blue-green' ? 'blue-green' : 'rolling';
      const d = await this.enqueue(svc, caller, {
        strategy,
        image: cur.previousImage,
        rolling: cur.rolling,
        blueGreen: cur.blueGreen,
        reason: `rollback of ${id}`,
        rollbackOf: id,
        progressDeadlineSeconds: cur.progressDeadlineSeconds,
      });
      Operation.note({ action: 'deployment.rollback', target: d.service, before: { image: cur.image }, after: { deployment: d.id, image: d.image } });
      return this.view(d);
    }
    const d = await this.store.update(id, (x) => {
      if (x.status !== 'running' && x.status !== 'awaiting-promotion') {
        throw new AppError('INVALID_STATE', `deployment ${id} is ${x.status}; only running, awaiting-promotion or succeeded deployments can be rolled back`);
      }
      if (!x.requests.includes('rollback')) x.requests.push('rollback' as DeploymentRequest);
    });
    Operation.note({ action: 'deployment.rollback', target: d.service, after: { deployment: id } });
    return this.view(d);
  }

  // ---- internals ----------------------------------------------------------------------------

  private async enqueue(
    svc: EngineService,
    caller: Caller,
    p: Pick<DeploymentRecord, 'strategy' | 'image' | 'rolling' | 'blueGreen' | 'reason'> & { rollbackOf?: string; progressDeadlineSeconds?: number },
  ): Promise<DeploymentRecord> {
    const now = Date.now();
    const replicas = svc.Spec.Mode?.Replicated?.Replicas ?? 0;
    const d: DeploymentRecord = {
      id: newDeploymentId(now),
      rev: 1,
      service: stableName(svc),
      strategy: p.strategy,
      image: p.image,
      previousImage: displayImage(svc.Spec.TaskTemplate.ContainerSpec?.Image) || null,
      status: 'queued',
      progress: { updated: 0, total: replicas },
      steps: [{ name: 'queued', at: new Date(now).toISOString(), message: p.reason }],
      createdBy: caller.name,
      createdAt: new Date(now).toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
      reason: p.reason,
      rollbackOf: p.rollbackOf ?? null,
      rolling: p.rolling,
      blueGreen: p.blueGreen,
      progressDeadlineSeconds: p.progressDeadlineSeconds ?? this.config.deployProgressDeadlineSeconds,
      requests: [],
      attempts: 0,
      state: {},
    };
    await this.line.join(d);
    return d;
  }

  private async visible(d: DeploymentRecord, caller: Caller): Promise<boolean> {
    if (!caller.scope) return true;
    try {
      await this.state.serviceRecord(d.service, caller);
      return true;
    } catch (e) {
      if (e instanceof AppError && e.code === 'SERVICE_NOT_FOUND') return false;
      throw e;
    }
  }

  /** The record, or DEPLOYMENT_NOT_FOUND when absent or outside the caller's scope. */
  private async record(id: string, caller: Caller): Promise<DeploymentRecord> {
    const d = await this.store.mustGet(id);
    if (!(await this.visible(d, caller))) throw new AppError('DEPLOYMENT_NOT_FOUND', `deployment "${id}" not found`);
    return d;
  }

  private async view(d: DeploymentRecord): Promise<DeploymentView> {
    return (await this.views([d]))[0];
  }

  private async views(ds: DeploymentRecord[]): Promise<DeploymentView[]> {
    const positions = await this.line.positions(ds);
    return ds.map((d) => toDeploymentView(d, positions.get(d.id) ?? null));
  }
}
