import { posix } from 'node:path';
import { AppError, FieldError } from '../common/errors';
import { EngineServiceSpec, EngineUpdateConfig } from '../swarm/engine.types';
import { displayImage } from '../swarm/swarm.mappers';
import { ConstraintError, parseConstraint, parseSpread } from '../placement/constraints';
import {
  cpusToNanoOrZero,
  HealthcheckInput,
  MountInput,
  parseMemoryOrZero,
  PlacementInput,
  PortInput,
  ResourcesInput,
  RestartPolicyInput,
  ServiceInput,
} from './service-spec.input';
import { UpdateSettings } from './update-settings.input';

/**
 * The one translation from the API's service spec (validated DTOs) to the engine's spec.
 * Pure: no I/O. PATCH semantics, used by create (on an empty spec), PATCH, PUT resources and
 * anything else that writes a spec:
 * - a group not given stays as it is;
 * - an object group given (resources.limits/reservations, placement, restartPolicy,
 *   updateConfig, rollbackConfig, healthcheck) is merged field by field into the current one
 *   (fields it does not name stay; engine defaults fill a group that did not exist);
 * - lists and maps (command, args, env, labels, ports, networks, mounts, constraints,
 *   preferences, capAdd, capDrop, sysctls) replace the whole list or map;
 * - null clears a top-level group (or resources.limits / resources.reservations);
 * - 0 for cpus, memory or maxReplicasPerNode means "none".
 * Semantic mistakes are collected and thrown as one 400 VALIDATION_FAILED naming each field.
 */

type TaskTemplate = EngineServiceSpec['TaskTemplate'];
type Resources = NonNullable<TaskTemplate['Resources']>;
type Amounts = NonNullable<Resources['Limits']>;
type RestartPolicy = NonNullable<TaskTemplate['RestartPolicy']>;
type Placement = NonNullable<TaskTemplate['Placement']>;
type HealthCheck = NonNullable<NonNullable<TaskTemplate['ContainerSpec']>['Healthcheck']>;
type Mount = NonNullable<NonNullable<TaskTemplate['ContainerSpec']>['Mounts']>[number];
type Port = NonNullable<NonNullable<EngineServiceSpec['EndpointSpec']>['Ports']>[number];

const NS = 1e9;
const ns = (seconds: number) => Math.round(seconds * NS);
/** The engine refuses memory limits below 6 MiB. */
export const MIN_MEMORY_LIMIT = 6 * 1024 * 1024;

/** What `docker service create` fills in when a group is first given (the API has no defaults). */
export const DEFAULT_UPDATE_CONFIG: Readonly<EngineUpdateConfig> = {
  Parallelism: 1,
  Delay: 0,
  FailureAction: 'pause',
  Monitor: 5 * NS,
  MaxFailureRatio: 0,
  Order: 'stop-first',
};
export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = { Condition: 'any', Delay: 5 * NS, MaxAttempts: 0, Window: 0 };

