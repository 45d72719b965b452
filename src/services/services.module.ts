import { Module } from '@nestjs/common';
import { ServicesController } from './services.controller';
import { ServicesResolver } from './services.resolver';
import { ServicesService } from './services.service';
import { ScalingController } from './scaling.controller';
import { ScalingResolver } from './scaling.resolver';
import { ScalingService } from './scaling.service';
import { ScaleBoundsRegistry } from './scale-bounds.registry';

@Module({
  controllers: [ServicesController, ScalingController],
  providers: [ServicesService, ServicesResolver, ScalingService, ScalingResolver, ScaleBoundsRegistry],
  exports: [ServicesService, ScalingService, ScaleBoundsRegistry],
})
export class ServicesModule {}
