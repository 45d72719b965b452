import { ContainerSample } from '../swarm/container-stats';

/** Container events the cluster watcher follows on every node. */
export const FOLLOWED_CONTAINER_EVENTS = ['start', 'die', 'oom', 'kill', 'health_status'];

/**
 * What the control plane needs from each node's own engine - the manager's engine sees only
 * its own containers: a task container's stats and the node's container events. (Service logs
 * need none of this: the manager gathers them from every node.)
 * Two ways to reach them: NODE_ENGINES (an engine endpoint per node, the development path)
 * and the node agents of a stack deployment. A node that cannot be asked fails with
 * DOCKER_UNAVAILABLE and a message that says why (callers report it as the reason).
 */
export abstract class NodeAccess {
  /** Hostnames that can be asked now. */
  abstract hosts(): Promise<string[]>;

  abstract containerStats(hostname: string, containerId: string): Promise<ContainerSample>;

  /** The node's container events (engine JSON, one object per line), live. The caller destroys it. */
  abstract containerEvents(hostname: string, events: string[]): Promise<NodeJS.ReadableStream>;
}
