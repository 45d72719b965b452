import { Gauge, collectDefaultMetrics } from 'prom-client';
import { metricsRegistry } from '../common/metrics';
import { Snapshot } from '../cluster/cluster-state.service';
import { countBy } from './cluster-overview.service';

/**
 * Cluster gauges computed at scrape time from the read model (no per-refresh bookkeeping).
 * Gauges are process-wide; the app instance that started last is their source.
 */
let source: (() => Snapshot | null) | null = null;

export function setClusterMetricsSource(fn: (() => Snapshot | null) | null): void {
  source = fn;
}

export function clusterMetricsSource(): (() => Snapshot | null) | null {
  return source;
}

/** Seconds since the engine last confirmed the read model (null: no data yet). */
let ageSource: (() => number | null) | null = null;

export function setReadModelAgeSource(fn: (() => number | null) | null): void {
  ageSource = fn;
}

function scrapeGauge(name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, snap: Snapshot) => void): void {
  if (metricsRegistry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    labelNames,
    collect() {
      this.reset();
      const snap = source?.();
      if (snap) fill(this, snap);
    },
  });
}

export function registerClusterMetrics(): void {
  if (!metricsRegistry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
  scrapeGauge('swarm_service_replicas_desired', 'Desired replicas per replicated service', ['service'], (g, snap) => {
    for (const s of snap.services) {
      const n = s.Spec.Mode?.Replicated?.Replicas;
      if (n !== undefined) g.set({ service: s.Spec.Name ?? s.ID }, n);
    }
  });
  scrapeGauge('swarm_service_replicas_running', 'Running tasks per service', ['service'], (g, snap) => {
    for (const s of snap.services) g.set({ service: s.Spec.Name ?? s.ID }, snap.runningByService.get(s.ID) ?? 0);
  });
  scrapeGauge('swarm_tasks', 'Tasks the engine lists (history included) by state', ['state'], (g, snap) => {
    for (const [state, n] of Object.entries(countBy(snap.tasks, (t) => t.Status.State))) g.set({ state }, n);
  });
  scrapeGauge('swarm_nodes', 'Nodes by state, availability and role', ['state', 'availability', 'role'], (g, snap) => {
    const counts = countBy(snap.nodes, (n) => `${n.Status.State}\u0000${n.Spec.Availability}\u0000${n.Spec.Role}`);
    for (const [k, n] of Object.entries(counts)) {
      const [state, availability, role] = k.split('\u0000');
      g.set({ state, availability, role }, n);
    }
  });
  scrapeGauge('swarm_read_model_age_seconds', 'Seconds since the engine last confirmed the read model (the watcher leader read it)', [], (g, snap) => {
    g.set(ageSource?.() ?? (Date.now() - snap.at) / 1000);
  });
}
