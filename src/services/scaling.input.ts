import { InputType } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsObject, IsOptional, Min } from 'class-validator';
import { Prop } from '../common/schema';

@InputType('ScaleInput')
export class ScaleInput {
  @Prop('int', { description: 'desired replica count, 0..MAX_REPLICAS', example: 3 })
  @IsInt()
  @Min(0)
  replicas!: number;
}

@InputType('ScaleServicesInput')
export class ScaleServicesInput {
  @Prop('json', { description: 'service name -> desired replicas', example: { web: 5, api: 3 } })
  @IsObject()
  services!: Record<string, number>;

  @Prop('boolean', { optional: true, description: 'validate every target first and restore all on a failure part-way (default true)' })
  @IsOptional()
  @IsBoolean()
  atomic?: boolean;

  @Prop('boolean', { optional: true, description: 'say what would change without changing anything (default false)' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