/** Collects field errors and throws them as one VALIDATION_FAILED. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  throwIfAny(): void {
    if (!this.list.length) return;
    throw new AppError('VALIDATION_FAILED', this.list.map((e) => `${e.path}: ${e.message}`).join('; '), this.list);
  }
}

function join(prefix: string, field: string): string {
  return prefix ? `${prefix}.${field}` : field;
}

export function toEngineUpdateConfig(input: UpdateSettings, current?: EngineUpdateConfig): EngineUpdateConfig {
  const c: EngineUpdateConfig = { ...(current ?? DEFAULT_UPDATE_CONFIG) };
  if (input.parallelism !== undefined) c.Parallelism = input.parallelism;
  if (input.delaySeconds !== undefined) c.Delay = ns(input.delaySeconds);
  if (input.order !== undefined) c.Order = input.order;
  if (input.failureAction !== undefined) c.FailureAction = input.failureAction;
  if (input.monitorSeconds !== undefined) c.Monitor = ns(input.monitorSeconds);
  if (input.maxFailureRatio !== undefined) c.MaxFailureRatio = input.maxFailureRatio;
  return c;
}

export function toEngineRestartPolicy(input: RestartPolicyInput, current?: RestartPolicy): RestartPolicy {
  const r: RestartPolicy = { ...(current ?? DEFAULT_RESTART_POLICY) };
  if (input.condition !== undefined) r.Condition = input.condition;
  if (input.delaySeconds !== undefined) r.Delay = ns(input.delaySeconds);
  if (input.maxAttempts !== undefined) r.MaxAttempts = input.maxAttempts;
  if (input.windowSeconds !== undefined) r.Window = ns(input.windowSeconds);
  return r;
}

function mergeAmounts(current: Amounts | undefined, input: { cpus?: number; memory?: number | string }, path: string, errors: FieldErrors, limit: boolean): Amounts | undefined {
  const a: Amounts = { ...(current ?? {}) };
  if (input.cpus !== undefined) {
    const nano = cpusToNanoOrZero(input.cpus);
    if (input.cpus === 0) delete a.NanoCPUs;
    else if (!nano) errors.add(join(path, 'cpus'), 'must be a number of CPUs between 0.000000001 and 1024 (0 = none)');
    else a.NanoCPUs = nano;
  }
  if (input.memory !== undefined) {
    const bytes = parseMemoryOrZero(input.memory);
    if (bytes === null) errors.add(join(path, 'memory'), 'must be bytes or a size like "512M", "1G"');
    else if (bytes === 0) delete a.MemoryBytes;
    else if (limit && bytes < MIN_MEMORY_LIMIT) errors.add(join(path, 'memory'), 'a memory limit must be at least 6M (the engine minimum)');
    else a.MemoryBytes = bytes;
  }
  return Object.keys(a).length ? a : undefined;
}

/** Reservations above limits, as field errors under `path` ("resources" or "" for PUT resources). */
export function resourceErrors(r: Resources | undefined, path = 'resources'): FieldError[] {
  const out: FieldError[] = [];
  const lim = r?.Limits;
  const res = r?.Reservations;
  if (lim?.NanoCPUs && res?.NanoCPUs && res.NanoCPUs > lim.NanoCPUs) {
    out.push({ path: join(path, 'reservations.cpus'), message: `reservation (${res.NanoCPUs / NS}) is above the limit (${lim.NanoCPUs / NS})` });
  }
  if (lim?.MemoryBytes && res?.MemoryBytes && res.MemoryBytes > lim.MemoryBytes) {
    out.push({ path: join(path, 'reservations.memory'), message: `reservation (${res.MemoryBytes} bytes) is above the limit (${lim.MemoryBytes} bytes)` });
  }
  return out;
}

/**
 * Resources after applying `input` to `current`; throws 400 for bad amounts or a reservation
 * above its limit. `path` prefixes field names in errors.
 */
export function toEngineResources(input: ResourcesInput, current?: Resources, path = 'resources'): Resources | undefined {
  const errors = new FieldErrors();
  const out: Resources = { ...(current ?? {}) };
  for (const [key, field, limit] of [['Limits', 'limits', true], ['Reservations', 'reservations', false]] as const) {
    const given = input[field];
    if (given === undefined) continue;
    const merged = given === null ? undefined : mergeAmounts(out[key], given, join(path, field), errors, limit);
    if (merged) out[key] = merged;
    else delete out[key];
  }
  errors.throwIfAny();
  for (const e of resourceErrors(out, path)) errors.add(e.path, e.message);
  errors.throwIfAny();
  return Object.keys(out).length ? out : undefined;
}

/**
 * Placement after applying `input` (null or an empty list clears a field; 0 max replicas is
 * none). Constraints and spread descriptors are checked with the placement module's parser.
 */
