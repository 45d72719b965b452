import { Injectable } from '@nestjs/common';
import { DeploymentActivity } from '../autoscaling.ports';

// Interim: replaced by the deployment store once it lands.
@Injectable()
export class NoDeployments implements DeploymentActivity {
  async activeDeployment(): Promise<string | null> {
    return null;
  }
}
