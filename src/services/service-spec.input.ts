import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Prop } from '../common/schema';
import { PlacementInput } from '../placement/placement.input';
import { MAX_REPLICAS_INPUT, UpdateConfigInput } from './update-settings.input';

export { PlacementInput };
import { cpusToNano, parseMemory } from '../common/units';

/**
 * The service spec as callers write it: one set of classes for REST bodies, GraphQL inputs and
 * the OpenAPI document. Translation to the engine's spec lives in spec.builder.ts; what may
 * never reach the engine (host escapes) is refused by spec-guard.ts.
 *
 * Nulls: at the top level (and for resources.limits/reservations) an explicit null clears that
 * group on PATCH (and means "not given" on create). Inside a group a null is a 400.
 */

/** Absent is fine, null is not (nested fields). */
const Opt = () => ValidateIf((_o, v) => v !== undefined);
/** Absent or null (top-level groups: null clears on PATCH). */
const Nullable = () => IsOptional();

const MAX_SECONDS = 31_536_000; // a year: longer durations are typos, and ns must stay a safe integer
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const IMAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/:@+]{0,254}$/;
const ABS_PATH = /^\/[^\0]{0,4095}$/;

/** Memory: bytes as an integer or a string such as "512M", "1G", "256Mi"; 0 means none. */
export function parseMemoryOrZero(v: unknown): number | null {
  if (v === 0 || v === '0') return 0;
  return parseMemory(v);
}

export function cpusToNanoOrZero(v: unknown): number | null {
  if (v === 0) return 0;
  return typeof v === 'number' ? cpusToNano(v) : null;
}

function IsMemory(opts?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMemory',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be bytes (integer) or a size like "512M", "1G", "256Mi"', ...opts },
      validator: {
        validate: (v: unknown) => (typeof v === 'number' || typeof v === 'string') && parseMemoryOrZero(v) !== null,
      },
    });
}

function IsCpus(opts?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCpus',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a number of CPUs between 0.000000001 and 1024 (0 = none)', ...opts },
      validator: { validate: (v: unknown) => typeof v === 'number' && (v === 0 || (cpusToNano(v) ?? 0) > 0) },
    });
}

/** A JSON object whose values are strings (env, labels, sysctls). */
export function IsStringMap(keyPattern: RegExp, opts?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be an object of string values with keys matching ${keyPattern}`, ...opts },
      validator: {
        validate: (v: unknown) =>
          !!v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          Object.keys(v).length <= 1000 &&
          Object.entries(v as Record<string, unknown>).every(([k, x]) => keyPattern.test(k) && typeof x === 'string' && x.length <= 65_536),
      },
    });
}

/** Memory amounts in GraphQL: an Int (bytes) or a String ("512M"); REST takes the same JSON. */
export const ByteSizeScalar = new GraphQLScalarType({
  name: 'ByteSize',
  description: 'Bytes as an integer, or a string such as "512M", "1G", "256Mi"',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v === 'number' || typeof v === 'string') return v;
    throw new GraphQLError('ByteSize must be an integer or a string like "512M"');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT) return Number(ast.value);
    if (ast.kind === Kind.STRING) return ast.value;
    throw new GraphQLError('ByteSize must be an integer or a string like "512M"');
  },
});

function ByteSizeProp(description: string): PropertyDecorator {
  const field = Field(() => ByteSizeScalar, { nullable: true, description });
  const api = ApiProperty({ required: false, description, oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', example: '512M' }] } as any);
  return (t, k) => {
    field(t, k);
    api(t, k);
  };
}

const seconds = (what: string) => [Opt(), IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${what} must be a number of seconds` }), Min(0), Max(MAX_SECONDS)];
function Seconds(what = '$property'): PropertyDecorator {
  const decos = seconds(what);
  return (t, k) => decos.forEach((d) => d(t, k));
}

@InputType('ResourceAmountsInput')
export class ResourceAmountsInput {
  @Prop('float', { optional: true, description: 'CPUs as a decimal (0.5 = half a CPU); 0 = none' })
  @Opt()
  @IsCpus()
  cpus?: number;

  @ByteSizeProp('memory: bytes or "512M"/"1G"/"256Mi"; 0 = none')
  @Opt()
  @IsMemory()
  memory?: number | string;
}

@InputType('ResourcesInput')
export class ResourcesInput {
  @Prop(ResourceAmountsInput, { optional: true, description: 'null clears the limits' })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => ResourceAmountsInput)
  limits?: ResourceAmountsInput | null;

  @Prop(ResourceAmountsInput, { optional: true, description: 'null clears the reservations' })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => ResourceAmountsInput)
  reservations?: ResourceAmountsInput | null;
}