export function toEnginePlacement(input: PlacementInput, current?: Placement, errors = new FieldErrors(), path = 'placement'): Placement | undefined {
  const p: Placement = { ...(current ?? {}) };
  if (input.constraints !== undefined) {
    const list = (input.constraints ?? []).map((c, i) => {
      try {
        parseConstraint(c);
      } catch (e) {
        if (!(e instanceof ConstraintError)) throw e;
        errors.add(`${path}.constraints.${i}`, e.message);
      }
      return String(c).trim().replace(/\s*(==|!=)\s*/, '$1');
    });
    if (list.length) p.Constraints = list;
    else delete p.Constraints;
  }
  if (input.preferences !== undefined) {
    const prefs = input.preferences ?? [];
    prefs.forEach((x, i) => {
      try {
        parseSpread(x?.spread);
      } catch (e) {
        if (!(e instanceof ConstraintError)) throw e;
        errors.add(`${path}.preferences.${i}.spread`, e.message);
      }
    });
    if (prefs.length) p.Preferences = prefs.map((x) => ({ Spread: { SpreadDescriptor: String(x?.spread).trim() } }));
    else delete p.Preferences;
  }
  if (input.maxReplicasPerNode !== undefined) {
    if (input.maxReplicasPerNode) p.MaxReplicas = input.maxReplicasPerNode;
    else delete p.MaxReplicas;
  }
  return Object.keys(p).length ? p : undefined;
}

const HC_KINDS = new Set(['NONE', 'CMD', 'CMD-SHELL']);

export function toEngineHealthcheck(input: HealthcheckInput, current: HealthCheck | undefined, errors: FieldErrors, path = 'healthcheck'): HealthCheck {
  const h: HealthCheck = { ...(current ?? {}) };
  const [kind] = input.test;
  if (!HC_KINDS.has(kind)) errors.add(join(path, 'test'), 'must start with "CMD", "CMD-SHELL" or "NONE"');
  else if (kind === 'CMD-SHELL' && input.test.length !== 2) errors.add(join(path, 'test'), '["CMD-SHELL", "<command>"] takes exactly one command string');
  else if (kind === 'CMD' && input.test.length < 2) errors.add(join(path, 'test'), '["CMD", ...] needs a command');
  else if (kind === 'NONE' && input.test.length !== 1) errors.add(join(path, 'test'), '["NONE"] takes no arguments');
  h.Test = input.test;
  for (const [field, key] of [['intervalSeconds', 'Interval'], ['timeoutSeconds', 'Timeout'], ['startPeriodSeconds', 'StartPeriod']] as const) {
    const v = input[field];
    if (v === undefined) continue;
    // The engine takes 0 (default) or at least 1 ms.
    if (v !== 0 && v < 0.001) errors.add(join(path, field), 'must be 0 (engine default) or at least 0.001');
    h[key] = ns(v);
  }
  if (input.retries !== undefined) h.Retries = input.retries;
  return h;
}

export function toEnginePorts(ports: PortInput[], errors: FieldErrors, path = 'ports'): Port[] {
  const seen = new Map<string, number>();
  return ports.map((p, i) => {
    const protocol = p.protocol ?? 'tcp';
    if (p.published !== undefined) {
      const key = `${p.published}/${protocol}`;
      if (seen.has(key)) errors.add(`${path}.${i}.published`, `port ${key} is already published by ${path}.${seen.get(key)}`);
      seen.set(key, i);
    }
    return {
      Protocol: protocol,
      TargetPort: p.target,
      ...(p.published !== undefined ? { PublishedPort: p.published } : {}),
      PublishMode: p.mode ?? 'ingress',
    };
  });
}

const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

/** Mounts as the engine takes them. Bind sources must already have passed the spec guard. */
export function toEngineMounts(mounts: MountInput[], errors: FieldErrors, path = 'mounts'): Mount[] {
  return mounts.map((m, i) => {
    const at = `${path}.${i}`;
    const target = posix.normalize(m.target);
    if (target === '/') errors.add(`${at}.target`, 'cannot mount over the container root');
    if (m.tmpfsSize !== undefined && m.type !== 'tmpfs') errors.add(`${at}.tmpfsSize`, 'only for tmpfs mounts');
    const base: Mount = { Type: m.type, Target: target, ...(m.readOnly ? { ReadOnly: true } : {}) };
    switch (m.type) {
      case 'volume':
        if (m.source !== undefined && !VOLUME_NAME.test(m.source)) errors.add(`${at}.source`, 'must be a volume name (a host path needs type bind)');
        return m.source !== undefined ? { ...base, Source: m.source } : base;
      case 'tmpfs': {
        if (m.source !== undefined) errors.add(`${at}.source`, 'tmpfs mounts take no source');
        const size = m.tmpfsSize !== undefined ? parseMemoryOrZero(m.tmpfsSize) : 0;
        return size ? { ...base, TmpfsOptions: { SizeBytes: size } } : base;
      }
      default:
        if (!m.source?.startsWith('/')) errors.add(`${at}.source`, 'bind mounts need an absolute host path');
        return { ...base, Source: posix.normalize(m.source ?? '/') };
    }
  });
}

