import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConnectionOptions, Queue, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { RedisService } from '../../redis/redis.service';
import { closeWithin } from '../../common/shutdown';
import { AutoscalingEvaluator } from '../autoscaling.evaluator';

// Interim: replaced by the one queue owner (src/queue) once it lands.
const QUEUE = 'autoscaling';
const SCHEDULER_ID = 'autoscaling-round';

/** A BullMQ job scheduler producing one round job per interval; workers take one at a time. */
@Injectable()
export class AutoscalingScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Autoscaler');
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly evaluator: AutoscalingEvaluator,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    const connection: ConnectionOptions = { ...(this.redis.bullOptions() as Record<string, unknown>) };
    this.queue = new Queue(QUEUE, { connection });
    this.queue.on('error', () => undefined);
    this.queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { every: this.config.autoscaleIntervalSeconds * 1000 },
        { name: 'round', opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((e) => this.log.warn(`cannot schedule autoscaling rounds: ${(e as Error).message}`));
    this.worker = new Worker(QUEUE, () => this.evaluator.runRound(), { connection, concurrency: 1 });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (_job, e) => this.log.warn(`autoscaling round failed: ${e.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await closeWithin(3000, () => this.worker?.close() ?? Promise.resolve()).catch(() => undefined);
    await closeWithin(1000, () => this.queue?.close() ?? Promise.resolve()).catch(() => undefined);
  }
}