/** PUT /v1/services/{name}/resources: vertical scaling. */
@InputType('UpdateResourcesInput')
export class UpdateResourcesInput extends ResourcesInput {
  @Prop('boolean', { optional: true, description: 'apply even when no ready, active node can hold the reservations' })
  @Opt()
  @IsBoolean()
  force?: boolean;
}

@InputType('PortInput')
export class PortInput {
  @Prop('int', { description: 'container port' })
  @IsInt()
  @Min(1)
  @Max(65535)
  target!: number;

  @Prop('int', { optional: true, description: 'published port (the engine picks one when absent in ingress mode)' })
  @Opt()
  @IsInt()
  @Min(1)
  @Max(65535)
  published?: number;

  @Prop('string', { optional: true, enum: ['tcp', 'udp', 'sctp'] })
  @Opt()
  @IsIn(['tcp', 'udp', 'sctp'])
  protocol?: string;

  @Prop('string', { optional: true, enum: ['ingress', 'host'], description: 'default ingress' })
  @Opt()
  @IsIn(['ingress', 'host'])
  mode?: string;
}

@InputType('NetworkInput')
export class NetworkInput {
  @Prop('string', { description: 'network name (or id); it must exist and be swarm-scoped' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { message: 'name must be a network name' })
  name!: string;

  @Prop('string', { array: true, optional: true, description: 'DNS aliases of the service on this network' })
  @Opt()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { each: true, message: 'each alias must be a DNS name' })
  aliases?: string[];
}

@InputType('MountInput')
export class MountInput {
  @Prop('string', { enum: ['volume', 'tmpfs', 'bind'], description: 'bind sources must be under BIND_MOUNT_ALLOWLIST' })
  @IsIn(['volume', 'tmpfs', 'bind'])
  type!: string;

  @Prop('string', { optional: true, description: 'volume name (volume), absolute host path (bind); none for tmpfs' })
  @Opt()
  @IsString()
  @MaxLength(4096)
  source?: string;

  @Prop('string', { description: 'absolute path in the container' })
  @IsString()
  @Matches(ABS_PATH, { message: 'target must be an absolute path' })
  target!: string;

  @Prop('boolean', { optional: true })
  @Opt()
  @IsBoolean()
  readOnly?: boolean;

  @ByteSizeProp('tmpfs size (tmpfs only)')
  @Opt()
  @IsMemory()
  tmpfsSize?: number | string;
}

@InputType('RestartPolicyInput')
export class RestartPolicyInput {
  @Prop('string', { optional: true, enum: ['none', 'on-failure', 'any'] })
  @Opt()
  @IsIn(['none', 'on-failure', 'any'])
  condition?: string;

  @Prop('float', { optional: true })
  @Seconds()
  delaySeconds?: number;

  @Prop('int', { optional: true, description: '0 = unlimited' })
  @Opt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  maxAttempts?: number;

  @Prop('float', { optional: true })
  @Seconds()
  windowSeconds?: number;
}

@InputType('HealthcheckInput')
export class HealthcheckInput {
  @Prop('string', { array: true, example: ['CMD-SHELL', 'wget -q -O- localhost || exit 1'], description: '["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  test!: string[];

  @Prop('float', { optional: true })
  @Seconds()
  intervalSeconds?: number;

  @Prop('float', { optional: true })
  @Seconds()
  timeoutSeconds?: number;

  @Prop('int', { optional: true })
  @Opt()
  @IsInt()
  @Min(0)
  @Max(1000)
  retries?: number;

  @Prop('float', { optional: true })
  @Seconds()
  startPeriodSeconds?: number;
}

const ENV_KEY = /^[^=\0\s]{1,256}$/;
const LABEL_KEY = /^[^\0\s]{1,256}$/;
const SYSCTL_KEY = /^[a-z0-9_.\-/]{1,256}$/;
const STRINGS = (max: number) => [IsArray(), ArrayMaxSize(max), IsString({ each: true }), MaxLength(65_536, { each: true })];
function Strings(max = 1024): PropertyDecorator {
  const d = STRINGS(max);
  return (t, k) => d.forEach((x) => x(t, k));
}

/** Everything a service spec has besides its name and image (shared by create and PATCH). */
@InputType({ isAbstract: true })
export abstract class ServiceSpecFields {
  @Prop('string', { optional: true, enum: ['replicated', 'global'], description: 'default replicated; cannot change after create' })
  @Nullable()
  @IsIn(['replicated', 'global'])
  mode?: 'replicated' | 'global' | null;

  @Prop('int', { optional: true, description: 'replicated mode only; default 1, at most MAX_REPLICAS' })
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_REPLICAS_INPUT)
  replicas?: number | null;

  @Prop('string', { array: true, optional: true, description: 'entrypoint override' })
  @Nullable()
  @Strings()
  command?: string[] | null;

  @Prop('string', { array: true, optional: true })
  @Nullable()
  @Strings()
  args?: string[] | null;

  @Prop('json', { optional: true, description: 'environment as { KEY: "value" }; replaces the whole map' })
  @Nullable()
  @IsStringMap(ENV_KEY)
  env?: Record<string, string> | null;

  @Prop('json', { optional: true, description: 'service labels; replaces the whole map' })
  @Nullable()
  @IsStringMap(LABEL_KEY)
  labels?: Record<string, string> | null;

  @Prop(PortInput, { array: true, optional: true })
  @Nullable()
  @IsArray()
  @ArrayMaxSize(128)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PortInput)
  ports?: PortInput[] | null;

