import { Module } from '@nestjs/common';
import { DeploymentEvents } from './deployment-events';
import { DeploymentProcessor } from './deployment.processor';
import { DeploymentStore } from './deployment.store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsResolver } from './deployments.resolver';
import { DeploymentsService } from './deployments.service';

@Module({
  controllers: [DeploymentsController],
  providers: [DeploymentStore, DeploymentEvents, DeploymentsService, DeploymentsResolver, DeploymentProcessor],
  exports: [DeploymentsService, DeploymentEvents],
})
export class DeploymentsModule {}
