import { AppError } from '../../common/errors';
import { EngineService, EngineServiceSpec, EngineTask, EngineUpdateConfig } from '../../swarm/engine.types';
import { BG, Colour, colourName, DEPLOYMENT_LABEL, liveColours, otherColour } from '../../swarm/labels';
import { DeploymentStatus } from '../deployment.types';
import { RunContext } from './run-context';

type Port = NonNullable<NonNullable<EngineServiceSpec['EndpointSpec']>['Ports']>[number];

/** What carries traffic to a colour: its network aliases and published ports. */
export interface Traffic {
  networks: Array<{ target: string; aliases: string[] }>;
  ports: Port[];
}

interface BgState {
  liveId: string;
  liveName: string;
  liveColour: Colour;
  greenName: string;
  greenColour: Colour;
  greenId?: string;
  traffic: Traffic;
  replicas: number;
  /** Blue's own UpdateConfig, given back to each colour after a traffic move. */
  updateConfig: EngineUpdateConfig | null;
}

/**
 * Moving aliases or ports changes the task spec, so the engine replaces the tasks. For the
 * switch that happens all at once (green's tasks are already verified), new before old when no
 * published port has to be freed first; each colour gets its own UpdateConfig back afterwards.
 */
export function switchUpdateConfig(hasPorts: boolean): EngineUpdateConfig {
  return { Parallelism: 0, Delay: 0, Monitor: 0, MaxFailureRatio: 0, FailureAction: 'pause', Order: hasPorts ? 'stop-first' : 'start-first' };
}

async function restoreUpdateConfig(ctx: RunContext, id: string): Promise<void> {
  const want = bg(ctx).updateConfig;
  const cur = await ctx.swarm.inspectService(id);
  if (JSON.stringify(cur.Spec.UpdateConfig ?? null) === JSON.stringify(want)) return;
  await ctx.swarm.mutateService(id, (spec) => {
    if (want) spec.UpdateConfig = want;
    else delete spec.UpdateConfig;
    return spec;
  });
}

function networksOf(spec: EngineServiceSpec): Array<{ Target: string; Aliases?: string[] }> {
  return spec.TaskTemplate.Networks ?? spec.Networks ?? [];
}

export function trafficOf(spec: EngineServiceSpec): Traffic {
  return {
    networks: networksOf(spec).map((n) => ({ target: n.Target, aliases: [...(n.Aliases ?? [])] })),
    ports: [...(spec.EndpointSpec?.Ports ?? [])],
  };
}

/** Sets the aliases (or none) on the service's networks and its published ports (or none). */
export function withTraffic(spec: EngineServiceSpec, traffic: Traffic, on: boolean): EngineServiceSpec {
  const aliases = new Map(traffic.networks.map((n) => [n.target, n.aliases]));
  const nets = networksOf(spec).map((n) => ({ ...n, Aliases: on ? [...(aliases.get(n.Target) ?? [])] : [] }));
  spec.TaskTemplate.Networks = nets;
  delete spec.Networks;
  spec.EndpointSpec = { ...(spec.EndpointSpec ?? {}), Ports: on ? [...traffic.ports] : [] };
  return spec;
}

function hasTraffic(spec: EngineServiceSpec, traffic: Traffic): boolean {
  const nets = new Map(networksOf(spec).map((n) => [n.Target, n.Aliases ?? []]));
  const aliasesOk = traffic.networks.every((n) => n.aliases.every((a) => nets.get(n.target)?.includes(a)));
  return aliasesOk && (spec.EndpointSpec?.Ports ?? []).length === traffic.ports.length;
}

function taskCarriesAliases(t: EngineTask, traffic: Traffic): boolean {
  const nets = new Map((t.Spec?.Networks ?? []).map((n) => [n.Target, n.Aliases ?? []]));
  return traffic.networks.some((n) => n.aliases.some((a) => nets.get(n.target)?.includes(a)));
}

const BG_KEYS = Object.values(BG) as string[];

