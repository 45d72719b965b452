import { ApiProperty } from '@nestjs/swagger';
import { ServiceSummary, TaskView } from '../swarm/swarm.types';

export class ServiceList {
  @ApiProperty({ type: [ServiceSummary] }) items!: ServiceSummary[];
}

export class TaskList {
  @ApiProperty({ type: [TaskView] }) items!: TaskView[];
}
