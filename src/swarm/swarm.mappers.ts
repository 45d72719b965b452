import { EngineNode, EngineService, EngineServiceSpec, EngineTask, EngineUpdateConfig } from './engine.types';
import { NodeView, PlacementView, ServiceDetail, ServiceSummary, TaskView, UpdateConfigView } from './swarm.types';

const NS = 1e9;

/** "lab/web:v1@sha256:..." -> "lab/web:v1": the digest the engine pins is noise for callers. */
export function displayImage(image: string | undefined): string {
  if (!image) return '';
  const at = image.indexOf('@sha256:');
  return at >= 0 ? image.slice(0, at) : image;
}

function seconds(ns: number | undefined): number | null {
  return ns === undefined || ns === null ? null : ns / NS;
}

function updateConfig(c: EngineUpdateConfig | undefined): UpdateConfigView | null {
  if (!c) return null;
  return {
    parallelism: c.Parallelism ?? 1,
    delaySeconds: (c.Delay ?? 0) / NS,
    order: c.Order ?? 'stop-first',
    failureAction: c.FailureAction ?? 'pause',
    monitorSeconds: (c.Monitor ?? 0) / NS,
    maxFailureRatio: c.MaxFailureRatio ?? 0,
  };
}

export function envToMap(env: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env ?? []) {
    const i = e.indexOf('=');
    if (i < 0) out[e] = '';
    else out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

export function isRunningTask(t: EngineTask): boolean {
  return t.Status.State === 'running' && t.DesiredState === 'running';
}

export function toServiceSummary(s: EngineService, running: number): ServiceSummary {
  const spec = s.Spec;
  const global = !!spec.Mode?.Global;
  const ports = (s.Endpoint?.Ports ?? spec.EndpointSpec?.Ports ?? []).map((p) => ({
    target: p.TargetPort ?? 0,
    published: p.PublishedPort ?? null,
    protocol: p.Protocol ?? 'tcp',
    mode: p.PublishMode ?? 'ingress',
  }));
  return {
    id: s.ID,
    name: spec.Name ?? s.ID,
    image: displayImage(spec.TaskTemplate.ContainerSpec?.Image),
    mode: global ? 'global' : 'replicated',
    replicas: { desired: global ? null : (spec.Mode?.Replicated?.Replicas ?? 1), running },
    version: s.Version.Index,
    labels: spec.Labels ?? {},
    endpointMode: spec.EndpointSpec?.Mode ?? 'vip',
    ports,
    updateStatus: s.UpdateStatus?.State
      ? {
          state: s.UpdateStatus.State,
          message: s.UpdateStatus.Message ?? null,
          startedAt: s.UpdateStatus.StartedAt ?? null,
          completedAt: s.UpdateStatus.CompletedAt ?? null,
        }
      : null,
    createdAt: s.CreatedAt,
    updatedAt: s.UpdatedAt,
  };
}

export function toPlacementView(p: EngineServiceSpec['TaskTemplate']['Placement']): PlacementView {
  return {
    constraints: p?.Constraints ?? [],
    preferences: (p?.Preferences ?? []).filter((x) => x.Spread?.SpreadDescriptor).map((x) => ({ spread: x.Spread!.SpreadDescriptor })),
    maxReplicasPerNode: p?.MaxReplicas || null,
  };
}

export function toServiceDetail(s: EngineService, running: number, networkNames: Map<string, string>): ServiceDetail {
  const tt = s.Spec.TaskTemplate;
  const cs = tt.ContainerSpec ?? {};
  const amounts = (r?: { NanoCPUs?: number; MemoryBytes?: number }) =>
    r && (r.NanoCPUs || r.MemoryBytes) ? { cpus: r.NanoCPUs ? r.NanoCPUs / NS : null, memoryBytes: r.MemoryBytes || null } : null;
  const hc = cs.Healthcheck;
  return {
    ...toServiceSummary(s, running),
    command: cs.Command ?? null,
    args: cs.Args ?? null,
    env: envToMap(cs.Env),
    resources: { limits: amounts(tt.Resources?.Limits), reservations: amounts(tt.Resources?.Reservations) },
    placement: toPlacementView(tt.Placement),
    restartPolicy: tt.RestartPolicy
      ? {
          condition: tt.RestartPolicy.Condition ?? 'any',
          delaySeconds: seconds(tt.RestartPolicy.Delay),
          maxAttempts: tt.RestartPolicy.MaxAttempts ?? null,
          windowSeconds: seconds(tt.RestartPolicy.Window),
        }
      : null,
    updateConfig: updateConfig(s.Spec.UpdateConfig),
    rollbackConfig: updateConfig(s.Spec.RollbackConfig),
    networks: (tt.Networks ?? s.Spec.Networks ?? []).map((n) => ({
      id: n.Target,
      name: networkNames.get(n.Target) ?? null,
      aliases: n.Aliases ?? [],
    })),
    mounts: (cs.Mounts ?? []).map((m) => ({
      type: m.Type ?? 'volume',
      source: m.Source ?? null,
      target: m.Target ?? '',
      readOnly: !!m.ReadOnly,
    })),
    healthcheck:
      hc && hc.Test?.length
        ? {
            test: hc.Test,
            intervalSeconds: seconds(hc.Interval),
            timeoutSeconds: seconds(hc.Timeout),
            retries: hc.Retries ?? null,
            startPeriodSeconds: seconds(hc.StartPeriod),
          }
        : null,
    previousImage: s.PreviousSpec ? displayImage(s.PreviousSpec.TaskTemplate.ContainerSpec?.Image) : null,
  };
}

export function toTaskView(t: EngineTask, serviceName: string, nodeName: string | null): TaskView {
  return {
    id: t.ID,
    serviceId: t.ServiceID,
    service: serviceName,
    slot: t.Slot ?? null,
    nodeId: t.NodeID ?? null,
    nodeName,
    desiredState: t.DesiredState,
    state: t.Status.State,
    message: t.Status.Message ?? null,
    error: t.Status.Err ?? null,
    containerId: t.Status.ContainerStatus?.ContainerID ?? null,
    image: displayImage(t.Spec?.ContainerSpec?.Image),
    createdAt: t.CreatedAt,
    updatedAt: t.UpdatedAt,
  };
}

export function toNodeView(n: EngineNode): NodeView {
  const d = n.Description ?? {};
  return {
    id: n.ID,
    hostname: d.Hostname ?? n.ID,
    role: n.Spec.Role,
    availability: n.Spec.Availability,
    state: n.Status.State,
    address: n.Status.Addr ?? null,
    labels: n.Spec.Labels ?? {},
    engineLabels: d.Engine?.Labels ?? {},
    engineVersion: d.Engine?.EngineVersion ?? null,
    os: d.Platform?.OS ?? null,
    arch: d.Platform?.Architecture ?? null,
    cpus: (d.Resources?.NanoCPUs ?? 0) / NS,
    memoryBytes: d.Resources?.MemoryBytes ?? 0,
    managerStatus: n.ManagerStatus
      ? { leader: !!n.ManagerStatus.Leader, reachability: n.ManagerStatus.Reachability ?? null, addr: n.ManagerStatus.Addr ?? null }
      : null,
    version: n.Version.Index,
    createdAt: n.CreatedAt,
    updatedAt: n.UpdatedAt,
  };
}

export type { EngineServiceSpec };