/** Green: blue's spec with the new image, the candidate labels, and no traffic (no aliases, no ports). */
export function greenSpec(blue: EngineServiceSpec, s: BgState, stable: string, deploymentId: string, image: string): EngineServiceSpec {
  const spec = structuredClone(blue);
  spec.Name = s.greenName;
  const labels = Object.fromEntries(Object.entries(spec.Labels ?? {}).filter(([k]) => k !== DEPLOYMENT_LABEL && !BG_KEYS.includes(k)));
  spec.Labels = { ...labels, [BG.of]: stable, [BG.color]: s.greenColour, [BG.state]: 'candidate', [BG.deployment]: deploymentId };
  spec.TaskTemplate.ContainerSpec = { ...(spec.TaskTemplate.ContainerSpec ?? {}), Image: image };
  delete spec.TaskTemplate.ForceUpdate;
  spec.Mode = { Replicated: { Replicas: s.replicas } };
  return withTraffic(spec, s.traffic, false);
}

function bg(ctx: RunContext): BgState {
  return ctx.state.bg as BgState;
}

async function findByName(ctx: RunContext, name: string): Promise<EngineService | null> {
  try {
    return await ctx.swarm.inspectService(name);
  } catch (e) {
    if (e instanceof AppError && e.code === 'SERVICE_NOT_FOUND') return null;
    throw e;
  }
}

async function removeIfPresent(ctx: RunContext, idOrName: string): Promise<void> {
  try {
    await ctx.swarm.removeService(idOrName);
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'SERVICE_NOT_FOUND')) throw e;
  }
}

async function tasksOf(ctx: RunContext, id: string): Promise<EngineTask[]> {
  return (await ctx.swarm.listTasks({ service: [id] })).filter((t) => t.ServiceID === id);
}

/** Removes what earlier blue-green runs left of `stable`: retired colours and other runs' candidates. */
export async function removeLeftovers(ctx: RunContext, stable: string, keepDeployment: string | null): Promise<string[]> {
  const removed: string[] = [];
  for (const s of await ctx.swarm.listServices()) {
    const l = s.Spec.Labels ?? {};
    if (l[BG.of] !== stable) continue;
    const stale = l[BG.state] === 'retired' || (l[BG.state] === 'candidate' && l[BG.deployment] !== keepDeployment);
    if (stale) {
      await removeIfPresent(ctx, s.ID);
      removed.push(s.Spec.Name ?? s.ID);
    }
  }
  return removed;
}

async function prepare(ctx: RunContext): Promise<void> {
  const stable = ctx.dep.service;
  const removed = await removeLeftovers(ctx, stable, ctx.dep.id);
  const services = await ctx.swarm.listServices();
  const live = liveColours(services).get(stable) ?? services.find((s) => s.Spec.Name === stable);
  if (!live) throw new AppError('SERVICE_NOT_FOUND', `service "${stable}" not found`);
  if (!live.Spec.Mode?.Replicated) throw new AppError('INVALID_STATE', 'blue-green needs a replicated service');
  const liveColour: Colour = (live.Spec.Labels?.[BG.color] as Colour | undefined) ?? (live.Spec.Name === stable ? 'blue' : 'green');
  const greenColour = otherColour(liveColour);
  const greenName = colourName(stable, greenColour);
  if (greenName.length > 63) throw new AppError('INVALID_STATE', `service name "${greenName}" would be longer than 63 characters`);
  const taken = await findByName(ctx, greenName);
  if (taken && taken.Spec.Labels?.[BG.deployment] !== ctx.dep.id) {
    throw new AppError('INVALID_STATE', `service "${greenName}" exists and is not a colour of "${stable}"`);
  }
  const state: BgState = {
    liveId: live.ID,
    liveName: live.Spec.Name ?? live.ID,
    liveColour,
    greenName,
    greenColour,
    traffic: trafficOf(live.Spec),
    replicas: live.Spec.Mode.Replicated.Replicas ?? 1,
    updateConfig: live.Spec.UpdateConfig ?? null,
  };
  await ctx.remember({ bg: state });
  const l = live.Spec.Labels ?? {};
  if (l[BG.of] !== stable || l[BG.state] !== 'live' || l[BG.color] !== liveColour) {
    // Label-only update: service labels are not part of the task spec, no task restarts.
    await ctx.swarm.mutateService(live.ID, (spec) => {
      spec.Labels = { ...(spec.Labels ?? {}), [BG.of]: stable, [BG.color]: liveColour, [BG.state]: 'live', [BG.since]: String(Date.now()) };
      return spec;
    });
  }
  const note = removed.length ? `; removed leftovers ${removed.join(', ')}` : '';
  await ctx.step('prepared', `live ${state.liveName} (${liveColour}), green ${greenName} (${greenColour})${note}`);
}

