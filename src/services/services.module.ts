import { Module } from '@nestjs/common';
import { ServicesController } from './services.controller';
import { ServicesResolver } from './services.resolver';
import { ServicesService } from './services.service';
import { ScalingController } from './scaling.controller';
import { ScalingResolver } from './scaling.resolver';
import { ScalingService } from './scaling.service';
import { ScaleBoundsRegistry } from './scale-bounds.registry';
import { ServiceLifecycleController } from './service-lifecycle.controller';
import { ServiceLifecycleResolver } from './service-lifecycle.resolver';
import { ServiceLifecycleService } from './service-lifecycle.service';

@Module({
  controllers: [ServicesController, ScalingController, ServiceLifecycleController],
  providers: [ServicesService, ServicesResolver, ScalingService, ScalingResolver, ScaleBoundsRegistry, ServiceLifecycleService, ServiceLifecycleResolver],
  exports: [ServicesService, ScalingService, ScaleBoundsRegistry, ServiceLifecycleService],
})
export class ServicesModule {}
