import { Module } from '@nestjs/common';
import { ServicesController } from './services.controller';
import { ServicesResolver } from './services.resolver';
import { ServicesService } from './services.service';

@Module({
  controllers: [ServicesController],
  providers: [ServicesService, ServicesResolver],
  exports: [ServicesService],
})
export class ServicesModule {}
