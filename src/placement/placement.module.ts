import { Module } from '@nestjs/common';
import { NodesController } from './nodes.controller';
import { NodesResolver } from './nodes.resolver';
import { NodesService } from './nodes.service';

@Module({
  controllers: [NodesController],
  providers: [NodesService, NodesResolver],
  exports: [NodesService],
})
export class PlacementModule {}
