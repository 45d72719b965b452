import { Injectable } from '@nestjs/common';
import { DeploymentStore } from '../deployments/deployment.store';
import { DeploymentActivity } from './autoscaling.ports';

const IN_PROGRESS = new Set(['running', 'awaiting-promotion']);

/** A deployment pauses autoscaling of its service from the moment it runs until it ends. */
@Injectable()
export class StoreDeploymentActivity implements DeploymentActivity {
  constructor(private readonly store: DeploymentStore) {}

  async activeDeployment(service: string): Promise<string | null> {
    // The head of the service's line is the one that runs; the others wait for it.
    const [head] = await this.store.line(service);
    if (!head) return null;
    const d = await this.store.get(head);
    return d && IN_PROGRESS.has(d.status) ? d.id : null;
  }
}
