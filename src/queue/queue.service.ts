import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ConnectionOptions, DelayedError, Job, JobsOptions, Queue, QueueEvents, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { closeWithin } from '../common/shutdown';
import { RedisService } from '../redis/redis.service';
import { JOB_HANDLER, JobHandlerOptions } from './queue.decorators';
import { QUEUE_PREFIX, QueueName } from './queue.constants';

export type JobProcessor = (job: Job, token?: string) => Promise<unknown>;

interface Handler {
  options: JobHandlerOptions;
  fn: JobProcessor;
  owner: string;
}

export { DelayedError };
export type { Job, JobsOptions };

/** Checks that every queue has exactly one handler; returns the problems (empty when fine). */
export function handlerProblems(queues: readonly string[], handlers: Array<{ queue: string; owner: string }>): string[] {
  const out: string[] = [];
  for (const q of queues) {
    const mine = handlers.filter((h) => h.queue === q);
    if (mine.length === 0) out.push(`queue "${q}" has no @OnJob handler`);
    if (mine.length > 1) out.push(`queue "${q}" has ${mine.length} handlers: ${mine.map((h) => h.owner).join(', ')}`);
  }
  for (const h of handlers) if (!queues.includes(h.queue)) out.push(`${h.owner} handles unknown queue "${h.queue}"`);
  return out;
}

/**
 * The one owner of BullMQ in the process: every Queue, Worker, QueueEvents and job scheduler
 * is created here on RedisService.bullOptions() connections and closed here, each close bounded
 * so shutdown never hangs on a Redis that is gone. Handlers are declared with @OnJob.
 */
@Injectable()
export class QueueService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Queue');
  private readonly handlers = new Map<QueueName, Handler>();
  private readonly queues = new Map<QueueName, Queue>();
  private readonly events = new Map<QueueName, QueueEvents>();
  private readonly workers: Worker[] = [];
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Finds the @OnJob methods; start-up fails on a queue with no handler or two. */
  onModuleInit(): void {
    const found: Array<Handler & { queue: QueueName }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance);
      for (const key of this.scanner.getAllMethodNames(proto)) {
        const options = Reflect.getMetadata(JOB_HANDLER, proto[key]) as JobHandlerOptions | undefined;
        if (!options) continue;
        const fn = (instance[key] as JobProcessor).bind(instance);
        found.push({ queue: options.queue, options, fn, owner: `${proto.constructor.name}.${key}` });
      }
    }
    const problems = handlerProblems(Object.values(QueueName), found);
    if (problems.length) throw new Error(`job handlers: ${problems.join('; ')}`);
    for (const h of found) this.handlers.set(h.queue, h);
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    for (const [name, h] of this.handlers) this.startWorker(name, h);
  }

  private startWorker(name: QueueName, h: Handler): void {
    const c = h.options.concurrency;
    const concurrency = typeof c === 'number' ? c : c ? (this.config[c] as number) : 1;
    const worker = new Worker(name, (job, token) => h.fn(job, token), {
      connection: this.connection(),
      prefix: QUEUE_PREFIX,
      concurrency,
      lockDuration: this.config.queueLockDurationMs,
      stalledInterval: this.config.queueStalledIntervalMs,
      // Handlers are resumable state machines: a job whose worker died is picked up again, however often.
      maxStalledCount: 1000,
    });
    worker.on('error', (e) => {
      if (!this.closing) this.log.warn(`worker ${name}: ${e.message}`);
    });
    worker.on('failed', (job, e) => this.log.error(`job ${name}/${job?.id} failed: ${e.message}`));
    this.workers.push(worker);
    this.log.log(`worker for queue "${name}" started (concurrency ${concurrency})`);
  }

  /** RedisService's options for BullMQ (ioredis' option type is wider than BullMQ's own declaration). */
  private connection(): ConnectionOptions {
    return this.redis.bullOptions() as ConnectionOptions;
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection(), prefix: QUEUE_PREFIX });
      q.on('error', (e) => {
        if (!this.closing) this.log.warn(`queue ${name}: ${e.message}`);
      });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Adds a job; a job with the same `jobId` that still exists is not added twice. */
  async add<T>(name: QueueName, jobName: string, data: T, opts: JobsOptions = {}): Promise<void> {
    await this.queue(name).add(jobName, data, opts);
  }

  /** Runs a delayed job now (no-op if it is not delayed or gone). */
  async promote(name: QueueName, jobId: string): Promise<void> {
    const job = await this.queue(name).getJob(jobId);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  /** Removes a job that is not being processed (no-op otherwise). */
  async remove(name: QueueName, jobId: string): Promise<void> {
    await this.queue(name).remove(jobId).catch(() => undefined);
  }

  /** Jobs not finished yet: waiting, delayed or running. */
  async depth(name: QueueName): Promise<number> {
    const c = await this.queue(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  /** A repeatable job (e.g. the autoscaler round); upserting the same id replaces its schedule. */
  async schedule<T>(name: QueueName, schedulerId: string, everyMs: number, jobName: string, data: T): Promise<void> {
    // Finished runs are kept only briefly: a scheduler adds one job per interval, forever.
    await this.queue(name).upsertJobScheduler(schedulerId, { every: everyMs }, { name: jobName, data, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }

  async unschedule(name: QueueName, schedulerId: string): Promise<void> {
    await this.queue(name).removeJobScheduler(schedulerId);
  }

  /** Queue-wide job events (completed, failed, progress), one listener connection per queue. */
  queueEvents(name: QueueName): QueueEvents {
    let e = this.events.get(name);
    if (!e) {
      e = new QueueEvents(name, { connection: this.connection(), prefix: QUEUE_PREFIX });
      e.on('error', (err) => {
        if (!this.closing) this.log.warn(`queue events ${name}: ${err.message}`);
      });
      this.events.set(name, e);
    }
    return e;
  }

  get runsWorkers(): boolean {
    return this.config.role !== 'api';
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    // With Redis gone, a graceful close can never finish: don't wait for it.
    const redisUp = this.redis.client.status === 'ready';
    const budget = redisUp ? Math.max(1000, Math.floor(this.config.shutdownTimeoutMs / 2)) : 300;
    // Last resort, never awaited: BullMQ's disconnect can itself wait on a dead connection.
    const drop = (x: { disconnect(): Promise<void> }) => void x.disconnect().catch(() => undefined);
    // Workers first (they finish or give back their jobs), then producers and listeners.
    await Promise.all(
      this.workers.map((w) =>
        closeWithin(budget, () => w.close())
          .catch(() => closeWithin(redisUp ? 1000 : 100, () => w.close(true)))
          .catch(() => drop(w)),
      ),
    );
    const rest: Array<Queue | QueueEvents> = [...this.queues.values(), ...this.events.values()];
    await Promise.all(rest.map((x) => closeWithin(redisUp ? 1000 : 100, () => x.close()).catch(() => drop(x))));
  }
}
