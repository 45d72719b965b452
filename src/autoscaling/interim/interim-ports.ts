import { Injectable, Logger } from '@nestjs/common';
import { DecisionPublisher, DeploymentActivity } from '../autoscaling.ports';
import { AutoscalingDecisionView } from '../autoscaling.models';

// Interim: replaced by the deployment store and the event bus once they land.
@Injectable()
export class NoDeployments implements DeploymentActivity {
  async activeDeployment(): Promise<string | null> {
    return null;
  }
}

@Injectable()
export class LogDecisionPublisher implements DecisionPublisher {
  private readonly log = new Logger('Autoscaler');
  async publish(d: AutoscalingDecisionView): Promise<void> {
    this.log.debug(`${d.service}: ${d.code} ${d.reason}`);
  }
}
