// Small inline SVG charts: a sparkline, and replicas over time against a metric and its target.

import { svg } from './dom.js';

/** A sparkline of the last values (null = no sample), scaled to max (or the highest value). */
export function sparkline(values, { width = 240, height = 48, max = null, label = '' } = {}) {
  const nums = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  // Headroom above the highest value, so a steady series is a line across, not the top edge.
  const top = Math.max(max ?? 0, Math.max(...nums, 0) * 1.25, 1e-9);
  const n = Math.max(values.length, 2);
  const x = (i) => (i * (width - 2)) / (n - 1) + 1;
  const y = (v) => height - 2 - (v / top) * (height - 4);
  const runs = [];
  let cur = [];
  values.forEach((v, i) => {
    if (typeof v === 'number' && Number.isFinite(v)) cur.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    else if (cur.length) runs.push(cur.splice(0));
  });
  if (cur.length) runs.push(cur);
  return svg(
    'svg',
    { class: 'spark', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label },
    svg('line', { class: 'axis', x1: 0, x2: width, y1: height - 1, y2: height - 1 }),
    runs.map((pts) => (pts.length === 1 ? svg('circle', { cx: pts[0].split(',')[0], cy: pts[0].split(',')[1], r: 1.5 }) : svg('polyline', { points: pts.join(' ') }))),
  );
}

/**
 * Autoscaling decisions, oldest to newest: replicas after each decision as a step line (left
 * scale), the observed metric average as dots and the target as a dashed line (right scale, %).
 */
export function decisionsChart(decisions, { width = 560, height = 160, target = null } = {}) {
  const pad = { l: 30, r: 36, t: 10, b: 18 };
  const w = width - pad.l - pad.r;
  const hgt = height - pad.t - pad.b;
  const points = decisions
    .map((d) => ({ t: Date.parse(d.at), replicas: d.desired ?? d.current, avg: d.inputs?.average ?? d.value ?? null, target: d.inputs?.targetPercent ?? d.target ?? target }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  const parts = [svg('rect', { class: 'frame', x: pad.l, y: pad.t, width: w, height: hgt })];
  if (!points.length) {
    parts.push(svg('text', { x: pad.l + 8, y: pad.t + hgt / 2, class: 'muted' }, 'no decisions yet'));
    return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height }, parts);
  }
  const t0 = points[0].t;
  const t1 = Math.max(points[points.length - 1].t, t0 + 1);
  const maxR = Math.max(1, ...points.map((p) => p.replicas ?? 0));
  const maxPct = Math.max(100, ...points.map((p) => Math.max(p.avg ?? 0, p.target ?? 0)));
  const x = (t) => pad.l + ((t - t0) / (t1 - t0)) * w;
  const yR = (r) => pad.t + hgt - (r / maxR) * hgt;
  const yP = (p) => pad.t + hgt - (p / maxPct) * hgt;

  let path = '';
  points.forEach((p, i) => {
    if (p.replicas === null || p.replicas === undefined) return;
    path += path ? ` H${x(p.t).toFixed(1)} V${yR(p.replicas).toFixed(1)}` : `M${x(p.t).toFixed(1)},${yR(p.replicas).toFixed(1)}`;
    if (i === points.length - 1) path += ` H${(pad.l + w).toFixed(1)}`;
  });
  parts.push(svg('path', { class: 'replicas', d: path }));
  const tgt = points[points.length - 1].target;
  if (tgt !== null && tgt !== undefined) {
    parts.push(svg('line', { class: 'target', x1: pad.l, x2: pad.l + w, y1: yP(tgt), y2: yP(tgt) }));
    parts.push(svg('text', { class: 'tick', x: pad.l + w + 3, y: yP(tgt) + 3 }, `${Math.round(tgt)}%`));
  }
  for (const p of points) if (p.avg !== null && p.avg !== undefined) parts.push(svg('circle', { class: 'metric', cx: x(p.t), cy: yP(p.avg), r: 2.5 }));
  parts.push(svg('text', { class: 'tick', x: 4, y: pad.t + 8 }, String(maxR)));
  parts.push(svg('text', { class: 'tick', x: 4, y: pad.t + hgt }, '0'));
  parts.push(svg('text', { class: 'tick', x: pad.l + w + 3, y: pad.t + 8 }, `${Math.round(maxPct)}%`));
  return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'replicas and metric over time' }, parts);
}