async function createGreen(ctx: RunContext): Promise<void> {
  const s = bg(ctx);
  let green = await findByName(ctx, s.greenName);
  if (!green) {
    const blue = await ctx.swarm.inspectService(s.liveId);
    try {
      await ctx.swarm.createService(greenSpec(blue.Spec, s, ctx.dep.service, ctx.dep.id, ctx.dep.image));
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'SERVICE_EXISTS')) throw e;
    }
    green = await findByName(ctx, s.greenName);
  }
  if (!green || green.Spec.Labels?.[BG.deployment] !== ctx.dep.id) throw new AppError('INVALID_STATE', `service "${s.greenName}" is not this deployment's green`);
  await ctx.remember({ bg: { ...s, greenId: green.ID } });
  await ctx.step('green-created', `${s.greenName} on ${ctx.dep.image}`, { greenCreatedAt: Date.now() });
}

/** Aborts when a caller cancels or rolls back; returns normally otherwise. */
async function honourAbortRequests(ctx: RunContext): Promise<void> {
  const req = await ctx.pendingRequest();
  if (req === 'cancel') return abort(ctx, 'cancelled', null, 'cancel requested');
  if (req === 'rollback') return abort(ctx, 'rolled-back', null, 'rollback requested');
}

async function waitGreenReady(ctx: RunContext): Promise<void> {
  const s = bg(ctx);
  for (;;) {
    await honourAbortRequests(ctx);
    const tasks = await tasksOf(ctx, s.greenId!);
    const current = tasks.filter((t) => t.DesiredState === 'running');
    const running = current.filter((t) => t.Status.State === 'running').length;
    const failed = tasks.filter((t) => t.Status.State === 'failed' || t.Status.State === 'rejected');
    await ctx.progress(running, s.replicas);
    if (running >= s.replicas && current.length === running) return ctx.step('green-ready', `${running}/${s.replicas} green tasks running`);
    if (failed.length > Math.max(2, s.replicas)) {
      const last = failed.sort((a, b) => b.UpdatedAt.localeCompare(a.UpdatedAt))[0];
      return abort(ctx, 'failed', `green tasks keep failing: ${last.Status.Err ?? last.Status.Message ?? last.Status.State}`);
    }
    if (ctx.stalledFor(ctx.state.greenCreatedAt) > ctx.dep.progressDeadlineSeconds) {
      return abort(ctx, 'failed', `green not ready within the progress deadline (${running}/${s.replicas} running)`);
    }
    await ctx.sleep();
  }
}

/**
 * The probe, run inside a green container: a raw HTTP/1.0 request through `nc` (exact status
 * and body), or `wget -S` where the image has no nc.
 */
export function probeCommand(host: string, port: number, path: string, timeoutSeconds: number): string[] {
  const script =
    'if command -v nc >/dev/null 2>&1; then printf "GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n" "$3" "$1" | nc -w "$4" "$1" "$2"; ' +
    'else wget -S -q -O - -T "$4" "http://$1:$2$3"; fi';
  return ['sh', '-c', script, 'probe', host, String(port), path, String(timeoutSeconds)];
}

/** Status and body from a raw HTTP answer (nc) or wget -S output (headers on stderr, body after). */
export function parseProbe(output: string, exitCode: number): { status: number | null; body: string } {
  const statuses = [...output.matchAll(/HTTP\/\d(?:\.\d)?\s+(\d{3})/g)].map((m) => Number(m[1]));
  const status = statuses.length ? statuses[statuses.length - 1] : exitCode === 0 ? 200 : null;
  const split = output.search(/\r?\n\r?\n/);
  const body = /^HTTP\//.test(output) && split >= 0 ? output.slice(split).trim() : output.replace(/^\s*(HTTP\/\S+ .*|[A-Za-z-]+: .*)\r?$/gm, '').trim();
  return { status, body };
}

