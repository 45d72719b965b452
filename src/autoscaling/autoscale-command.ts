import { AppError } from '../common/errors';
import { RESOURCE_METRICS, ResourceMetric } from './decision';
import { AutoscalingPolicyView } from './autoscaling.models';

export const AUTOSCALE_USAGE = 'autoscale <service> [<min>..<max> <cpu|memory> <target%> [dry-run] | off]';

export type AutoscaleCommand =
  | { kind: 'show'; service: string }
  | { kind: 'off'; service: string }
  | { kind: 'set'; service: string; minReplicas: number; maxReplicas: number; metric: ResourceMetric; targetPercent: number; dryRun: boolean };

function usage(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${message}; usage: \`${AUTOSCALE_USAGE}\``, [{ path: 'text', message }]);
}

/** `autoscale web 2..6 cpu 60` and friends, as words after the command name. */
export function parseAutoscale(args: string[]): AutoscaleCommand {
  const [service, ...rest] = args;
  if (!service) throw usage('name a service');
  if (rest.length === 0) return { kind: 'show', service };
  if (rest.length === 1 && /^(off|remove|delete)$/i.test(rest[0])) return { kind: 'off', service };
  const dryRun = rest.length === 4 && /^(dry-?run)$/i.test(rest[3]);
  if (rest.length !== 3 && !dryRun) throw usage('expected <min>..<max> <cpu|memory> <target%>');
  const range = /^(\d{1,6})\.\.(\d{1,6})$/.exec(rest[0]);
  if (!range) throw usage(`"${rest[0]}" is not a replica range like 2..6`);
  const metric = rest[1].toLowerCase();
  if (!(RESOURCE_METRICS as readonly string[]).includes(metric)) throw usage(`"${rest[1]}" is not a metric (cpu or memory)`);
  const target = /^(\d{1,3}(?:\.\d+)?)%?$/.exec(rest[2]);
  if (!target) throw usage(`"${rest[2]}" is not a target percentage`);
  return {
    kind: 'set',
    service,
    minReplicas: Number(range[1]),
    maxReplicas: Number(range[2]),
    metric: metric as ResourceMetric,
    targetPercent: Number(target[1]),
    dryRun,
  };
}

/** One line describing a policy, for `autoscale <service>` and `status <service>`. */
export function policyLine(p: AutoscalingPolicyView | null): string {
  if (!p) return 'autoscaling: none';
  const state = !p.enabled ? 'disabled' : p.dryRun ? 'dry run' : 'on';
  const target =
    p.metric === 'prometheus'
      ? `prometheus \`${p.query}\` target ${p.target} per replica`
      : `${p.metric} target ${p.targetPercent}% of ${p.basis ?? 'limit (none set!)'}`;
  return (
    `autoscaling: ${state} · ${p.minReplicas}..${p.maxReplicas} replicas · ${target} · tolerance ${p.tolerance} · up cooldown ${p.scaleUpCooldownSeconds}s · ` +
    `down window ${p.scaleDownStabilizationSeconds}s`
  );
}
