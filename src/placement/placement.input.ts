import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { Prop } from '../common/schema';
import { parseMemory } from '../common/units';

/** Memory as bytes (number) or a string like "512M"; refused when not a positive amount. */
function IsMemory() {
  return ValidateBy({
    name: 'isMemory',
    validator: {
      validate: (v) => parseMemory(v) !== null,
      defaultMessage: () => 'memory must be bytes or a size like "512M", "1G"',
    },
  });
}

/** One declaration of a memory field: String in GraphQL ("512M" or digits), string or integer in REST. */
function MemoryProp(description: string): PropertyDecorator {
  const gql = Field(() => String, { nullable: true, description });
  const api = ApiProperty({ required: false, description, oneOf: [{ type: 'string', example: '512M' }, { type: 'integer' }] });
  return (target, key) => {
    gql(target, key);
    api(target, key);
  };
}

@InputType('SpreadPreferenceInput')
export class SpreadPreferenceInput {
  @Prop('string', { example: 'node.labels.zone', description: 'node.labels.<key> or engine.labels.<key>' })
  @IsString()
  @MaxLength(256)
  spread!: string;
}

/** A service's placement: the shape of POST /v1/services `placement` and PUT .../placement. */
@InputType('PlacementInput')
export class PlacementInput {
  @Prop('string', {
    array: true,
    optional: true,
    example: ['node.role==worker', 'node.labels.zone!=c'],
    description: 'key==value or key!=value on node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key>, engine.labels.<key>',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(512, { each: true })
  constraints?: string[];

  @Prop(SpreadPreferenceInput, { array: true, optional: true, description: 'spread levels, outermost first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => SpreadPreferenceInput)
  preferences?: SpreadPreferenceInput[];

  @Prop('int', { optional: true, description: 'tasks of this service per node at most; 0 = no limit' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  maxReplicasPerNode?: number;
}

/** PUT /v1/services/{name}/placement: the fields given replace the service's; absent ones stay. */
@InputType('UpdatePlacementInput')
export class UpdatePlacementInput extends PlacementInput {
  @Prop('boolean', { optional: true, description: 'apply even when the plan says some tasks cannot be placed' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

@InputType('PlanResourceAmountsInput')
export class PlanResourceAmountsInput {
  @Prop('float', { optional: true, description: 'CPUs as a decimal (0.5 = half a CPU)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(1024)
  cpus?: number;

  @MemoryProp('bytes, or a size like "512M", "1G"')
  @IsOptional()
  @IsMemory()
  memory?: string | number;
}

@InputType('PlanResourcesInput')
export class PlanResourcesInput {
  @Prop(PlanResourceAmountsInput, { optional: true, description: 'limits do not affect placement' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanResourceAmountsInput)
  limits?: PlanResourceAmountsInput;

  @Prop(PlanResourceAmountsInput, { optional: true, description: 'what each task reserves on its node' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanResourceAmountsInput)
  reservations?: PlanResourceAmountsInput;
}

/**
 * POST /v1/placement/plan: an existing `service` (optionally with changed replicas, placement or
 * resources) or a new spec (`image`, `replicas`, `placement`, `resources`).
 */
@InputType('PlanPlacementInput')
export class PlanPlacementInput {
  @Prop('string', { optional: true, description: 'an existing service; omit to plan a new one' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  service?: string;

  @Prop('string', { optional: true, description: 'image of a new service (required without `service`)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  image?: string;

  @Prop('int', { optional: true, description: 'default: the service\'s current replicas, or 1 for a new one' })
  @IsOptional()
  @IsInt()
  @Min(0)
  replicas?: number;

  @Prop(PlacementInput, { optional: true, description: 'replaces the service\'s placement fields that are given' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlacementInput)
  placement?: PlacementInput;

  @Prop(PlanResourcesInput, { optional: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanResourcesInput)
  resources?: PlanResourcesInput;
}

export const AVAILABILITIES = ['active', 'pause', 'drain'] as const;

@InputType('NodeAvailabilityInput')
export class NodeAvailabilityInput {
  @Prop('string', { enum: AVAILABILITIES, description: 'active: takes tasks; pause: keeps its tasks, takes no new ones; drain: moves its tasks away' })
  @IsIn(AVAILABILITIES)
  availability!: (typeof AVAILABILITIES)[number];
}

@InputType('NodeLabelsInput')
export class NodeLabelsInput {
  @Prop('json', { optional: true, example: { zone: 'a' }, description: 'labels to set (key: value)' })
  @IsOptional()
  @IsObject()
  add?: Record<string, string>;

  @Prop('string', { array: true, optional: true, example: ['rack'], description: 'label keys to remove' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  remove?: string[];
}
