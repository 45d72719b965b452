import { Module } from '@nestjs/common';
import { NodesController } from './nodes.controller';
import { NodesResolver } from './nodes.resolver';
import { NodesService } from './nodes.service';
import { PlacementController } from './placement.controller';
import { PlacementResolver } from './placement.resolver';
import { PlacementService } from './placement.service';

@Module({
  controllers: [NodesController, PlacementController],
  providers: [NodesService, NodesResolver, PlacementService, PlacementResolver],
  exports: [NodesService, PlacementService],
})
export class PlacementModule {}
