import { Global, Module } from '@nestjs/common';
import { ACTIVE_DEPLOYMENTS } from '../monitoring/active-deployments';
import { ChatopsModule } from '../chatops/chatops.module';
import { DeploymentsChatops } from './deployments.chatops';
import { DeploymentEvents } from './deployment-events';
import { DeploymentLine } from './deployment-line';
import { DeploymentProcessor } from './deployment.processor';
import { DeploymentStore } from './deployment.store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsResolver } from './deployments.resolver';
import { DeploymentsService } from './deployments.service';

/** Global: the cluster overview counts the active deployments (ACTIVE_DEPLOYMENTS) without importing it. */
@Global()
@Module({
  imports: [ChatopsModule],
  controllers: [DeploymentsController],
  providers: [
    DeploymentStore,
    DeploymentEvents,
    DeploymentLine,
    DeploymentsService,
    DeploymentsResolver,
    DeploymentProcessor,
    DeploymentsChatops,
    { provide: ACTIVE_DEPLOYMENTS, useExisting: DeploymentsService },
  ],
  exports: [DeploymentsService, DeploymentLine, ACTIVE_DEPLOYMENTS],
})
export class DeploymentsModule {}
