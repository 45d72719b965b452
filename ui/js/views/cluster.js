import { fill, h, imageTag, shortId, syncChildren } from '../dom.js';
import { clusterFacts, serviceHue, sortNodes, taskTone, tasksByNode } from '../model.js';

/** Nodes as columns, their tasks as cards coloured by service and state; quorum on top. */
export function clusterView({ root, store }) {
  const summary = h('section', { class: 'summary', id: 'cluster-summary' });
  const board = h('section', { class: 'board', id: 'board' });
  root.append(summary, board);
  const empty = h('p', { class: 'muted' }, 'No nodes visible.');
  const cards = new Map();
  const columns = new Map();

  function card(t) {
    let el = cards.get(t.id);
    if (!el) {
      el = h('a', { class: 'task', href: `#/services/${encodeURIComponent(t.service)}`, vars: { '--hue': serviceHue(t.service) } },
        h('span', { class: 'svc' }), h('span', { class: 'state' }), h('span', { class: 'img' }));
      cards.set(t.id, el);
    }
    const tone = taskTone(t);
    el.className = `task tone-${tone}`;
    Object.assign(el.dataset, { taskId: t.id, service: t.service, slot: t.slot ?? '', state: t.state, desiredState: t.desiredState, nodeId: t.nodeId ?? '' });
    el.children[0].textContent = t.slot !== null && t.slot !== undefined ? `${t.service}.${t.slot}` : `${t.service} ${shortId(t.id)}`;
    el.children[1].textContent = tone === 'stopping' ? 'stopping' : t.state;
    el.children[2].textContent = imageTag(t.image ?? '').replace(/^.*\//, '');
    el.title = [`task ${t.id}`, t.message, t.error].filter(Boolean).join('\n');
    return el;
  }

  function column(key, node) {
    let col = columns.get(key);
    if (!col) {
      col = { el: h('div', { class: 'node' }), head: h('div', { class: 'node-head' }), tasks: h('div', { class: 'tasks' }) };
      col.el.append(col.head, col.tasks);
      columns.set(key, col);
    }
    if (node) {
      const down = node.state !== 'ready';
      const drained = node.availability !== 'active';
      col.el.className = ['node', down && 'down', drained && `avail-${node.availability}`].filter(Boolean).join(' ');
      Object.assign(col.el.dataset, { nodeId: node.id, hostname: node.hostname, state: node.state, availability: node.availability, role: node.role });
      const leader = node.managerStatus?.leader;
      fill(
        col.head,
        h('div', { class: 'host' }, node.hostname),
        h('div', { class: 'badges' },
          h('span', { class: `badge role-${node.role}` }, leader ? 'leader' : node.role),
          h('span', { class: `badge state-${node.state}` }, node.state),
          node.availability !== 'active' ? h('span', { class: `badge avail avail-${node.availability}` }, node.availability === 'drain' ? 'drained' : 'paused') : null,
          node.managerStatus?.reachability && node.managerStatus.reachability !== 'reachable' ? h('span', { class: 'badge state-down' }, node.managerStatus.reachability) : null,
        ),
        h('div', { class: 'labels' }, Object.entries(node.labels ?? {}).sort().map(([k, v]) => h('span', { class: k === 'zone' ? 'chip zone' : 'chip' }, `${k}=${v}`))),
      );
    } else {
      col.el.className = 'node pending';
      col.el.dataset.nodeId = '';
      fill(col.head, h('div', { class: 'host' }, 'not on a node'), h('div', { class: 'badges' }, h('span', { class: 'badge' }, 'pending')));
    }
    return col;
  }

  function renderSummary() {
    const c = store.cluster;
    if (!c) return fill(summary, h('p', { class: 'muted' }, store.error ? `Cannot load: ${store.error.message}` : 'Loading…'));
    const { facts, warnings, quorum } = clusterFacts(c);
    summary.dataset.quorum = quorum;
    fill(
      summary,
      h('div', { class: 'stats' }, facts.map(([label, value, tone]) => stat(label, value, tone))),
      warnings.length ? h('ul', { class: 'warnings' }, warnings.map((w) => h('li', {}, w))) : null,
    );
  }

  function update() {
    renderSummary();
    const byNode = tasksByNode(store.tasks.values());
    const nodes = sortNodes([...store.nodes.values()]);
    const known = new Set(nodes.map((n) => n.id));
    const pending = [...(byNode.get('') ?? [])];
    for (const [id, list] of byNode) if (id && !known.has(id)) pending.push(...list);
    const cols = nodes.map((n) => {
      const col = column(n.id, n);
      syncChildren(col.tasks, (byNode.get(n.id) ?? []).map(card));
      return col.el;
    });
    if (pending.length) {
      const col = column('', null);
      syncChildren(col.tasks, pending.map(card));
      cols.push(col.el);
    }
    if (!nodes.length && store.loaded) cols.push(empty);
    syncChildren(board, cols);
    const shown = new Set([...byNode.values()].flat().map((t) => t.id));
    for (const id of cards.keys()) if (!shown.has(id)) cards.delete(id);
  }

  return { update, unmount() {} };
}

function stat(label, value, tone = '') {
  return h('div', { class: `stat ${tone}`, dataset: { stat: label } }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, value));
}
