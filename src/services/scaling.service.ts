import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError, FieldError } from '../common/errors';
import { Caller, inScope } from '../common/auth/roles';
import { Operation } from '../mutations/operation-context';
import { KeyedMutex } from '../common/keyed-mutex';
import { closest } from '../common/suggest';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineService } from '../swarm/engine.types';
import { ScaleBounds, ScaleBoundsRegistry } from './scale-bounds.registry';
import { ScaleServicesInput } from './scaling.input';
import { ScaleBatchResult, ScaleItemResult, ScaleResult } from './scaling.models';

/** The most services one batch may name. */
export const MAX_BATCH = 100;

export interface ScaleTarget {
  name: string;
  replicas: number;
}

/** Batch input `{ web: 5 }` as targets; every bad entry is reported with its path (`services.web`). */
export function parseTargets(services: unknown, maxReplicas: number): ScaleTarget[] {
  if (!services || typeof services !== 'object' || Array.isArray(services)) {
    throw AppError.validation('services', 'must be an object mapping service names to replica counts');
  }
  const entries = Object.entries(services as Record<string, unknown>);
  if (entries.length === 0) throw AppError.validation('services', 'must name at least one service');
  if (entries.length > MAX_BATCH) throw AppError.validation('services', `must name at most ${MAX_BATCH} services`);
  const errors: FieldError[] = [];
  for (const [name, v] of entries) {
    const problem = replicaProblem(v, maxReplicas);
    if (!name.trim()) errors.push({ path: 'services', message: 'service names must not be empty' });
    else if (problem) errors.push({ path: `services.${name}`, message: problem });
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  return entries.map(([name, replicas]) => ({ name, replicas: replicas as number }));
}

/** Why `v` is not a replica count in 0..max, or null when it is one. */
export function replicaProblem(v: unknown, max: number): string | null {
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be an integer';
  if (v < 0) return 'must not be less than 0';
  if (v > max) return `must not be greater than ${max} (MAX_REPLICAS)`;
  return null;
}

/** The policy bound `replicas` breaks, as the 422 the caller gets, or null. */
export function boundsProblem(name: string, replicas: number, bounds: ScaleBounds[]): AppError | null {
  for (const b of bounds) {
    if (replicas < b.min || replicas > b.max) {
      return new AppError('OUT_OF_BOUNDS', `${name}: ${replicas} replicas is outside ${b.min}..${b.max} set by ${b.reason}`, undefined, {
        bounds: { service: name, min: b.min, max: b.max, reason: b.reason },
      });
    }
  }
  return null;
}

export function desiredReplicas(s: EngineService): number {
  return s.Spec.Mode?.Replicated?.Replicas ?? 0;
}

interface Checked {
  id: string;
  name: string;
  requested: number;
  previous: number;
  labels?: Record<string, string>;
}

type ItemError = { code: string; message: string };

function itemError(e: unknown): ItemError {
  const err = e instanceof AppError ? e : new AppError('INTERNAL', 'internal error');
  return { code: err.code, message: err.message };
}

/**
 * Horizontal scaling of one service or a batch, shared by REST, GraphQL and chat commands.
 * Writes go through SwarmRepository.mutateService (re-read and retry on "update out of
 * sequence") behind a per-service queue, so concurrent scales of one service never fail.
 */
@Injectable()
export class ScalingService {
  private readonly locks = new KeyedMutex();

  constructor(
    private readonly swarm: SwarmRepository,
    private readonly state: ClusterStateService,
    private readonly bounds: ScaleBoundsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One engine call when the read model is current: the write starts from the read model's copy
   * (the engine's version check refuses a stale one, then it reads and goes on), while the policy
   * bounds are read from Redis at the same time. The read model reads the service back afterwards.
   */
  async scale(name: string, replicas: number, caller: Caller): Promise<ScaleResult> {
    const problem = replicaProblem(replicas, this.config.maxReplicas);
    if (problem) throw AppError.validation('replicas', problem);
    const bounds = this.bounds.boundsFor(name);
    bounds.catch(() => undefined); // awaited in the write; a failed read must not go unhandled meanwhile
    const { before } = await this.write(name, replicas, caller, bounds, this.known(name));
    const previous = desiredReplicas(before);
    Operation.note({
      action: 'service.scale',
      target: before.Spec.Name ?? name,
      before: { replicas: previous },
      after: { replicas },
      services: [{ name: before.Spec.Name ?? name, labels: before.Spec.Labels }],
    });
    this.state.written(before.ID);
    return { service: before.Spec.Name ?? name, previous, replicas };
  }

  /**
   * The read model's copy of a service, unless a read-back of an earlier write is still under
   * way: the write does not wait for it (reading the engine itself costs the same call).
   */
  private known(name: string): EngineService | undefined {
    return this.state.writesPending ? undefined : (this.state.lastSnapshot?.findService(name) ?? undefined);
  }

  async scaleBatch(input: ScaleServicesInput, caller: Caller): Promise<ScaleBatchResult> {
    const atomic = input.atomic ?? true;
    const dryRun = input.dryRun ?? false;
    // A dry run acts on nothing, so it is not an audited change.
    if (dryRun) Operation.note({ readOnly: true });
    const targets = parseTargets(input.services, this.config.maxReplicas);
    const checks = await Promise.all(targets.map((t) => this.check(t, caller).then((c) => ({ ok: c }), (e: unknown) => ({ error: e }))));
    const failures = checks.flatMap((c, i) => ('error' in c ? [{ target: targets[i], error: c.error }] : []));
    Operation.note({ action: 'services.scale', target: targets.map((t) => t.name).join(','), services: targets.map((t) => ({ name: t.name })) });

    if (atomic && failures.length) {
      // Nothing changed: answer with the first problem, and each target's verdict beside it.
      const results = targets.map((t, i): ScaleItemResult => {
        const c = checks[i];
        if ('error' in c) return { service: t.name, previous: null, replicas: null, requested: t.replicas, status: 'failed', error: itemError(c.error) };
        return { service: t.name, previous: c.ok.previous, replicas: c.ok.previous, requested: t.replicas, status: 'skipped' };
      });
      const first = failures[0].error instanceof AppError ? failures[0].error : new AppError('INTERNAL', 'internal error');
      throw new AppError(first.code, first.message, first.errors, { ...(first.details ?? {}), results });
    }

    const ok = checks.flatMap((c) => ('ok' in c ? [c.ok] : []));
    this.noteServices(ok, targets);
    const failedItems = failures.map((f): ScaleItemResult => ({
      service: f.target.name,
      previous: null,
      replicas: null,
      requested: f.target.replicas,
      status: 'failed',
      error: itemError(f.error),
    }));

    if (dryRun) {
      const results = ok.map((c): ScaleItemResult => ({
        service: c.name,
        previous: c.previous,
        replicas: c.requested,
        requested: c.requested,
        status: c.previous === c.requested ? 'unchanged' : 'would-scale',
      }));
      return { results: this.inOrder(targets, [...results, ...failedItems]), atomic, dryRun };
    }

    const results = atomic ? await this.applyAtomic(ok, caller) : [...(await this.applyEach(ok, caller)), ...failedItems];
    if (ok.length) this.state.written(...ok.map((c) => c.id));
    const ordered = this.inOrder(targets, results);
    Operation.note({
      before: Object.fromEntries(ordered.map((r) => [r.service, r.previous])),
      after: Object.fromEntries(ordered.map((r) => [r.service, r.replicas])),
    });
    const failed = ordered.find((r) => r.status === 'failed');
    if (atomic && failed) {
      const restored = ordered.filter((r) => r.status === 'restored').map((r) => r.service);
      const notRestored = ordered.filter((r) => r.status === 'restore-failed').map((r) => r.service);
      throw new AppError(
        'BATCH_FAILED',
        `scaling ${failed.service} failed (${failed.error?.message}); ` +
          (restored.length ? `restored ${restored.join(', ')}` : 'nothing had changed') +
          (notRestored.length ? `; could NOT restore ${notRestored.join(', ')}` : ''),
        undefined,
        { results: ordered },
      );
    }
    return { results: ordered, atomic, dryRun };
  }

  /** Exists and in the caller's scope, replicated, and within every registered bound. */
  private async check(t: ScaleTarget, caller: Caller): Promise<Checked> {
    // Bounds only for a service the caller may see: a policy must not reveal a hidden one.
    const s = await this.inspectTarget(t.name, caller);
    const bounds = await this.bounds.boundsFor(t.name);
    const out = boundsProblem(t.name, t.replicas, bounds);
    if (out) throw out;
    return { id: s.ID, name: t.name, requested: t.replicas, previous: desiredReplicas(s), labels: s.Spec.Labels };
  }

  private async inspectTarget(name: string, caller: Caller): Promise<EngineService> {
    let s: EngineService;
    try {
      s = await this.swarm.inspectService(this.physical(name));
    } catch (e) {
      if (e instanceof AppError && e.code === 'SERVICE_NOT_FOUND') throw await this.notFound(name, caller);
      throw e;
    }
    this.assertTarget(s, name, caller);
    return s;
  }

  /** Same checks inside the write, against the version being replaced. */
  private assertTarget(s: EngineService, name: string, caller: Caller): void {
    // The engine also resolves id prefixes; only a full name or id counts here.
    // SERVICE_NOT_FOUND; the callers' catch turns it into the answer with a suggestion.
    if ((s.Spec.Name !== this.physical(name) && s.ID !== name) || !inScope(caller, s.Spec.Labels)) throw new AppError('SERVICE_NOT_FOUND', `service "${name}" not found`);
    if (!s.Spec.Mode?.Replicated) {
      throw new AppError('GLOBAL_SERVICE', `service "${name}" runs in global mode (one task per node) and cannot be scaled`);
    }
  }

  /** The engine name behind a stable name: after a blue-green switch, the live colour's. */
  private physical(name: string): string {
    return this.state.lastSnapshot?.findService(name)?.Spec.Name ?? name;
  }

  /**
   * 404 with a close name the caller may see, when there is one. The names come from a fresh
   * snapshot: a service created a moment ago (say, by the docker CLI) is a candidate too.
   */
  async notFound(name: string, caller: Caller): Promise<AppError> {
    const snap = await this.state.refresh().catch(() => this.state.lastSnapshot);
    const visible = snap ? snap.services.filter((s) => inScope(caller, s.Spec.Labels)).flatMap((s) => (s.Spec.Name ? [s.Spec.Name] : [])) : [];
    const suggestion = closest(name, visible);
    return new AppError('SERVICE_NOT_FOUND', `service "${name}" not found${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, undefined, {
      ...(suggestion ? { suggestion } : {}),
    });
  }

  private write(name: string, replicas: number, caller: Caller, bounds: ScaleBounds[] | Promise<ScaleBounds[]> = [], known?: EngineService) {
    const write = () =>
      this.swarm.mutateService(
        this.physical(name),
        async (spec, current) => {
          this.assertTarget(current, name, caller);
          const out = boundsProblem(name, replicas, await bounds);
          if (out) throw out;
          spec.Mode = { Replicated: { Replicas: replicas } };
          return spec;
        },
        { attempts: 10, known },
      );
    return this.locks.run(name, write).catch(async (e: unknown) => {
      if (e instanceof AppError && e.code === 'SERVICE_NOT_FOUND') throw await this.notFound(name, caller);
      throw e;
    });
  }

  /** In order; on the first refusal, sets back what changed (newest first) and skips the rest. */
  private async applyAtomic(targets: Checked[], caller: Caller): Promise<ScaleItemResult[]> {
    const results: ScaleItemResult[] = [];
    const changed: ScaleItemResult[] = [];
    let failed = false;
    for (const t of targets) {
      if (failed) {
        results.push({ service: t.name, previous: t.previous, replicas: t.previous, requested: t.requested, status: 'skipped' });
        continue;
      }
      if (t.previous === t.requested) {
        results.push({ service: t.name, previous: t.previous, replicas: t.previous, requested: t.requested, status: 'unchanged' });
        continue;
      }
      try {
        const { before } = await this.write(t.name, t.requested, caller);
        const r: ScaleItemResult = { service: t.name, previous: desiredReplicas(before), replicas: t.requested, requested: t.requested, status: 'scaled' };
        results.push(r);
        changed.push(r);
      } catch (e) {
        failed = true;
        results.push({ service: t.name, previous: t.previous, replicas: t.previous, requested: t.requested, status: 'failed', error: itemError(e) });
      }
    }
    if (!failed) return results;
    for (const r of changed.reverse()) {
      try {
        await this.write(r.service, r.previous!, caller);
        r.status = 'restored';
        r.replicas = r.previous;
      } catch (e) {
        r.status = 'restore-failed';
        r.error = itemError(e);
      }
    }
    return results;
  }

  private applyEach(targets: Checked[], caller: Caller): Promise<ScaleItemResult[]> {
    return Promise.all(
      targets.map(async (t): Promise<ScaleItemResult> => {
        if (t.previous === t.requested) return { service: t.name, previous: t.previous, replicas: t.previous, requested: t.requested, status: 'unchanged' };
        try {
          const { before } = await this.write(t.name, t.requested, caller);
          return { service: t.name, previous: desiredReplicas(before), replicas: t.requested, requested: t.requested, status: 'scaled' };
        } catch (e) {
          return { service: t.name, previous: t.previous, replicas: t.previous, requested: t.requested, status: 'failed', error: itemError(e) };
        }
      }),
    );
  }

  private noteServices(ok: Checked[], targets: ScaleTarget[]): void {
    const labels = new Map(ok.map((c) => [c.name, c.labels]));
    Operation.note({ services: targets.map((t) => ({ name: t.name, labels: labels.get(t.name) })) });
  }

  private inOrder(targets: ScaleTarget[], results: ScaleItemResult[]): ScaleItemResult[] {
    const by = new Map(results.map((r) => [r.service, r]));
    return targets.map((t) => by.get(t.name)!).filter(Boolean);
  }
}
