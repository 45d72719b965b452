// Pure rules of the live model: how an event changes a task, which tasks get a card, how
// tasks group into node columns. No DOM, no network: unit-tested from Node.

/** Swarm task states in the only order a task can move through them. */
export const TASK_STATES = [
  'new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running',
  'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned',
];
const RANK = new Map(TASK_STATES.map((s, i) => [s, i]));
export const rank = (state) => RANK.get(state) ?? -1;

export const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned']);
/** How long the card of a failed task stays on the board after it failed. */
export const FAILED_LINGER_MS = 60_000;

/**
 * The task after a TaskStateChanged event. Task states only move forward, so an event older
 * than what we hold (a replay after reconnect, or one that raced the initial load) cannot
 * take a task back; that makes applying events idempotent and order-safe without clocks.
 * Returns null when the task is gone ("removed").
 */
export function applyTaskEvent(task, ev, now = Date.now()) {
  if (ev.to === 'removed') return null;
  const base = task ?? {
    id: ev.taskId,
    serviceId: ev.serviceId,
    service: ev.service,
    slot: ev.slot ?? null,
    nodeId: null,
    nodeName: null,
    state: ev.to,
    desiredState: ev.desiredState,
    message: null,
    error: null,
    containerId: null,
    image: null,
    updatedAt: ev.at,
  };
  const forward = !task || rank(ev.to) >= rank(task.state);
  const next = { ...base };
  if (forward) {
    next.state = ev.to;
    next.message = ev.message ?? next.message;
    next.error = ev.error ?? null;
    next.updatedAt = ev.at ?? next.updatedAt;
    if (ev.exitCode !== undefined && ev.exitCode !== null) next.exitCode = ev.exitCode;
    if (FAILED_STATES.has(ev.to) && (!task || !FAILED_STATES.has(task.state))) next.endedAt = now;
  }
  if (rank(ev.desiredState) > rank(next.desiredState)) next.desiredState = ev.desiredState;
  if (ev.nodeId) {
    next.nodeId = ev.nodeId;
    next.nodeName = ev.nodeName ?? next.nodeName;
  }
  if (ev.containerId) next.containerId = ev.containerId;
  return next;
}

/** A task loaded from the API (TaskView); a failed one counts as failed since its last update. */
export function fromTaskView(t) {
  const out = { ...t };
  if (FAILED_STATES.has(t.state)) out.endedAt = Date.parse(t.updatedAt) || Date.now();
  return out;
}

/** Merges a freshly loaded task over the one we hold, again never moving a state backwards. */
export function mergeLoadedTask(held, loaded) {
  if (!held) return fromTaskView(loaded);
  if (rank(loaded.state) < rank(held.state)) return { ...held, nodeId: held.nodeId ?? loaded.nodeId, image: held.image ?? loaded.image };
  const out = { ...held, ...fromTaskView(loaded) };
  if (held.endedAt && FAILED_STATES.has(held.state) && FAILED_STATES.has(loaded.state)) out.endedAt = held.endedAt;
  if (rank(held.desiredState) > rank(loaded.desiredState)) out.desiredState = held.desiredState;
  return out;
}

/**
 * Whether a task has a card on the board: it runs or is on its way to running, or it failed
 * less than FAILED_LINGER_MS ago (so a failure is seen, then makes room).
 */
export function isShown(task, now = Date.now()) {
  if (task.state === 'running') return true;
  if (FAILED_STATES.has(task.state)) return now - (task.endedAt ?? 0) < FAILED_LINGER_MS;
  return rank(task.state) < rank('running') && rank(task.desiredState) <= rank('running');
}

/** When the next lingering failed card expires (ms from now), or null. */
export function nextExpiry(tasks, now = Date.now()) {
  let next = null;
  for (const t of tasks) {
    if (!FAILED_STATES.has(t.state) || t.endedAt === undefined) continue;
    const left = t.endedAt + FAILED_LINGER_MS - now;
    if (left > 0 && (next === null || left < next)) next = left;
  }
  return next;
}

/** Card tone: running, starting (on its way), stopping (running, asked to stop), failed. */
export function taskTone(task) {
  if (FAILED_STATES.has(task.state)) return 'failed';
  if (task.state === 'running') return rank(task.desiredState) > rank('running') ? 'stopping' : 'running';
  return 'starting';
}

