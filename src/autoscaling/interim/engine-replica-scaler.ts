import { Injectable } from '@nestjs/common';
import { ClusterStateService } from '../../cluster/cluster-state.service';
import { SwarmRepository } from '../../swarm/swarm.repository';
import { ReplicaScaler } from '../autoscaling.ports';

// Interim: replaced by the services scaling path (bounds, audit) once it lands.
@Injectable()
export class EngineReplicaScaler implements ReplicaScaler {
  constructor(
    private readonly state: ClusterStateService,
    private readonly swarm: SwarmRepository,
  ) {}

  async scale(service: string, replicas: number): Promise<void> {
    await this.swarm.mutateService(service, (spec) => ({ ...spec, Mode: { Replicated: { Replicas: replicas } } }));
    await this.state.refresh();
  }
}
