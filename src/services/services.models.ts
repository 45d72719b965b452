import { ApiProperty } from '@nestjs/swagger';
import { ServiceSummary } from '../swarm/swarm.types';

export class ServiceList {
  @ApiProperty({ type: [ServiceSummary] }) items!: ServiceSummary[];
}
