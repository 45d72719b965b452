import { InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Prop } from '../common/schema';
import { RollingSettings } from '../services/update-settings.input';

/**
 * An image reference as the engine accepts it: [registry[:port]/]path[:tag][@sha256:digest],
 * lower-case path components (docker's reference grammar).
 */
export const IMAGE_REF =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** HTTP probe of each green task from inside its network, before traffic moves. */
@InputType('VerifyProbeInput')
@ObjectType('VerifyProbe')
export class VerifyProbe {
  @Prop('int', { optional: true, description: 'container port (default: the first published target port, else 80)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @Prop('string', { optional: true, description: 'default /' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^\/[\x21-\x7e]*$/, { message: 'path must start with / and contain no spaces' })
  path?: string;

  @Prop('int', { optional: true, description: 'default 200' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  expectStatus?: number;

  @Prop('string', { optional: true, description: 'the body must contain this text' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  expectBody?: string;

  @Prop('int', { optional: true, description: 'per task, default 10' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(300)
  timeoutSeconds?: number;
}

@InputType('BlueGreenSettingsInput')
@ObjectType('BlueGreenSettings')
export class BlueGreenSettings {
  @Prop('boolean', { optional: true, description: 'switch traffic as soon as green is ready and verified (default true); otherwise wait for promote' })
  @IsOptional()
  @IsBoolean()
  autoPromote?: boolean;

  @Prop(VerifyProbe, { optional: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => VerifyProbe)
  verify?: VerifyProbe;

  @Prop('int', { optional: true, description: 'how long the old colour is kept after the switch (default BLUE_GREEN_KEEP_SECONDS)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604_800)
  keepSeconds?: number;

  @Prop('string', { optional: true, enum: ['stopped', 'running'], description: 'the old colour during the keep window (default stopped: scaled to 0)' })
  @IsOptional()
  @IsIn(['stopped', 'running'])
  keepOld?: 'stopped' | 'running';
}

@InputType('DeployInput')
export class DeployInput {
  @Prop('string', { example: 'web' })
  @IsString()
  @Matches(SERVICE_NAME, { message: 'service must be a service name' })
  service!: string;

  @Prop('string', { example: 'lab/web:v2' })
  @IsString()
  @MaxLength(255)
  @Matches(IMAGE_REF, { message: 'image must be an image reference like registry/name:tag' })
  image!: string;

  @Prop('string', { enum: ['rolling', 'blue-green'] })
  @IsIn(['rolling', 'blue-green'])
  strategy!: 'rolling' | 'blue-green';

  @Prop(RollingSettings, { optional: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RollingSettings)
  rolling?: RollingSettings;

  @Prop(BlueGreenSettings, { optional: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BlueGreenSettings)
  blueGreen?: BlueGreenSettings;

  @Prop('string', { optional: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @Prop('int', { optional: true, description: 'roll back when the update makes no progress for this long (default DEPLOY_PROGRESS_DEADLINE_SECONDS)' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(86_400)
  progressDeadlineSeconds?: number;
}

@InputType('RollbackServiceInput')
export class RollbackServiceInput {
  @Prop('string', { optional: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class DeploymentsQuery {
  @ApiPropertyOptional({ description: 'stable service name' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  service?: string;

  @ApiPropertyOptional({ enum: ['queued', 'running', 'awaiting-promotion', 'succeeded', 'failed', 'rolled-back', 'cancelled'] })
  @IsOptional()
  @IsIn(['queued', 'running', 'awaiting-promotion', 'succeeded', 'failed', 'rolled-back', 'cancelled'])
  status?: string;

  @ApiPropertyOptional({ description: 'at most this many, newest first (default 100)', type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

