import { api } from '../api.js';
import { errorText, fill, fmtAgo, fmtTime, h, imageTag, shortId, syncChildren } from '../dom.js';
import { isTerminalDeployment, may } from '../model.js';

/** Running and recent deployments with live progress; promote, cancel and roll back for deployers. */
export function deploymentsView({ root, store, me }) {
  const active = h('div', { id: 'deployments-active' });
  const recent = h('div', { id: 'deployments-recent' });
  root.append(h('h2', {}, 'Running'), active, h('h2', {}, 'Recent'), recent);

  function update() {
    const all = [...store.deployments.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const running = all.filter((d) => !isTerminalDeployment(d));
    const done = all.filter((d) => isTerminalDeployment(d)).slice(0, 30);
    show(active, activeTable, running, store.loaded ? 'No deployment is running.' : 'Loading…');
    show(recent, recentTable, done, store.loaded ? 'None yet.' : '');
  }
  const makeTable = () => {
    const body = h('tbody');
    const el = h('table', { class: 'grid deployments' },
      h('thead', {}, h('tr', {}, ['Deployment', 'Service', 'Image', 'Status', 'Progress', 'Step', 'By', 'Started', ''].map((c) => h('th', {}, c)))), body);
    return { el, body };
  };
  const activeTable = makeTable();
  const recentTable = makeTable();
  const show = (box, t, list, emptyText) => {
    if (!list.length) return fill(box, h('p', { class: 'muted' }, emptyText));
    syncChildren(t.body, list.map((d) => deploymentRow(d, { store, me })));
    if (box.firstChild !== t.el) fill(box, t.el);
  };
  return { update, unmount() {} };
}

/** Results of the last action per deployment, shown beside its buttons. */
const results = new Map();

/** Rows by deployment: a row is rebuilt only when its deployment changed, so a click is never lost to a re-render. */
const rows = new Map();

/** One deployment as a table row; the buttons are the ones the caller's role may use. */
export function deploymentRow(d, opts) {
  const key = `${opts.compact ? 'c' : 'f'}:${d.id}`;
  const sig = JSON.stringify([d.status, d.progress, d.steps?.length, d.error, d.position, d.finishedAt, results.get(d.id), opts.me.role]);
  const held = rows.get(key);
  if (held && held.sig === sig) return held.el;
  const el = buildRow(d, opts);
  rows.set(key, { sig, el });
  if (rows.size > 500) rows.delete(rows.keys().next().value);
  return el;
}

function buildRow(d, { store, me, compact = false }) {
  const p = d.progress ?? { updated: 0, total: 0 };
  const pct = p.total ? Math.round((p.updated / p.total) * 100) : isTerminalDeployment(d) && d.status === 'succeeded' ? 100 : 0;
  const step = d.steps?.length ? d.steps[d.steps.length - 1] : null;
  const buttons = [];
  if (may(me.role, 'deployer')) {
    const act = (action, label, fn) => {
      const b = h('button', { type: 'button', class: action === 'cancel' ? 'secondary' : '', dataset: { action, deployment: d.id } }, label);
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          const r = await fn();
          results.set(d.id, { ok: true, text: `${action}: ${r.id === d.id ? r.status : `new deployment ${shortId(r.id)}`}` });
          if (r.id === d.id) store.deployments.set(d.id, r);
          else store.addDeployment(r);
        } catch (e) {
          results.set(d.id, { ok: false, text: errorText(e) });
        }
        store.changed();
      });
      return b;
    };
    if (d.status === 'awaiting-promotion') buttons.push(act('promote', 'Promote', () => api.promote(d.id)));
    if (!isTerminalDeployment(d)) buttons.push(act('cancel', 'Cancel', () => api.cancel(d.id)));
    if (['running', 'awaiting-promotion', 'succeeded'].includes(d.status)) buttons.push(act('rollback', 'Roll back', () => api.rollback(d.id)));
  }
  const res = results.get(d.id);
  return h(
    'tr',
    { class: 'deployment', dataset: { deploymentId: d.id, status: d.status, service: d.service } },
    h('td', { class: 'mono', title: d.id }, shortId(d.id), h('div', { class: 'muted small' }, d.strategy)),
    compact ? null : h('td', {}, h('a', { href: `#/services/${encodeURIComponent(d.service)}` }, d.service)),
    h('td', { class: 'mono' }, d.previousImage ? `${imageTag(d.previousImage)} → ` : '', imageTag(d.image)),
    h('td', {}, h('span', { class: `chip status status-${d.status}` }, d.status), d.error ? h('div', { class: 'error small' }, d.error) : null),
    h('td', {}, h('span', { class: 'progress', dataset: { updated: p.updated, total: p.total } },
      h('span', { class: 'bar' }, h('span', { class: 'fill', vars: { '--pct': `${pct}%` } })),
      h('span', { class: 'num' }, `${p.updated}/${p.total}`))),
    h('td', { class: 'small' }, step ? step.name : d.position ? `queued (${d.position} ahead)` : '–'),
    compact ? null : h('td', { class: 'small' }, d.createdBy),
    h('td', { class: 'small', title: d.createdAt }, fmtTime(d.startedAt ?? d.createdAt), h('div', { class: 'muted' }, d.finishedAt ? `done ${fmtAgo(d.finishedAt)}` : '')),
    h('td', {}, h('div', { class: 'row-actions' }, buttons), res ? h('div', { class: res.ok ? 'result small' : 'error small' }, res.text) : null),
  );
}
