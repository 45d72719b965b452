import { api } from '../api.js';
import { errorText, fill, fmtAgo, fmtBytes, fmtTime, h, imageTag, shortId, syncChildren } from '../dom.js';
import { decisionsChart, sparkline } from '../charts.js';
import { may, serviceHue, taskTone } from '../model.js';
import { replicasBar } from './services.js';
import { deploymentRow } from './deployments.js';

/** How often the stats sparklines sample GET /v1/services/{name}/stats, only while this page is open. */
export const STATS_EVERY_MS = 5000;
const STATS_KEEP = 60;

/** One service: its tasks, CPU/memory sparklines, recent events, deployments and autoscaling. */
export function serviceView({ root, store, me, arg: name }) {
  let detail = null;
  let missing = null;
  let history = [];
  let policy;
  let decisions = [];
  const samples = [];
  let statsNote = '';
  let timer = null;
  let closed = false;

  const head = h('section', { class: 'svc-head' });
  const actions = h('section', { class: 'actions', id: 'actions' });
  const current = h('div', { id: 'service-tasks' });
  const hist = h('div', { id: 'task-history' });
  const stats = h('div', { class: 'sparks', id: 'stats' });
  const events = h('ol', { class: 'events', id: 'recent-events' });
  const deps = h('div', { id: 'service-deployments' });
  const depsBody = h('tbody');
  const depsTable = h('table', { class: 'grid' }, depsBody);
  const scaling = h('div', { id: 'autoscaling' });
  root.append(
    head,
    actions,
    h('div', { class: 'cols' },
      h('section', {}, h('h3', {}, 'Tasks'), current, h('h3', {}, 'Deployments'), deps, h('h3', {}, 'Task history'), hist),
      h('section', {},
        h('h3', {}, 'Resources', h('span', { class: 'muted small' }, ` sampled every ${STATS_EVERY_MS / 1000} s while this page is open`)),
        stats,
        h('h3', {}, 'Autoscaling'),
        scaling,
        h('h3', {}, 'Recent events', h('span', { class: 'muted small' }, ' since this tab connected')),
        events,
      ),
    ),
  );

  async function loadDetail() {
    try {
      detail = await api.service(name);
      missing = null;
    } catch (e) {
      if (e.status === 404) missing = 'No such service, or it is outside this token’s scope.';
      else missing = errorText(e);
    }
    renderActions();
    update();
  }
  async function loadHistory() {
    try {
      history = await api.serviceTasks(name, true);
    } catch {
      history = [];
    }
    update();
  }
  async function loadScaling() {
    try {
      policy = await api.autoscalingPolicy(name);
      decisions = policy ? (await api.decisions(name, 100)).reverse() : [];
    } catch {
      policy = null;
    }
    update();
  }
  async function sample() {
    if (closed) return;
    try {
      const s = await api.stats(name);
      samples.push({ at: s.at, cpu: s.total.available ? s.total.cpuPercent : null, mem: s.total.available ? s.total.memoryBytes : null, s });
      if (samples.length > STATS_KEEP) samples.shift();
      statsNote = s.total.available < s.total.tasks ? `${s.total.tasks - s.total.available} of ${s.total.tasks} tasks without stats` : '';
    } catch (e) {
      statsNote = errorText(e);
    }
    renderStats();
    if (!closed) timer = setTimeout(sample, STATS_EVERY_MS);
  }

  let refresh = null;
  const off = store.onEvent((type, data) => {
    if (data.service !== name) return;
    if (type === 'autoscaling') {
      decisions.push({ at: data.at, current: data.from, desired: data.to, action: data.action, inputs: { average: data.value ?? null, targetPercent: data.target ?? null } });
    }
    if (type === 'task' || type === 'service') {
      clearTimeout(refresh);
      refresh = setTimeout(() => {
        loadHistory();
        if (type === 'service') loadDetail();
      }, 500);
    }
  });

  let actionsBuilt = false;
  let rollbackButton = null;
  // Built once (typing in a form must survive live updates); later only the rollback button follows the spec.
  function renderActions() {
    if (rollbackButton) rollbackButton.hidden = !detail?.previousImage;
    if (actionsBuilt || !detail) return;
    actionsBuilt = true;
    const parts = [];
    const out = h('span', { class: 'result', id: 'action-result', role: 'status' });
    const run = async (button, fn) => {
      button.disabled = true;
      out.textContent = '';
      out.className = 'result';
      try {
        const msg = await fn();
        out.textContent = msg;
      } catch (e) {
        out.textContent = errorText(e);
        out.className = 'result error';
      } finally {
        button.disabled = false;
      }
    };
    if (may(me.role, 'scaler') && detail.mode === 'replicated') {
      const n = h('input', { type: 'number', min: 0, step: 1, value: String(detail.replicas.desired ?? 0), dataset: { field: 'replicas' }, 'aria-label': 'replicas' });
      const b = h('button', { type: 'submit', dataset: { action: 'scale' } }, 'Scale');
      parts.push(h('form', { class: 'inline', onsubmit: (e) => (e.preventDefault(), run(b, async () => {
        const r = await api.scale(name, Number(n.value));
        return `scaled ${r.previous} → ${r.replicas}`;
      })) }, h('label', {}, 'Replicas '), n, b));
    }
    if (may(me.role, 'deployer')) {
      const image = h('input', { type: 'text', placeholder: 'image, e.g. registry/app:2.1', size: 28, dataset: { field: 'image' }, 'aria-label': 'image' });
      const strategy = h('select', { dataset: { field: 'strategy' }, 'aria-label': 'strategy' }, h('option', { value: 'rolling' }, 'rolling'), h('option', { value: 'blue-green' }, 'blue-green'));
      const b = h('button', { type: 'submit', dataset: { action: 'deploy' } }, 'Deploy');
      parts.push(h('form', { class: 'inline', onsubmit: (e) => (e.preventDefault(), run(b, async () => {
        const d = await api.deploy({ service: name, image: image.value.trim(), strategy: strategy.value, reason: 'dashboard' });
        store.addDeployment(d);
        return `deployment ${shortId(d.id)} ${d.status}`;
      })) }, h('label', {}, 'Deploy '), image, strategy, b));
      const rb = h('button', { type: 'button', class: 'secondary', dataset: { action: 'rollback-service' }, title: 'back to the previous spec, as a deployment' }, 'Roll back');
      rb.addEventListener('click', () => run(rb, async () => {
        const d = await api.rollbackService(name);
        store.addDeployment(d);
        return `rollback ${shortId(d.id)} ${d.status}`;
      }));
      rb.hidden = !detail.previousImage;
      rollbackButton = rb;
      parts.push(rb);
    }
    fill(actions, parts, parts.length ? out : null);
  }

  function renderStats() {
    const last = samples[samples.length - 1];
    fill(
      stats,
      h('div', { class: 'spark-box' }, h('div', { class: 'k' }, 'CPU', h('b', {}, last?.cpu != null ? ` ${last.cpu.toFixed(1)} %` : ' –')), sparkline(samples.map((s) => s.cpu), { label: 'CPU %' })),
      h('div', { class: 'spark-box' }, h('div', { class: 'k' }, 'Memory', h('b', {}, last?.mem != null ? ` ${fmtBytes(last.mem)}` : ' –')), sparkline(samples.map((s) => s.mem), { label: 'memory' })),
      statsNote ? h('p', { class: 'muted small' }, statsNote) : null,
    );
  }

  function taskRow(t, live) {
    return h(
      'tr',
      { dataset: { taskId: t.id, state: t.state } },
      h('td', { class: 'mono' }, shortId(t.id)),
      h('td', {}, t.slot ?? '–'),
      h('td', {}, t.nodeName ?? (t.nodeId ? shortId(t.nodeId) : '–')),
      h('td', {}, h('span', { class: `chip tone-${live ? taskTone(t) : t.state === 'running' ? 'running' : ['failed', 'rejected'].includes(t.state) ? 'failed' : 'idle'}` }, t.state)),
      h('td', {}, t.desiredState),
      h('td', { class: 'mono' }, imageTag(t.image ?? '').replace(/^.*\//, '')),
      h('td', { class: 'msg' }, [t.error, t.message].filter(Boolean).join(' — ')),
      h('td', { title: t.updatedAt ?? '' }, fmtAgo(t.updatedAt)),
    );
  }
  const taskHead = () => h('thead', {}, h('tr', {}, ['Task', 'Slot', 'Node', 'State', 'Desired', 'Image', 'Message', 'Updated'].map((c) => h('th', {}, c))));

  function update() {
    if (missing) {
      fill(head, h('h2', {}, name), h('p', { class: 'error' }, missing));
      return;
    }
    const s = store.services.get(name) ?? detail;
    if (s) {
      const tasks = [...store.tasks.values()].filter((t) => t.service === name && t.state !== 'shutdown' && t.state !== 'complete');
      const running = tasks.filter((t) => t.state === 'running' && t.desiredState === 'running').length;
      fill(
        head,
        h('h2', {}, h('span', { class: 'svc-name', vars: { '--hue': serviceHue(name) } }, name)),
        h('div', { class: 'facts' },
          fact('image', imageTag(s.image)),
          fact('mode', s.mode),
          fact('replicas', replicasBar(store.loaded ? running : s.replicas.running, s.replicas.desired)),
          fact('update', s.updateStatus ? `${s.updateStatus.state}${s.updateStatus.message ? ` — ${s.updateStatus.message}` : ''}` : '–'),
          detail?.previousImage && detail.previousImage !== detail.image ? fact('previous image', imageTag(detail.previousImage)) : null,
          Object.keys(s.labels ?? {}).length ? fact('labels', Object.entries(s.labels).map(([k, v]) => h('span', { class: 'chip' }, `${k}=${v}`))) : null,
        ),
      );
      tasks.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || a.id.localeCompare(b.id));
      fill(current, h('table', { class: 'grid compact' }, taskHead(), h('tbody', {}, tasks.map((t) => taskRow(t, true)))));
    } else {
      fill(head, h('h2', {}, name), h('p', { class: 'muted' }, 'Loading…'));
    }
    const older = history.filter((t) => !store.tasks.has(t.id) || ['shutdown', 'complete', 'failed', 'rejected'].includes(t.state)).slice(0, 15);
    fill(hist, older.length ? h('table', { class: 'grid compact' }, taskHead(), h('tbody', {}, older.map((t) => taskRow(t, false)))) : h('p', { class: 'muted' }, 'No earlier tasks.'));

    // Autoscaling rounds that changed nothing are in the chart, not in the list.
    const recent = store.recent.filter((e) => e.data.service === name && !(e.type === 'autoscaling' && e.data.action === 'none')).slice(-30).reverse();
    fill(events, recent.length ? recent.map(eventItem) : h('li', { class: 'muted' }, 'Nothing yet.'));

    const mine = [...store.deployments.values()].filter((d) => d.service === name).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 5);
    if (!mine.length) fill(deps, h('p', { class: 'muted' }, 'No deployments.'));
    else {
      syncChildren(depsBody, mine.map((d) => deploymentRow(d, { store, me, compact: true })));
      if (deps.firstChild !== depsTable) fill(deps, depsTable);
    }

    if (policy === undefined) fill(scaling, h('p', { class: 'muted' }, 'Loading…'));
    else if (!policy) fill(scaling, h('p', { class: 'muted' }, 'No autoscaling policy.'));
    else {
      fill(
        scaling,
        h('p', {}, `${policy.enabled ? 'enabled' : 'disabled'}${policy.dryRun ? ' (dry run)' : ''}: ${policy.minReplicas}..${policy.maxReplicas} replicas, ${policy.metric} target ${policy.targetPercent} %`),
        decisionsChart(decisions.slice(-100), { target: policy.targetPercent, width: 480 }),
        h('p', { class: 'legend small' }, h('span', { class: 'key replicas' }, 'replicas'), h('span', { class: 'key metric' }, `${policy.metric} %`), h('span', { class: 'key target' }, 'target')),
      );
    }
  }

  loadDetail();
  loadHistory();
  loadScaling();
  renderStats();
  sample();

  return {
    update,
    unmount() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(refresh);
      off();
    },
  };
}