async function verify(ctx: RunContext): Promise<void> {
  const v = ctx.dep.blueGreen?.verify;
  if (!v) return;
  const s = bg(ctx);
  const port = v.port ?? s.traffic.ports[0]?.TargetPort ?? 80;
  const path = v.path ?? '/';
  const expect = v.expectStatus ?? 200;
  const timeout = v.timeoutSeconds ?? 10;
  const hostnames = new Map((await ctx.swarm.listNodes()).map((n) => [n.ID, n.Description?.Hostname ?? '']));
  const targets = new Set(s.traffic.networks.map((n) => n.target));
  const running = (await tasksOf(ctx, s.greenId!)).filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
  for (const t of running) {
    const att = t.NetworksAttachments?.find((a) => targets.has(a.Network?.ID ?? '')) ?? t.NetworksAttachments?.find((a) => a.Network?.Spec?.Name !== 'ingress');
    const ip = att?.Addresses?.[0]?.split('/')[0] ?? '127.0.0.1';
    const url = `http://${ip}:${port}${path}`;
    const deadline = Date.now() + timeout * 1000;
    let last = '';
    for (;;) {
      await honourAbortRequests(ctx);
      const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      try {
        const r = await ctx.swarm.exec(hostnames.get(t.NodeID ?? '') ?? '', t.Status.ContainerStatus?.ContainerID ?? '', probeCommand(ip, port, path, left));
        const p = parseProbe(r.output, r.exitCode);
        if (p.status === expect && (!v.expectBody || p.body.includes(v.expectBody))) break;
        last = p.status === expect ? `body lacks "${v.expectBody}"` : `status ${p.status ?? 'none'} (${r.output.trim().slice(0, 200)})`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() >= deadline) return abort(ctx, 'failed', `verification of ${url} failed: ${last}`);
      await ctx.sleep(500);
    }
  }
  await ctx.step('verified', `${running.length} green task(s) answered ${expect} on ${path}`);
}

/** Gives green the traffic (aliases, ports) and makes it the live colour; waits until its tasks carry it. */
async function attachGreen(ctx: RunContext): Promise<void> {
  const s = bg(ctx);
  const green = await ctx.swarm.inspectService(s.greenId!);
  if (!hasTraffic(green.Spec, s.traffic) || green.Spec.Labels?.[BG.state] !== 'live') {
    await ctx.swarm.mutateService(green.ID, (spec) => {
      withTraffic(spec, s.traffic, true);
      spec.Labels = { ...(spec.Labels ?? {}), [BG.state]: 'live', [BG.since]: String(Date.now()) };
      spec.UpdateConfig = switchUpdateConfig(s.traffic.ports.length > 0);
      return spec;
    });
  }
  await ctx.remember({ attachAt: Date.now() });
  const needAliases = s.traffic.networks.some((n) => n.aliases.length);
  for (;;) {
    const tasks = await tasksOf(ctx, green.ID);
    const current = tasks.filter((t) => t.DesiredState === 'running');
    const ready = current.filter((t) => t.Status.State === 'running' && (!needAliases || taskCarriesAliases(t, s.traffic))).length;
    if (ready >= s.replicas && current.length === ready) break;
    if (ctx.stalledFor(ctx.state.attachAt) > ctx.dep.progressDeadlineSeconds) {
      return abort(ctx, 'failed', `green did not take the traffic within the progress deadline (${ready}/${s.replicas})`);
    }
    await ctx.sleep();
  }
  await restoreUpdateConfig(ctx, green.ID);
  await ctx.step('green-attached', `${s.greenName} serves ${describe(s.traffic)}`);
}

