import { AppError } from '../common/errors';
import { SwarmRepository } from '../swarm/swarm.repository';
import { ContainerSample } from '../swarm/container-stats';
import { NodeAccess } from './node-access';

/** Nodes reached through an engine endpoint each (NODE_ENGINES): the development path. */
export class EngineNodeAccess extends NodeAccess {
  constructor(private readonly swarm: SwarmRepository) {
    super();
  }

  private require(hostname: string): void {
    if (!this.swarm.hasNodeEngine(hostname)) throw new AppError('DOCKER_UNAVAILABLE', `no engine endpoint for node ${hostname} (NODE_ENGINES)`);
  }

  async hosts(): Promise<string[]> {
    return this.swarm.nodeEngineHosts();
  }

  async containerStats(hostname: string, containerId: string): Promise<ContainerSample> {
    this.require(hostname);
    return this.swarm.containerStats(hostname, containerId);
  }

  async containerEvents(hostname: string, events: string[]): Promise<NodeJS.ReadableStream> {
    this.require(hostname);
    return this.swarm.nodeEvents(hostname, { type: ['container'], event: events });
  }
}
