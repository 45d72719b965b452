import { posix } from 'node:path';
import { AppError, FieldError } from '../common/errors';
import { ServiceInput } from './service-spec.input';

/**
 * The host-escape guard. Access to a Swarm manager is root on every node, so a spec that
 * reaches the host (bind mounts of its files, capabilities, host namespaces, devices, sysctls)
 * is refused with 403 SPEC_NOT_ALLOWED naming the field, on create AND on every update, before
 * anything is sent to the engine.
 *
 * Paths are checked as written (normalised): the API cannot see the node's symlinks, so keep
 * the allow-list to directories you own.
 *
 * Exceptions are configured, never requested:
 * - BIND_MOUNT_ALLOWLIST=/srv/data,/opt/shared  bind sources equal to or under these paths.
 *   The engine socket, `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/root`, `/var/lib/docker`
 *   (and anything under them, or any directory containing them) are refused even when listed.
 * - SPEC_ALLOW=capAdd:NET_ADMIN,sysctls:net.core.somaxconn,network:host  exact `field:value`
 *   pairs: `capAdd:<CAP>` (without CAP_), `sysctls:<key>`, `network:host`, `privileged:true`,
 *   `pid:<mode>`, `ipc:<mode>`, `devices:<path>`. Nothing is allowed by a wildcard.
 */

const ALWAYS_DENIED = ['/', '/etc', '/proc', '/sys', '/dev', '/boot', '/root', '/var/lib/docker', '/var/lib/containerd'];
const SOCKETS = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock'];

export interface SpecPolicy {
  bindMountAllowlist: string[];
  specAllow: string[];
}

function under(path: string, dir: string): boolean {
  return dir === '/' ? true : path === dir || path.startsWith(dir + '/');
}

/** Why a bind source is refused, or null when it is allowed. */
export function bindRefusal(source: string | undefined, allowlist: string[]): string | null {
  if (!source || !source.startsWith('/')) return 'bind source must be an absolute host path';
  const path = posix.normalize(source).replace(/\/+$/, '') || '/';
  if (path === '/') return 'binding the host root is never allowed';
  for (const d of ALWAYS_DENIED.filter((x) => x !== '/')) {
    if (under(path, d)) return `${d} is never allowed`;
  }
  for (const s of SOCKETS) {
    if (under(s, path)) return `${path} holds the engine socket and is never allowed`;
  }
  if (/\.sock$/.test(path)) return 'sockets are never allowed (engine and runtime sockets are host root)';
  // A parent of a denied tree exposes it too (binding /var exposes /var/lib/docker).
  for (const d of ALWAYS_DENIED) {
    if (d !== '/' && under(d, path)) return `${path} contains ${d}, which is never allowed`;
  }
  const allowed = allowlist
    .map((a) => posix.normalize(a).replace(/\/+$/, '') || '/')
    .some((a) => a.startsWith('/') && a !== '/' && under(path, a));
  return allowed ? null : `${path} is not under BIND_MOUNT_ALLOWLIST`;
}

function allowed(policy: SpecPolicy, field: string, value: string): boolean {
  return policy.specAllow.includes(`${field}:${value}`);
}

function capName(c: string): string {
  return c.toUpperCase().replace(/^CAP_/, '');
}

/** Every host-level setting in `input` that the policy does not allow, as field errors. */
export function specViolations(input: ServiceInput, policy: SpecPolicy): FieldError[] {
  const out: FieldError[] = [];
  (input.mounts ?? []).forEach((m, i) => {
    if (m?.type !== 'bind') return;
    const why = bindRefusal(m.source, policy.bindMountAllowlist);
    if (why) out.push({ path: `mounts.${i}.source`, message: why });
  });
  (input.capAdd ?? []).forEach((c, i) => {
    if (!allowed(policy, 'capAdd', capName(c))) out.push({ path: `capAdd.${i}`, message: `adding capability ${capName(c)} needs SPEC_ALLOW=capAdd:${capName(c)}` });
  });
  for (const key of Object.keys(input.sysctls ?? {})) {
    if (!allowed(policy, 'sysctls', key)) out.push({ path: `sysctls.${key}`, message: `sysctl ${key} needs SPEC_ALLOW=sysctls:${key}` });
  }
  (input.networks ?? []).forEach((n, i) => {
    if (n?.name === 'host' && !allowed(policy, 'network', 'host')) {
      out.push({ path: `networks.${i}.name`, message: 'the host network needs SPEC_ALLOW=network:host' });
    }
  });
  if (input.privileged === true && !allowed(policy, 'privileged', 'true')) {
    out.push({ path: 'privileged', message: 'privileged containers need SPEC_ALLOW=privileged:true' });
  }
  for (const ns of ['pid', 'ipc'] as const) {
    const v = input[ns];
    if (typeof v === 'string' && !allowed(policy, ns, v)) out.push({ path: ns, message: `${ns} namespace "${v}" needs SPEC_ALLOW=${ns}:${v}` });
  }
  (input.devices ?? []).forEach((d, i) => {
    if (!allowed(policy, 'devices', d)) out.push({ path: `devices.${i}`, message: `device ${d} needs SPEC_ALLOW=devices:${d}` });
  });
  return out;
}

/** Throws 403 SPEC_NOT_ALLOWED listing every refused field. */
export function guardSpec(input: ServiceInput, policy: SpecPolicy): void {
  const errors = specViolations(input, policy);
  if (errors.length) {
    throw new AppError('SPEC_NOT_ALLOWED', `spec not allowed: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  }
}
