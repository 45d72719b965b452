import { EngineNode, EngineService, EngineTask } from '../swarm/engine.types';

/**
 * What decides whether two lists of the engine describe the same cluster: every object's id and
 * version (the engine moves an object's version with every stored change of it; task and node
 * states are added all the same), what the engine computes at list time instead of storing (a
 * manager's reachability and leadership) and the network names. Equal keys: the read model did
 * not change, so its version (and every answer kept for it) stays.
 */
export function contentKey(services: EngineService[], tasks: EngineTask[], nodes: EngineNode[], networkNames: Map<string, string>): string {
  const parts: string[] = [];
  for (const s of services) parts.push(`s${s.ID}:${s.Version.Index}`);
  for (const t of tasks) parts.push(`t${t.ID}:${t.Version?.Index}:${t.Status.State}:${t.DesiredState}`);
  for (const n of nodes) {
    const m = n.ManagerStatus;
    parts.push(`n${n.ID}:${n.Version.Index}:${n.Status.State}:${m ? `${m.Leader ? 'L' : ''}${m.Reachability ?? ''}` : ''}`);
  }
  for (const [id, name] of networkNames) parts.push(`w${id}:${name}`);
  return parts.join(',');
}

/**
 * The services of a full list, except where the read model already holds a newer version of one
 * (a service read back after a write while this list was under way): a service's version never
 * goes back, so a slow list cannot undo a write the read model has already shown.
 */
export function keepNewer(listed: EngineService[], current: ReadonlyMap<string, EngineService> | undefined): EngineService[] {
  if (!current?.size) return listed;
  return listed.map((s) => {
    const held = current.get(s.ID);
    return held && held.Version.Index > s.Version.Index ? held : s;
  });
}

/**
 * `services` with `written` in place of the entry of the same id, or null when that changes
 * nothing (the list holds the same or a newer version) or the service is not in the list (a
 * new service comes with the next full refresh, together with its tasks).
 */
export function withService(services: EngineService[], written: EngineService): EngineService[] | null {
  const i = services.findIndex((s) => s.ID === written.ID);
  if (i < 0 || services[i].Version.Index >= written.Version.Index) return null;
  const out = services.slice();
  out[i] = written;
  return out;
}
