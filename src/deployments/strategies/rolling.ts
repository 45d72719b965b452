import { AppError } from '../../common/errors';
import { EngineService, EngineServiceSpec, EngineTask, EngineUpdateConfig } from '../../swarm/engine.types';
import { DEPLOYMENT_LABEL } from '../../swarm/labels';
import { displayImage } from '../../swarm/swarm.mappers';
import { toEngineUpdateConfig } from '../../services/spec.builder';
import { UpdateSettings } from '../../services/update-settings.input';
import { convergedTasks, monitorMs, RunningSince } from './convergence';
import { RunContext } from './run-context';

/** The engine UpdateConfig for this update: the service's own, overridden by the request. */
export function mergeUpdateConfig(current: EngineUpdateConfig | undefined, r: UpdateSettings | null): EngineUpdateConfig {
  return r ? toEngineUpdateConfig(r, current ?? {}) : { ...(current ?? {}) };
}

export function sameImage(a: string | undefined, b: string | undefined): boolean {
  return displayImage(a) === displayImage(b);
}

export type RollingView =
  | { kind: 'progress'; updated: number; total: number }
  | { kind: 'rolling-back'; updated: number; total: number }
  | { kind: 'succeeded'; updated: number; total: number }
  | { kind: 'paused'; message: string }
  | { kind: 'rollback-paused'; message: string }
  | { kind: 'rolled-back'; message: string };

/**
 * Where an update stands, from the engine's UpdateStatus and the service's tasks of the current
 * spec: progress is the running tasks on the target image. `completed` is success, `paused` a failure,
 * `rollback_completed` a rollback (never a success).
 */
export function classifyRolling(svc: Pick<EngineService, 'Spec' | 'UpdateStatus'>, tasks: EngineTask[], target: string): RollingView {
  const desired = svc.Spec.Mode?.Replicated?.Replicas;
  const current = tasks.filter((t) => t.DesiredState === 'running');
  const running = current.filter((t) => t.Status.State === 'running');
  const updated = running.filter((t) => sameImage(t.Spec?.ContainerSpec?.Image, target)).length;
  const total = desired ?? current.length;
  const message = svc.UpdateStatus?.Message ?? '';
  switch (svc.UpdateStatus?.State) {
    case 'completed':
      return { kind: 'succeeded', updated, total };
    case 'paused':
      return { kind: 'paused', message: message || 'update paused' };
    case 'rollback_started':
      return { kind: 'rolling-back', updated, total };
    case 'rollback_paused':
      return { kind: 'rollback-paused', message: message || 'rollback paused' };
    case 'rollback_completed':
      return { kind: 'rolled-back', message: message || 'rolled back' };
  }
  // No update status: the engine found nothing to replace (or has not started yet).
  const stale = current.some((t) => !sameImage(t.Spec?.ContainerSpec?.Image, target));
  if (!svc.UpdateStatus?.State && sameImage(svc.Spec.TaskTemplate.ContainerSpec?.Image, target) && !stale && updated >= total) {
    return { kind: 'succeeded', updated, total };
  }
  return { kind: 'progress', updated, total };
}

async function inspect(ctx: RunContext): Promise<EngineService> {
  return ctx.swarm.inspectService(ctx.state.serviceId);
}

/**
 * The service and its tasks of the current spec: the engine's `_up-to-date` task filter, the one
 * `docker service update` itself follows (engine API 1.41 and later).
 */
async function observe(ctx: RunContext, target: string): Promise<{ svc: EngineService; tasks: EngineTask[]; view: RollingView }> {
  const svc = await inspect(ctx);
  const tasks = (await ctx.swarm.listTasks({ service: [svc.ID], '_up-to-date': ['true'] })).filter((t) => t.ServiceID === svc.ID);
  return { svc, tasks, view: classifyRolling(svc, tasks, target) };
}

/**
 * Milliseconds until the update counts as done by the CLI's rule (see convergence.ts), 0 when
 * it does now, null while not converged. Node states are read only once the tasks converge.
 */
