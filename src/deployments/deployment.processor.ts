import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { SwarmRepository } from '../swarm/swarm.repository';
import { liveColours } from '../swarm/labels';
import { QueueName } from '../queue/queue.constants';
import { OnJob } from '../queue/queue.decorators';
import { DelayedError, Job } from '../queue/queue.service';
import { DeploymentEvents } from './deployment-events';
import { CleanupJob, DeployJob, DeploymentLine } from './deployment-line';
import { DeploymentStore } from './deployment.store';
import { DeploymentRecord, isTerminal } from './deployment.types';
import { removeRetired, runBlueGreen } from './strategies/blue-green';
import { runRolling, runServiceRollback } from './strategies/rolling';
import { RunContext, RunFinished } from './strategies/run-context';

/** How long a deployment waiting for its service re-checks (it is also woken when the one ahead ends). */
const WAIT_FOR_SERVICE_MS = 2000;
const TRANSIENT = new Set(['DOCKER_UNAVAILABLE', 'SWARM_NO_QUORUM', 'REDIS_UNAVAILABLE', 'VERSION_CONFLICT', 'CONFLICT']);

/**
 * The worker side of deployments (ROLE=worker|all): runs one deployment per service at a time,
 * in the order they were asked for, as a resumable strategy. A job whose worker died is picked
 * up again by BullMQ's stalled-job check and continues from the record and the engine's state.
 */
@Injectable()
export class DeploymentProcessor {
  private readonly log = new Logger('Deployments');
  /** Runs in this process by deployment id. */
  private readonly running = new Map<string, Promise<string>>();

  constructor(
    private readonly store: DeploymentStore,
    private readonly swarm: SwarmRepository,
    private readonly events: DeploymentEvents,
    private readonly line: DeploymentLine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(QueueName.Deployments, { concurrency: 'deployConcurrency' })
  async handle(job: Job, token?: string): Promise<string> {
    if (job.name === 'cleanup') {
      const data = job.data as CleanupJob;
      const removed = await removeRetired({ swarm: this.swarm }, data.service, data.deploymentId);
      return removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove';
    }
    // A second job for a run already going on here (its queue state lost in a Redis failover
    // and the job handed out again) follows that run instead of starting another.
    const id = (job.data as DeployJob).id;
    const current = this.running.get(id);
    if (current) {
      this.log.warn(`deployment ${id} is already running in this process; job ${job.id} follows it`);
      return current;
    }
    const run = this.deploy(job as Job<DeployJob>, token).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  private async deploy(job: Job<DeployJob>, token?: string): Promise<string> {
    const id = job.data.id;
    const dep = await this.store.get(id);
    if (!dep || isTerminal(dep.status)) return dep?.status ?? 'gone';
    if (!(await this.line.isFirst(dep))) {
      await job.moveToDelayed(Date.now() + WAIT_FOR_SERVICE_MS, token);
      throw new DelayedError();
    }
    const started = await this.store.update(id, (d) => {
      if (isTerminal(d.status)) return false;
      if (d.status === 'queued') d.status = 'running';
      d.startedAt ??= new Date().toISOString();
      d.attempts += 1;
    });
    if (isTerminal(started.status)) return started.status;
    const ctx = new RunContext(started, this.swarm, this.config, this.store, this.events);
    if (started.attempts > 1) this.log.log(`resuming deployment ${id} (start ${started.attempts}, last step ${started.steps.at(-1)?.name ?? 'none'})`);
    const final = await this.runToEnd(ctx);
    await this.afterFinish(final);
    return final.status;
  }

  private async runToEnd(ctx: RunContext): Promise<DeploymentRecord> {
    let backoff = 500;
    for (;;) {
      try {
        if (!ctx.has('started')) await ctx.step('started', `${ctx.dep.strategy} to ${ctx.dep.image}`);
        if (ctx.dep.strategy !== 'blue-green' && !ctx.state.serviceId) await this.resolveService(ctx);
        if (ctx.dep.strategy === 'rolling') await runRolling(ctx);
        else if (ctx.dep.strategy === 'blue-green') await runBlueGreen(ctx);
        else await runServiceRollback(ctx);
      } catch (e) {
        if (e instanceof RunFinished) return ctx.dep;
        const err = e instanceof AppError ? e : new AppError('INTERNAL', (e as Error).message);
        if (TRANSIENT.has(err.code)) {
          // The engine or Redis is away: the run is resumable, so wait and start again from the top.
          this.log.warn(`deployment ${ctx.dep.id}: ${err.message}; retrying in ${backoff} ms`);
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 5000);
          ctx.dep = await this.store.get(ctx.dep.id).catch(() => ctx.dep) ?? ctx.dep;
          continue;
        }
        this.log.error(`deployment ${ctx.dep.id} failed: ${err.message}`);
        try {
          await ctx.finish('failed', err.message);
        } catch (f) {
          if (f instanceof RunFinished) return ctx.dep;
          throw f;
        }
      }
    }
  }

  private async resolveService(ctx: RunContext): Promise<void> {
    const services = await this.swarm.listServices();
    const svc = liveColours(services).get(ctx.dep.service) ?? services.find((s) => s.Spec.Name === ctx.dep.service);
    if (!svc) return ctx.finish('failed', `service "${ctx.dep.service}" no longer exists`);
    await ctx.remember({ serviceId: svc.ID });
  }

  private async afterFinish(d: DeploymentRecord): Promise<void> {
    await this.line.startNext(d.service);
    if (d.strategy === 'blue-green' && d.status === 'succeeded' && !d.steps.some((s) => s.name === 'old-removed')) {
      await this.line.scheduleCleanup(d, Math.max(0, (d.state.retireAt ?? Date.now()) - Date.now()));
    }
    await this.line.publishDepth();
  }
}
