import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QueueService } from '../queue/queue.service';
import { QueueName } from '../queue/queue.constants';
import { OnJob } from '../queue/queue.decorators';
import { AutoscalingEvaluator } from './autoscaling.evaluator';
import { RoundRecord } from './round.store';

const SCHEDULER_ID = 'autoscaling-round';

/**
 * The evaluation round as a BullMQ job scheduler: one job per AUTOSCALE_INTERVAL_SECONDS for the
 * whole cluster, taken by one worker; the evaluator's Redis lock keeps rounds from overlapping
 * when one outlasts the interval.
 */
@Injectable()
export class AutoscalingJobs implements OnApplicationBootstrap {
  private readonly log = new Logger('Autoscaler');

  constructor(
    private readonly queues: QueueService,
    private readonly evaluator: AutoscalingEvaluator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.queues.runsWorkers) return;
    this.queues
      .schedule(QueueName.Autoscaling, SCHEDULER_ID, this.config.autoscaleIntervalSeconds * 1000, 'round', {})
      .catch((e) => this.log.warn(`cannot schedule autoscaling rounds: ${(e as Error).message}`));
  }

  @OnJob(QueueName.Autoscaling)
  round(): Promise<RoundRecord | null> {
    return this.evaluator.runRound();
  }
}
