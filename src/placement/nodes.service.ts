import { Injectable } from '@nestjs/common';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { NodeView } from '../swarm/swarm.types';

/** Node reads, shared by REST and GraphQL. */
@Injectable()
export class NodesService {
  constructor(private readonly state: ClusterStateService) {}

  list(): Promise<NodeView[]> {
    return this.state.nodes();
  }

  get(idOrHostname: string): Promise<NodeView> {
    return this.state.node(idOrHostname);
  }
}
