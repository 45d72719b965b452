import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { QueueName } from '../queue/queue.constants';
import { QueueService } from '../queue/queue.service';
import { DeploymentEvents } from './deployment-events';
import { DeploymentStore } from './deployment.store';
import { DeploymentRecord, isTerminal } from './deployment.types';

/** The job that runs a deployment (its id is the job id). */
export interface DeployJob {
  id: string;
}

/** The job that removes a blue-green deployment's retired colour once its keep time is over. */
export interface CleanupJob {
  service: string;
  deploymentId: string;
}

/** Deployments a deployment pauses autoscaling for: from the moment it runs until it ends. */
const IN_PROGRESS = new Set(['running', 'awaiting-promotion']);

/**
 * Each service's line of deployments: one runs at a time, in the order they were asked for.
 * The one owner of joining the line (record and job together), who is first, starting the next
 * one when the head ends or leaves, and which deployment is active. The line itself is a Redis
 * list beside the records (DeploymentStore): a deployment leaves it when it reaches a terminal
 * status.
 */
@Injectable()
export class DeploymentLine {
  constructor(
    private readonly store: DeploymentStore,
    private readonly queue: QueueService,
    private readonly events: DeploymentEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private jobOptions() {
    const age = this.config.deployRetentionHours * 3600;
    return { removeOnComplete: { age }, removeOnFail: { age }, attempts: 1 };
  }

  /** Records a new (queued) deployment at the end of its service's line and enqueues its job. */
  async join(d: DeploymentRecord): Promise<void> {
    await this.store.create(d);
    try {
      const job: DeployJob = { id: d.id };
      await this.queue.add(QueueName.Deployments, 'deploy', job, { ...this.jobOptions(), jobId: d.id });
      // The 202 promises the record and its job: both on the replicas before answering.
      await this.store.replicated();
    } catch (e) {
      // Never leave a queued record without a job: it would hold the service's line forever.
      await this.store
        .update(d.id, (x) => {
          x.status = 'failed';
          x.error = `could not enqueue: ${(e as Error).message}`;
          x.finishedAt = new Date().toISOString();
        })
        .catch(() => undefined);
      throw e instanceof AppError ? e : new AppError('REDIS_UNAVAILABLE', `could not enqueue the deployment: ${(e as Error).message}`);
    }
    this.events.progress(d, d.steps[0]);
    await this.publishDepth();
  }

  /** A deployment that ended while queued (cancelled) leaves: its job goes, the next one starts. */
  async leave(d: DeploymentRecord): Promise<void> {
    await this.queue.remove(QueueName.Deployments, d.id);
    await this.startNext(d.service);
  }

  /** Whether `d` may run now. A head that is gone or finished is dropped from the line. */
  async isFirst(d: DeploymentRecord): Promise<boolean> {
    for (;;) {
      const line = await this.store.line(d.service);
      if (line[0] === d.id || !line.includes(d.id)) return true;
      const head = await this.store.get(line[0]);
      if (head && !isTerminal(head.status)) return false;
      await this.store.leaveLine(d.service, line[0]);
    }
  }

  /** Wakes the head of the service's line (its job may be waiting out a delay). */
  async startNext(service: string): Promise<void> {
    const next = (await this.store.line(service).catch(() => []))[0];
    if (next) await this.queue.promote(QueueName.Deployments, next).catch(() => undefined);
  }

  /** The id of the deployment running now (or awaiting promotion) for the service, else null. */
  async activeDeployment(service: string): Promise<string | null> {
    // The head of the line is the one that runs; the others wait for it.
    const [head] = await this.store.line(service);
    if (!head) return null;
    const d = await this.store.get(head);
    return d && IN_PROGRESS.has(d.status) ? d.id : null;
  }

  /** Where each unfinished deployment stands in its line (0: it runs); finished ones are absent. */
  async positions(ds: DeploymentRecord[]): Promise<Map<string, number>> {
    const lines = new Map<string, string[]>();
    for (const d of ds) {
      if (!isTerminal(d.status) && !lines.has(d.service)) lines.set(d.service, await this.store.line(d.service));
    }
    const out = new Map<string, number>();
    for (const d of ds) {
      const i = lines.get(d.service)?.indexOf(d.id) ?? -1;
      if (i >= 0) out.set(d.id, i);
    }
    return out;
  }

  /** Removes a blue-green deployment's old colour after `delayMs` (a job, so it survives restarts). */
  async scheduleCleanup(d: DeploymentRecord, delayMs: number): Promise<void> {
    const data: CleanupJob = { service: d.service, deploymentId: d.id };
    await this.queue.add(QueueName.Deployments, 'cleanup', data, { ...this.jobOptions(), jobId: `cleanup-${d.id}`, delay: delayMs });
  }

  /** Updates the queue depth gauge (jobs waiting, delayed or running). */
  async publishDepth(): Promise<void> {
    this.events.queueDepth(await this.queue.depth(QueueName.Deployments).catch(() => 0));
  }
}
