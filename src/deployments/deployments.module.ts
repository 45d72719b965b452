import { Global, Module } from '@nestjs/common';
import { ACTIVE_DEPLOYMENTS } from '../monitoring/active-deployments';
import { ChatopsModule } from '../chatops/chatops.module';
import { DeploymentsChatops } from './deployments.chatops';
import { DeploymentEvents } from './deployment-events';
import { DeploymentProcessor } from './deployment.processor';
import { DeploymentStore } from './deployment.store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsResolver } from './deployments.resolver';
import { DeploymentsService } from './deployments.service';

/** Global: the cluster overview and the autoscaler ask it whether deployments are active. */
@Global()
@Module({
  imports: [ChatopsModule],
  controllers: [DeploymentsController],
  providers: [
    DeploymentStore,
    DeploymentEvents,
    DeploymentsService,
    DeploymentsResolver,
    DeploymentProcessor,
    DeploymentsChatops,
    { provide: ACTIVE_DEPLOYMENTS, useExisting: DeploymentsService },
  ],
  exports: [DeploymentsService, DeploymentEvents, DeploymentStore, ACTIVE_DEPLOYMENTS],
})
export class DeploymentsModule {}