/** Shown tasks per node id ('' for tasks not yet on a node), sorted by service then slot. */
export function tasksByNode(tasks, now = Date.now()) {
  const out = new Map();
  for (const t of tasks) {
    if (!isShown(t, now)) continue;
    const key = t.nodeId ?? '';
    if (!out.has(key)) out.set(key, []);
    out.get(key).push(t);
  }
  for (const list of out.values()) {
    list.sort((a, b) => a.service.localeCompare(b.service) || (a.slot ?? 0) - (b.slot ?? 0) || a.id.localeCompare(b.id));
  }
  return out;
}

/** Running tasks per service id (what `replicas.running` means: running and meant to run). */
export function runningByService(tasks) {
  const out = new Map();
  for (const t of tasks) {
    if (t.state === 'running' && t.desiredState === 'running') out.set(t.serviceId, (out.get(t.serviceId) ?? 0) + 1);
  }
  return out;
}

/** Managers first (leader first), then workers, each by hostname. */
export function sortNodes(nodes) {
  const key = (n) => (n.role === 'manager' ? (n.managerStatus?.leader ? 0 : 1) : 2);
  return [...nodes].sort((a, b) => key(a) - key(b) || a.hostname.localeCompare(b.hostname));
}

/** A deployment after a DeploymentProgressEvent. Terminal statuses are final. */
const TERMINAL = new Set(['succeeded', 'failed', 'rolled-back', 'cancelled']);
export function applyDeploymentEvent(d, ev) {
  if (!d) return null;
  if (TERMINAL.has(d.status) && !TERMINAL.has(ev.status)) return d;
  const next = { ...d, status: ev.status };
  if (ev.progress) next.progress = { ...ev.progress };
  if (ev.error) next.error = ev.error;
  if (ev.step && !(d.steps ?? []).some((s) => s.name === ev.step)) {
    next.steps = [...(d.steps ?? []), { name: ev.step, at: ev.at, message: ev.message ?? null }];
  }
  if (TERMINAL.has(ev.status) && !next.finishedAt) next.finishedAt = ev.at;
  return next;
}
export const isTerminalDeployment = (d) => TERMINAL.has(d.status);

/** Roles, each including the one before (the API decides; this only hides buttons). */
const ROLES = ['viewer', 'scaler', 'deployer', 'admin'];
export const may = (role, need) => ROLES.indexOf(role) >= ROLES.indexOf(need) && ROLES.indexOf(need) >= 0;

/** A stable hue per service name. */
export function serviceHue(name) {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 360;
}

/**
 * The cluster summary: [label, value, tone] facts and warnings, from GET /v1/cluster. The
 * managers' quorum when the API reports it (`quorum`, `readModel`), else the leader and counts.
 */
export function clusterFacts(c) {
  const facts = [];
  const q = c.quorum;
  if (q) {
    facts.push(
      ['managers', `${q.reachable}/${q.managers} reachable`, q.reachable < q.managers ? 'warn' : ''],
      ['fault tolerance', String(q.faultTolerance), q.faultTolerance > 0 ? 'ok' : 'warn'],
      ['quorum', q.hasQuorum ? 'yes' : 'LOST', q.hasQuorum ? 'ok' : 'bad'],
      ['leader', q.leader ? q.leader.hostname : 'none', q.leader ? '' : 'bad'],
    );
  } else {
    facts.push(['leader', c.leader ? c.leader.hostname : 'none', c.leader ? '' : 'bad'], ['managers', String(c.nodes.byRole?.manager ?? 0), '']);
  }
  const ready = c.nodes.byState?.ready ?? 0;
  facts.push(
    ['nodes', `${ready}/${c.nodes.total} ready`, ready < c.nodes.total ? 'warn' : ''],
    ['services', String(c.services.total), ''],
    ['replicas', `${c.services.runningReplicas}/${c.services.desiredReplicas}`, c.services.runningReplicas < c.services.desiredReplicas ? 'warn' : ''],
    ['deployments', `${c.deployments.running} running`, ''],
  );
  if (c.readModel?.stale) facts.push(['read model', `stale ${Math.round(c.readModel.ageSeconds)} s`, 'bad']);
  return { facts, warnings: q?.warnings ?? [], quorum: q ? (q.hasQuorum ? 'ok' : 'lost') : 'unknown' };
}
