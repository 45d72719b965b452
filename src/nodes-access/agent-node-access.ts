import { AppError } from '../common/errors';
import { ContainerSample } from '../swarm/container-stats';
import { NodeAccess } from './node-access';
import { NodeAgents } from './node-agents';

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function statsPath(hostname: string, id: string): string {
  if (!CONTAINER_ID.test(id)) throw new AppError('NOT_FOUND', `container ${id} not found on ${hostname}`);
  return `/v1/containers/${id}/stats`;
}

/** Nodes reached through their node agents (a stack deployment: no engine but the local one exposed). */
export class AgentNodeAccess extends NodeAccess {
  constructor(
    private readonly agents: NodeAgents,
    private readonly statsTimeoutMs: number,
  ) {
    super();
  }

  hosts(): Promise<string[]> {
    return this.agents.hosts();
  }

  containerStats(hostname: string, containerId: string): Promise<ContainerSample> {
    return this.agents.json<ContainerSample>(hostname, statsPath(hostname, containerId), this.statsTimeoutMs);
  }

  containerEvents(hostname: string, events: string[]): Promise<NodeJS.ReadableStream> {
    return this.agents.stream(hostname, `/v1/events?${new URLSearchParams({ event: events.join(',') })}`);
  }
}