function fact(k, v) {
  return h('div', { class: 'fact' }, h('span', { class: 'k' }, k), h('span', { class: 'v' }, v));
}

function eventItem(e) {
  const d = e.data;
  let text;
  switch (e.type) {
    case 'task':
      text = `task ${d.slot ?? shortId(d.taskId)} ${d.from ?? 'new'} → ${d.to}${d.nodeName ? ` on ${d.nodeName}` : ''}${d.error ? `: ${d.error}` : ''}`;
      break;
    case 'service':
      text = `service ${d.change}${d.changedFields?.length ? `: ${d.changedFields.join(', ')}` : ''}${d.updateState ? ` (${d.updateState})` : ''}`;
      break;
    case 'deployment':
      text = `deployment ${shortId(d.id)} ${d.status}${d.step ? ` — ${d.step}` : ''}${d.progress ? ` ${d.progress.updated}/${d.progress.total}` : ''}`;
      break;
    case 'autoscaling':
      text = `autoscaling ${d.action} ${d.from} → ${d.to}${d.reason ? `: ${d.reason}` : ''}`;
      break;
    default:
      text = e.type;
  }
  return h('li', { dataset: { type: e.type } }, h('time', {}, fmtTime(e.data.at ?? new Date(e.receivedAt).toISOString())), ' ', text);
}
