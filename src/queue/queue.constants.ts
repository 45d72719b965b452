/**
 * Every BullMQ queue of the project. Start-up refuses a queue here without exactly one
 * @OnJob handler, so adding a queue means adding its handler in the same change.
 */
export enum QueueName {
  Deployments = 'deployments',
  Autoscaling = 'autoscaling',
}

/** BullMQ key prefix: all queues of the control plane live under it in Redis. */
export const QUEUE_PREFIX = 'swarm-cp';
