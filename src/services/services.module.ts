import { Module } from '@nestjs/common';
import { ServicesController } from './services.controller';
import { ServicesResolver } from './services.resolver';
import { ServicesService } from './services.service';
import { ServiceLifecycleController } from './service-lifecycle.controller';
import { ServiceLifecycleResolver } from './service-lifecycle.resolver';
import { ServiceLifecycleService } from './service-lifecycle.service';

@Module({
  controllers: [ServicesController, ServiceLifecycleController],
  providers: [ServicesService, ServicesResolver, ServiceLifecycleService, ServiceLifecycleResolver],
  exports: [ServicesService, ServiceLifecycleService],
})
export class ServicesModule {}
