import { Module } from '@nestjs/common';
import { ChatopsModule } from '../chatops/chatops.module';
import { DeploymentsChatops } from './deployments.chatops';
import { DeploymentEvents } from './deployment-events';
import { DeploymentProcessor } from './deployment.processor';
import { DeploymentStore } from './deployment.store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsResolver } from './deployments.resolver';
import { DeploymentsService } from './deployments.service';

@Module({
  imports: [ChatopsModule],
  controllers: [DeploymentsController],
  providers: [DeploymentStore, DeploymentEvents, DeploymentsService, DeploymentsResolver, DeploymentProcessor, DeploymentsChatops],
  exports: [DeploymentsService, DeploymentEvents, DeploymentStore],
})
export class DeploymentsModule {}