async function convergedIn(ctx: RunContext, svc: EngineService, tasks: EngineTask[], since: RunningSince): Promise<number | null> {
  if (!convergedTasks(svc, tasks, ctx.dep.image)) {
    since.reset();
    return null;
  }
  const down = new Set((await ctx.swarm.listNodes()).filter((n) => n.Status.State === 'down').map((n) => n.ID));
  const ids = convergedTasks(svc, tasks, ctx.dep.image, down);
  if (!ids) {
    since.reset();
    return null;
  }
  return since.remaining(ids, monitorMs(svc));
}

/**
 * Asks the engine to go back to the service's previous spec (rollback=previous), once: the
 * version seen before asking is remembered, so after a restart a newer version means it was sent.
 */
export async function requestEngineRollback(ctx: RunContext, why: string, ownUpdate = true): Promise<void> {
  if (ctx.has('rollback-requested')) return;
  const svc = await inspect(ctx);
  const base = ctx.state.rollbackBaseVersion as number | undefined;
  // After our own update, any rollback state means the engine already rolls it back (failureAction
  // rollback): asking again would swap back to the new spec. A service rollback starts from anything.
  const state = svc.UpdateStatus?.State ?? '';
  const alreadyRolling = ownUpdate ? state.startsWith('rollback_') : false;
  if (!alreadyRolling && !(base !== undefined && svc.Version.Index > base)) {
    if (!svc.PreviousSpec) throw new AppError('INVALID_STATE', `service "${ctx.dep.service}" has no previous spec to roll back to`);
    await ctx.remember({ rollbackBaseVersion: svc.Version.Index });
    await ctx.swarm.updateService(svc.ID, svc.Version.Index, svc.Spec, { rollback: true });
  }
  await ctx.step('rollback-requested', why, { rollbackAt: Date.now() });
}

/** Follows an engine rollback to its end; returns null when done, else the engine's message. */
async function followRollback(ctx: RunContext): Promise<string | null> {
  const previous = ctx.dep.previousImage ?? '';
  for (;;) {
    const { view } = await observe(ctx, previous);
    if (view.kind === 'rolled-back') return null;
    if (view.kind === 'rollback-paused' || view.kind === 'paused') return view.message;
    if (view.kind === 'rolling-back' || view.kind === 'progress' || view.kind === 'succeeded') {
      await ctx.progress(view.kind === 'succeeded' ? view.total : view.updated, view.total);
    }
    if (ctx.stalledFor(ctx.state.rollbackAt ?? Date.now()) > ctx.dep.progressDeadlineSeconds) {
      return 'rollback made no progress before the deadline';
    }
    await ctx.sleep();
  }
}

/** Rolls back through the engine and ends the deployment with `status`. */
async function rollBackAndFinish(ctx: RunContext, status: 'rolled-back' | 'cancelled' | 'failed', why: string, error: string | null): Promise<never> {
  await requestEngineRollback(ctx, why);
  const stuck = await followRollback(ctx);
  if (stuck) return ctx.finish('failed', `${error ?? why}; rollback did not complete: ${stuck}`);
  return ctx.finish(status, error, why);
}

function withUpdate(spec: EngineServiceSpec, ctx: RunContext): EngineServiceSpec {
  spec.TaskTemplate.ContainerSpec = { ...(spec.TaskTemplate.ContainerSpec ?? {}), Image: ctx.dep.image };
  spec.UpdateConfig = mergeUpdateConfig(spec.UpdateConfig, ctx.dep.rolling);
  spec.Labels = { ...(spec.Labels ?? {}), [DEPLOYMENT_LABEL]: ctx.dep.id };
  return spec;
}

/**
 * Rolling update: one engine update carries the new image, the request's update settings and
 * the deployment's label; then the engine's UpdateStatus and the tasks are followed to the end:
 * success once every task of the new spec has run for the monitor period (the CLI's rule, see
 * convergence.ts) or the engine says completed, whichever comes first. Resumable: the label (or a newer version than the one seen before sending) says the update
 * was already sent, so it is never sent twice.
 */