export interface BuildContext {
  /** Network name or id -> id of a network services can attach to; null when there is none. */
  resolveNetwork(nameOrId: string): string | null;
  maxReplicas: number;
}

function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

function setOrDelete<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete obj[key];
  else obj[key] = value;
}

/**
 * `spec` with `input` applied (PATCH semantics, see above). A create starts from
 * `emptySpec(name)`. Throws 400 VALIDATION_FAILED naming every field in error.
 */
export function applyServiceInput(current: EngineServiceSpec, input: ServiceInput, ctx: BuildContext): EngineServiceSpec {
  const errors = new FieldErrors();
  const spec: EngineServiceSpec = structuredClone(current);
  const tt: TaskTemplate = (spec.TaskTemplate ??= {});
  const cs = (tt.ContainerSpec ??= {});

  if (input.image !== undefined) cs.Image = input.image;

  // Mode: fixed at create (Swarm cannot switch a service between replicated and global).
  const isGlobal = !!spec.Mode?.Global;
  if (!spec.Mode) {
    if (input.mode === 'global') {
      spec.Mode = { Global: {} };
      if (input.replicas !== undefined && input.replicas !== null) errors.add('replicas', 'a global service runs one task per node; leave replicas out');
    } else {
      spec.Mode = { Replicated: { Replicas: input.replicas ?? 1 } };
    }
  } else {
    if (input.mode && input.mode !== (isGlobal ? 'global' : 'replicated')) errors.add('mode', 'Swarm cannot change the mode of an existing service; create a new one');
    if (input.replicas !== undefined && input.replicas !== null) {
      if (isGlobal) errors.add('replicas', 'a global service cannot be scaled');
      else spec.Mode = { Replicated: { Replicas: input.replicas } };
    }
  }
  const replicas = spec.Mode?.Replicated?.Replicas;
  if (replicas !== undefined && replicas > ctx.maxReplicas && input.replicas !== undefined) errors.add('replicas', `must be at most ${ctx.maxReplicas} (MAX_REPLICAS)`);

  if (input.command !== undefined) setOrDelete(cs, 'Command', input.command?.length ? input.command : undefined);
  if (input.args !== undefined) setOrDelete(cs, 'Args', input.args?.length ? input.args : undefined);
  if (input.env !== undefined) setOrDelete(cs, 'Env', input.env ? envList(input.env) : undefined);
  if (input.labels !== undefined) spec.Labels = { ...(input.labels ?? {}) };

  if (input.ports !== undefined || input.endpointMode !== undefined) {
    const ep = { ...(spec.EndpointSpec ?? {}) };
    if (input.ports !== undefined) ep.Ports = toEnginePorts(input.ports ?? [], errors);
    if (input.endpointMode !== undefined) ep.Mode = input.endpointMode ?? 'vip';
    if (ep.Mode === 'dnsrr') {
      (ep.Ports ?? []).forEach((p, i) => {
        if (p.PublishMode !== 'host') {
          errors.add(input.ports ? `ports.${i}.mode` : 'endpointMode', 'dnsrr services can only publish ports in host mode (Swarm refuses ingress ports with dnsrr)');
        }
      });
    }
    spec.EndpointSpec = ep;
  }

  if (input.networks !== undefined) {
    tt.Networks = (input.networks ?? []).map((n, i) => {
      const id = ctx.resolveNetwork(n.name);
      if (!id) errors.add(`networks.${i}.name`, `network "${n.name}" not found (it must exist and be swarm-scoped)`);
      return { Target: id ?? n.name, ...(n.aliases?.length ? { Aliases: n.aliases } : {}) };
    });
    delete spec.Networks; // deprecated top-level form: TaskTemplate.Networks is the one the engine honours
  }

  if (input.mounts !== undefined) setOrDelete(cs, 'Mounts', input.mounts?.length ? toEngineMounts(input.mounts, errors) : undefined);

  if (input.resources !== undefined) {
    try {
      setOrDelete(tt, 'Resources', input.resources === null ? undefined : toEngineResources(input.resources, tt.Resources));
    } catch (e) {
      for (const f of (e as AppError).errors ?? []) errors.add(f.path, f.message);
    }
  }
  if (input.placement !== undefined) setOrDelete(tt, 'Placement', input.placement === null ? undefined : toEnginePlacement(input.placement, tt.Placement, errors));
  if (spec.Mode?.Global && tt.Placement?.MaxReplicas) errors.add('placement.maxReplicasPerNode', 'only for replicated services');
  if (input.restartPolicy !== undefined) setOrDelete(tt, 'RestartPolicy', input.restartPolicy === null ? undefined : toEngineRestartPolicy(input.restartPolicy, tt.RestartPolicy));
  if (input.updateConfig !== undefined) setOrDelete(spec, 'UpdateConfig', input.updateConfig === null ? undefined : toEngineUpdateConfig(input.updateConfig, spec.UpdateConfig));
  if (input.rollbackConfig !== undefined) setOrDelete(spec, 'RollbackConfig', input.rollbackConfig === null ? undefined : toEngineUpdateConfig(input.rollbackConfig, spec.RollbackConfig));
  if (input.healthcheck !== undefined) setOrDelete(cs, 'Healthcheck', input.healthcheck === null ? undefined : toEngineHealthcheck(input.healthcheck, cs.Healthcheck, errors));

  // Host-level settings: only what the spec guard let through gets here.
  if (input.capAdd !== undefined) setOrDelete(cs, 'CapabilityAdd', input.capAdd?.length ? input.capAdd.map(capName) : undefined);
  if (input.capDrop !== undefined) setOrDelete(cs, 'CapabilityDrop', input.capDrop?.length ? input.capDrop.map(capName) : undefined);
  if (input.sysctls !== undefined) setOrDelete(cs, 'Sysctls', input.sysctls && Object.keys(input.sysctls).length ? { ...input.sysctls } : undefined);
  if (input.privileged === true) errors.add('privileged', 'Swarm services cannot run privileged containers');
  if (typeof input.pid === 'string') errors.add('pid', 'Swarm services cannot choose a PID namespace');
  if (typeof input.ipc === 'string') errors.add('ipc', 'Swarm services cannot choose an IPC namespace');
  if (input.devices?.length) errors.add('devices', 'Swarm services cannot map host devices');

  errors.throwIfAny();
  return spec;
}

function capName(c: string): string {
  return 'CAP_' + c.toUpperCase().replace(/^CAP_/, '');
}

/** A spec with nothing in it but its name, for create. */
export function emptySpec(name: string): EngineServiceSpec {
  return { Name: name, Labels: {}, TaskTemplate: { ContainerSpec: {} } };
}

/** A small view of a spec for the audit log (before/after). */
export function specFacts(spec: EngineServiceSpec | undefined, version?: number): Record<string, unknown> | null {
  if (!spec) return null;
  const r = spec.TaskTemplate?.Resources;
  const amounts = (a?: Amounts) => (a ? { cpus: a.NanoCPUs ? a.NanoCPUs / NS : null, memoryBytes: a.MemoryBytes ?? null } : null);
  return {
    image: displayImage(spec.TaskTemplate?.ContainerSpec?.Image),
    mode: spec.Mode?.Global ? 'global' : 'replicated',
    replicas: spec.Mode?.Replicated?.Replicas ?? null,
    ...(version !== undefined ? { version } : {}),
    ...(r ? { resources: { limits: amounts(r.Limits), reservations: amounts(r.Reservations) } } : {}),
  };
}
