import { engine, engineCreateService } from './harness';

/** A placement constraint no lab node satisfies: tasks stay pending, so no container starts. */
export const NOWHERE = { TaskTemplate: { Placement: { Constraints: ['node.labels.t-scale-nowhere==true'] } } };

/** A replicated service created in the engine; `parked` services never start containers. */
export async function createReplicated(name: string, replicas: number, opts: { parked?: boolean; labels?: Record<string, string> } = {}) {
  return engineCreateService(name, { replicas, labels: opts.labels, extra: opts.parked ? NOWHERE : undefined });
}

export async function createGlobalParked(name: string) {
  return engineCreateService(name, { extra: { ...NOWHERE, top: { Mode: { Global: {} } } } });
}

/** Desired replicas and version, as the engine has them. */
export async function engineSpec(name: string): Promise<{ replicas: number | undefined; version: number; global: boolean }> {
  const s: any = await engine().getService(name).inspect();
  return { replicas: s.Spec.Mode?.Replicated?.Replicas, version: s.Version.Index, global: !!s.Spec.Mode?.Global };
}

/** Sets replicas directly through the engine (behind the product's back). */
export async function engineScale(name: string, replicas: number): Promise<void> {
  const svc = engine().getService(name);
  const s: any = await svc.inspect();
  await svc.update({ ...s.Spec, Mode: { Replicated: { Replicas: replicas } }, version: s.Version.Index });
}