  @Prop('string', { optional: true, enum: ['vip', 'dnsrr'] })
  @Nullable()
  @IsIn(['vip', 'dnsrr'])
  endpointMode?: 'vip' | 'dnsrr' | null;

  @Prop(NetworkInput, { array: true, optional: true })
  @Nullable()
  @IsArray()
  @ArrayMaxSize(32)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NetworkInput)
  networks?: NetworkInput[] | null;

  @Prop(MountInput, { array: true, optional: true })
  @Nullable()
  @IsArray()
  @ArrayMaxSize(64)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MountInput)
  mounts?: MountInput[] | null;

  @Prop(ResourcesInput, { optional: true })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => ResourcesInput)
  resources?: ResourcesInput | null;

  @Prop(PlacementInput, { optional: true })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => PlacementInput)
  placement?: PlacementInput | null;

  @Prop(RestartPolicyInput, { optional: true })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => RestartPolicyInput)
  restartPolicy?: RestartPolicyInput | null;

  @Prop(UpdateConfigInput, { optional: true })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateConfigInput)
  updateConfig?: UpdateConfigInput | null;

  @Prop(UpdateConfigInput, { optional: true })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateConfigInput)
  rollbackConfig?: UpdateConfigInput | null;

  @Prop(HealthcheckInput, { optional: true })
  @Nullable()
  @IsObject()
  @ValidateNested()
  @Type(() => HealthcheckInput)
  healthcheck?: HealthcheckInput | null;

  // ---- host-level settings: refused (403 SPEC_NOT_ALLOWED) unless SPEC_ALLOW names them ----

  @Prop('string', { array: true, optional: true, description: 'Linux capabilities to add (needs SPEC_ALLOW=capAdd:<CAP>)' })
  @Nullable()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(/^[A-Za-z_]{1,64}$/, { each: true, message: 'each capability must be a name like NET_ADMIN' })
  capAdd?: string[] | null;

  @Prop('string', { array: true, optional: true, description: 'Linux capabilities to drop' })
  @Nullable()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(/^[A-Za-z_]{1,64}$/, { each: true, message: 'each capability must be a name like NET_RAW' })
  capDrop?: string[] | null;

  @Prop('json', { optional: true, description: 'namespaced sysctls (needs SPEC_ALLOW=sysctls:<key>)' })
  @Nullable()
  @IsStringMap(SYSCTL_KEY)
  sysctls?: Record<string, string> | null;

  @Prop('boolean', { optional: true, description: 'not supported by Swarm services; refused' })
  @Nullable()
  @IsBoolean()
  privileged?: boolean | null;

  @Prop('string', { optional: true, description: 'PID namespace ("host"); refused' })
  @Nullable()
  @IsString()
  @MaxLength(64)
  pid?: string | null;

  @Prop('string', { optional: true, description: 'IPC namespace ("host"); refused' })
  @Nullable()
  @IsString()
  @MaxLength(64)
  ipc?: string | null;

  @Prop('string', { array: true, optional: true, description: 'host devices; refused' })
  @Nullable()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  devices?: string[] | null;
}

@InputType('CreateServiceInput')
export class CreateServiceInput extends ServiceSpecFields {
  @Prop('string', { example: 'web' })
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 letters, digits, "_", "." or "-", starting with a letter or digit' })
  name!: string;

  @Prop('string', { example: 'lab/web:v1' })
  @IsString()
  @Matches(IMAGE_PATTERN, { message: 'image must be an image reference like repo/name:tag' })
  image!: string;
}

@InputType('UpdateServiceInput')
export class UpdateServiceInput extends ServiceSpecFields {
  @Prop('string', { optional: true, example: 'lab/web:v2' })
  @Opt()
  @IsString()
  @Matches(IMAGE_PATTERN, { message: 'image must be an image reference like repo/name:tag' })
  image?: string;
}

/** The shape both create and PATCH inputs share, as the builder and the guard read it. */
export type ServiceInput = ServiceSpecFields & { name?: string; image?: string };
