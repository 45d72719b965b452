import { SetMetadata } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { QueueName } from './queue.constants';

export const JOB_HANDLER = 'swarm-cp:job-handler';

export interface JobHandlerOptions {
  queue: QueueName;
  /** Jobs of this queue one process runs at once; a number or a numeric config knob. */
  concurrency?: number | { [K in keyof AppConfig]: AppConfig[K] extends number ? K : never }[keyof AppConfig];
}

/**
 * Marks a provider method as the processor of a queue: `(job, token) => Promise<result>`.
 * Workers run only in ROLE=worker|all; the method may dispatch on `job.name`.
 */
export const OnJob = (queue: QueueName, opts: Omit<JobHandlerOptions, 'queue'> = {}) =>
  SetMetadata(JOB_HANDLER, { queue, ...opts } satisfies JobHandlerOptions);