export async function runRolling(ctx: RunContext): Promise<never> {
  if (!ctx.has('update-submitted')) {
    const svc = await inspect(ctx);
    const base = ctx.state.submitBaseVersion as number | undefined;
    const sent = svc.Spec.Labels?.[DEPLOYMENT_LABEL] === ctx.dep.id || (base !== undefined && svc.Version.Index > base);
    if (!sent) {
      const req = await ctx.pendingRequest();
      if (req === 'cancel' || req === 'rollback') return ctx.finish('cancelled', null, `${req} before the update was sent`);
      await ctx.remember({ submitBaseVersion: svc.Version.Index });
      await ctx.swarm.mutateService(svc.ID, (spec) => withUpdate(spec, ctx), { expectedVersion: svc.Version.Index });
    }
    await ctx.step('update-submitted', `image ${ctx.dep.image}`, { submittedAt: Date.now() });
  }
  if (ctx.has('rollback-requested')) {
    const why = ctx.dep.steps.find((s) => s.name === 'rollback-requested')?.message ?? 'rollback';
    const status = ctx.state.rollbackOutcome ?? 'rolled-back';
    return rollBackAndFinish(ctx, status, why, ctx.state.rollbackError ?? null);
  }
  const since = new RunningSince();
  for (;;) {
    const { svc, tasks, view } = await observe(ctx, ctx.dep.image);
    switch (view.kind) {
      case 'succeeded':
        await ctx.progress(view.total, view.total);
        return ctx.finish('succeeded', null, 'update completed');
      case 'paused': {
        const error = `update paused: ${view.message}`;
        if (ctx.dep.rolling?.failureAction === 'rollback') {
          await ctx.remember({ rollbackOutcome: 'failed', rollbackError: error });
          return rollBackAndFinish(ctx, 'failed', 'update paused; returning to the previous spec', error);
        }
        return ctx.finish('failed', error);
      }
      case 'rollback-paused':
        return ctx.finish('failed', `engine rollback paused: ${view.message}`);
      case 'rolled-back':
        await ctx.progress(0, ctx.dep.progress.total);
        return ctx.finish('rolled-back', `the engine rolled the update back: ${view.message}`);
    }
    const left = view.kind === 'progress' ? await convergedIn(ctx, svc, tasks, since) : null;
    if (left === 0) {
      await ctx.progress(view.total, view.total);
      return ctx.finish('succeeded', null, `every task of the new spec ran for the monitor period (${monitorMs(svc) / 1000} s)`);
    }
    await ctx.progress(view.updated, view.total);
    const req = await ctx.pendingRequest();
    if (req === 'cancel' || req === 'rollback') {
      const outcome = req === 'cancel' ? 'cancelled' : 'rolled-back';
      await ctx.remember({ rollbackOutcome: outcome, rollbackError: null });
      return rollBackAndFinish(ctx, outcome, `${req} requested`, null);
    }
    if (view.kind === 'progress' && ctx.stalledFor(ctx.state.submittedAt) > ctx.dep.progressDeadlineSeconds) {
      const error = `no progress for ${ctx.dep.progressDeadlineSeconds} s (progress deadline)`;
      await ctx.remember({ rollbackOutcome: 'rolled-back', rollbackError: error });
      return rollBackAndFinish(ctx, 'rolled-back', 'progress deadline exceeded', error);
    }
    // While converged, look again exactly when the monitor period is over.
    await ctx.sleep(left === null ? undefined : Math.max(10, Math.min(left, ctx.config.deployPollMs)));
  }
}

/** POST /v1/services/{name}/rollback: the engine's rollback to the previous spec, followed to the end. */
export async function runServiceRollback(ctx: RunContext): Promise<never> {
  await requestEngineRollback(ctx, ctx.dep.reason ?? 'service rollback', false);
  const stuck = await followRollback(ctx);
  if (stuck) return ctx.finish('failed', `rollback did not complete: ${stuck}`);
  return ctx.finish('succeeded', null, 'service is back on its previous spec');
}