/** Takes the traffic off blue and retires it (scaled to 0 unless keepOld is running). */
async function releaseBlue(ctx: RunContext): Promise<void> {
  const s = bg(ctx);
  const keepSeconds = ctx.dep.blueGreen?.keepSeconds ?? ctx.config.blueGreenKeepSeconds;
  const stopped = (ctx.dep.blueGreen?.keepOld ?? 'stopped') === 'stopped';
  const blue = await ctx.swarm.inspectService(s.liveId);
  if (blue.Spec.Labels?.[BG.retiredBy] !== ctx.dep.id) {
    const retireAt = Date.now() + keepSeconds * 1000;
    await ctx.swarm.mutateService(blue.ID, (spec) => {
      withTraffic(spec, s.traffic, false);
      spec.Labels = {
        ...(spec.Labels ?? {}),
        [BG.state]: 'retired',
        [BG.retiredBy]: ctx.dep.id,
        [BG.retireAt]: String(retireAt),
        [BG.replicas]: String(s.replicas),
      };
      if (stopped) spec.Mode = { Replicated: { Replicas: 0 } };
      spec.UpdateConfig = switchUpdateConfig(s.traffic.ports.length > 0);
      return spec;
    });
    await ctx.remember({ retireAt });
  }
  await ctx.remember({ releaseAt: Date.now() });
  for (;;) {
    const tasks = await tasksOf(ctx, blue.ID);
    const serving = tasks.filter((t) => t.Status.State === 'running' && (stopped || taskCarriesAliases(t, s.traffic))).length;
    if (serving === 0) break;
    if (ctx.stalledFor(ctx.state.releaseAt) > ctx.dep.progressDeadlineSeconds) break; // traffic is on green already; do not hold the switch
    await ctx.sleep();
  }
  await restoreUpdateConfig(ctx, blue.ID);
  await ctx.step('blue-released', `${s.liveName} retired (${stopped ? 'scaled to 0' : 'running'}, kept ${keepSeconds} s)`);
}

function describe(t: Traffic): string {
  const a = t.networks.flatMap((n) => n.aliases);
  const p = t.ports.map((x) => `${x.PublishedPort ?? '?'}->${x.TargetPort}/${x.PublishMode ?? 'ingress'}`);
  return [a.length ? `aliases ${a.join(', ')}` : '', p.length ? `ports ${p.join(', ')}` : ''].filter(Boolean).join('; ') || 'no aliases or ports';
}

/**
 * Puts traffic back on blue (live again, replicas restored) and removes green, then ends the
 * deployment. Recorded first, so a worker that dies half-way finishes the abort on restart.
 */
async function abort(ctx: RunContext, status: DeploymentStatus, error: string | null, message: string | null = null): Promise<never> {
  await ctx.step('aborting', message ?? error, { abortStatus: status, abortError: error });
  const s = bg(ctx);
  if (!s) return ctx.finish(status, error, message);
  const removeGreen = async () => {
    const green = await findByName(ctx, s.greenName);
    if (green && green.Spec.Labels?.[BG.deployment] === ctx.dep.id) await removeIfPresent(ctx, green.ID);
  };
  const restoreBlue = async () => {
    const blue = await ctx.swarm.inspectService(s.liveId);
    const l = blue.Spec.Labels ?? {};
    const ok = hasTraffic(blue.Spec, s.traffic) && l[BG.state] === 'live' && blue.Spec.Mode?.Replicated?.Replicas === s.replicas;
    if (!ok) {
      await ctx.swarm.mutateService(blue.ID, (spec) => {
        withTraffic(spec, s.traffic, true);
        const labels: Record<string, string> = { ...(spec.Labels ?? {}), [BG.state]: 'live', [BG.since]: String(Date.now()) };
        delete labels[BG.retiredBy];
        delete labels[BG.retireAt];
        delete labels[BG.replicas];
        spec.Labels = labels;
        spec.Mode = { Replicated: { Replicas: s.replicas } };
        spec.UpdateConfig = switchUpdateConfig(s.traffic.ports.length > 0);
        return spec;
      });
    }
    // Blue serves again before green goes: wait (bounded) for its tasks to carry the traffic.
    const since = Date.now();
    const needAliases = s.traffic.networks.some((n) => n.aliases.length);
    while ((Date.now() - since) / 1000 < ctx.dep.progressDeadlineSeconds) {
      const current = (await tasksOf(ctx, blue.ID)).filter((t) => t.DesiredState === 'running');
      const ready = current.filter((t) => t.Status.State === 'running' && (!needAliases || taskCarriesAliases(t, s.traffic))).length;
      if (ready >= s.replicas) break;
      await ctx.sleep();
    }
    await restoreUpdateConfig(ctx, blue.ID);
  };
  // Published ports can be held by one service only: free them on green before blue takes them back.
  if (s.traffic.ports.length) {
    await removeGreen();
    await restoreBlue();
  } else {
    await restoreBlue();
    await removeGreen();
  }
  await ctx.step('green-removed', `${s.greenName} removed; traffic on ${s.liveName}`);
  return ctx.finish(status, error, message ?? error);
}

