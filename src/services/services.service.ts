import { Injectable } from '@nestjs/common';
import { Caller } from '../common/auth/roles';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { ServiceDetail, ServiceSummary, TaskView } from '../swarm/swarm.types';

const REDACTED = '[redacted]';

/** Service reads, shared by REST and GraphQL. */
@Injectable()
export class ServicesService {
  constructor(private readonly state: ClusterStateService) {}

  list(caller: Caller): Promise<ServiceSummary[]> {
    return this.state.services(caller);
  }

  async get(name: string, caller: Caller): Promise<ServiceDetail> {
    const detail = await this.state.service(name, caller);
    // Env values often hold credentials: viewers see the keys only.
    if (caller.role === 'viewer') detail.env = Object.fromEntries(Object.keys(detail.env).map((k) => [k, REDACTED]));
    return detail;
  }

  tasks(name: string, caller: Caller, all: boolean): Promise<TaskView[]> {
    return this.state.tasks(name, caller, all);
  }
}
