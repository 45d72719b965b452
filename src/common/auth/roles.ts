import { Role, ROLES } from '../../config/roles';

// Declared beside the configuration that names them (tokens file, Slack role); used from here.
export { Role, ROLES };

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** Who is calling: the token's name, role and optional label scope. */
export interface Caller {
  name: string;
  role: Role;
  scope?: { labels: Record<string, string> };
}

export function inScope(caller: Caller | undefined, labels: Record<string, string> | undefined): boolean {
  if (!caller?.scope) return true;
  return Object.entries(caller.scope.labels).every(([k, v]) => labels?.[k] === v);
}