/**
 * Blue-green: green beside blue (same spec, new image, no traffic), wait until it runs, verify,
 * optionally wait for promote, then move the aliases/ports to green and retire blue. Every
 * phase reads the services' real state first, so a restarted worker continues where the last
 * one died; anything that goes wrong before the end puts traffic back on blue and removes green.
 */
export async function runBlueGreen(ctx: RunContext): Promise<never> {
  if (ctx.has('aborting')) return abort(ctx, ctx.state.abortStatus, ctx.state.abortError);
  try {
    if (!ctx.has('prepared')) await prepare(ctx);
    if (!ctx.has('green-created')) await createGreen(ctx);
    if (!ctx.has('green-ready')) await waitGreenReady(ctx);
    if (ctx.dep.blueGreen?.verify && !ctx.has('verified')) await verify(ctx);
    if (!ctx.has('switch-started')) {
      if (ctx.dep.blueGreen?.autoPromote === false) {
        await ctx.setStatus('awaiting-promotion', `green ${bg(ctx).greenName} ready; POST /v1/deployments/${ctx.dep.id}/promote`);
        for (;;) {
          await honourAbortRequests(ctx);
          if (ctx.dep.requests.includes('promote')) break;
          await ctx.sleep(Math.max(ctx.config.deployPollMs, 500));
        }
        await ctx.clearRequests();
        await ctx.setStatus('running', 'promoted');
      }
      await ctx.step('switch-started');
    }
    const order = bg(ctx).traffic.ports.length ? (['blue-released', 'green-attached'] as const) : (['green-attached', 'blue-released'] as const);
    for (const phase of order) {
      if (ctx.has(phase)) continue;
      await honourAbortRequests(ctx);
      await (phase === 'green-attached' ? attachGreen(ctx) : releaseBlue(ctx));
    }
    await ctx.progress(bg(ctx).replicas, bg(ctx).replicas);
    const keep = ctx.dep.blueGreen?.keepSeconds ?? ctx.config.blueGreenKeepSeconds;
    if (keep === 0 && !ctx.has('old-removed')) {
      await removeIfPresent(ctx, bg(ctx).liveId);
      await ctx.step('old-removed', `${bg(ctx).liveName} removed`);
    }
    return ctx.finish('succeeded', null, `traffic on ${bg(ctx).greenName} (${ctx.dep.image})`);
  } catch (e) {
    // Engine refusals (not outages) after the start: put everything back as it was.
    if (e instanceof AppError && !['DOCKER_UNAVAILABLE', 'SWARM_NO_QUORUM', 'REDIS_UNAVAILABLE', 'VERSION_CONFLICT'].includes(e.code)) {
      return abort(ctx, 'failed', e.message);
    }
    throw e;
  }
}

/** The delayed job after a successful switch: removes the colour the deployment retired. */
export async function removeRetired(ctx: Pick<RunContext, 'swarm'>, stable: string, deploymentId: string): Promise<string[]> {
  const removed: string[] = [];
  for (const s of await ctx.swarm.listServices()) {
    const l = s.Spec.Labels ?? {};
    if (l[BG.of] === stable && l[BG.state] === 'retired' && l[BG.retiredBy] === deploymentId) {
      await removeIfPresent(ctx as RunContext, s.ID);
      removed.push(s.Spec.Name ?? s.ID);
    }
  }
  return removed;
}

