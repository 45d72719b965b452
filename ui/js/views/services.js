import { fill, h, imageTag } from '../dom.js';
import { runningByService, serviceHue } from '../model.js';

/** Every service the token may see: replicas running/desired (live), image, update status. */
export function servicesView({ root, store }) {
  const table = h('table', { class: 'grid', id: 'services' });
  root.append(h('h2', {}, 'Services'), table);

  function update() {
    const running = runningByService(store.tasks.values());
    const services = [...store.services.values()].sort((a, b) => a.name.localeCompare(b.name));
    fill(
      table,
      h('thead', {}, h('tr', {}, ['Service', 'Image', 'Mode', 'Replicas', 'Update', 'Ports'].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        services.map((s) => {
          const run = store.loaded ? (running.get(s.id) ?? 0) : s.replicas.running;
          const desired = s.replicas.desired;
          const short = desired !== null && run < desired;
          return h(
            'tr',
            { dataset: { service: s.name } },
            h('td', {}, h('a', { class: 'svc-name', href: `#/services/${encodeURIComponent(s.name)}`, vars: { '--hue': serviceHue(s.name) } }, s.name)),
            h('td', { class: 'mono' }, imageTag(s.image)),
            h('td', {}, s.mode),
            h('td', { class: short ? 'warn' : '' }, replicasBar(run, desired)),
            h('td', {}, s.updateStatus ? h('span', { class: `chip update-${s.updateStatus.state}`, title: s.updateStatus.message ?? '' }, s.updateStatus.state) : '–'),
            h('td', { class: 'mono' }, (s.ports ?? []).map((p) => `${p.published ?? ''}${p.published ? ':' : ''}${p.target}/${p.protocol} ${p.mode}`).join(', ') || '–'),
          );
        }),
        services.length ? null : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, store.loaded ? 'No services visible to this token.' : 'Loading…')),
      ),
    );
  }
  return { update, unmount() {} };
}

export function replicasBar(running, desired) {
  const pct = desired ? Math.min(100, Math.round((running / desired) * 100)) : running ? 100 : 0;
  return h(
    'span',
    { class: 'replicas', dataset: { running, desired: desired ?? 'global' } },
    h('span', { class: 'bar' }, h('span', { class: 'fill', vars: { '--pct': `${pct}%` } })),
    h('span', { class: 'num' }, desired === null ? `${running} (global)` : `${running}/${desired}`),
  );
}
