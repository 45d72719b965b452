import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SwarmRepository } from '../swarm/swarm.repository';
import { AgentNodeAccess } from './agent-node-access';
import { EngineNodeAccess } from './engine-node-access';
import { NodeAccess } from './node-access';
import { NodeAgents } from './node-agents';

/** Access to each node's own engine: through node agents when AGENT_DNS is set, else NODE_ENGINES. */
@Global()
@Module({
  providers: [
    NodeAgents,
    {
      provide: NodeAccess,
      inject: [APP_CONFIG, SwarmRepository, NodeAgents],
      useFactory: (config: AppConfig, swarm: SwarmRepository, agents: NodeAgents): NodeAccess =>
        config.agents ? new AgentNodeAccess(agents, config.statsTimeoutMs) : new EngineNodeAccess(swarm),
    },
  ],
  exports: [NodeAccess],
})
export class NodesAccessModule {}
