// The dashboard's live model: loaded once from the API, then kept current by the event stream.
// Views subscribe and re-render (at most once a frame) when it changes.

import { api } from './api.js';
import { EventStream } from './sse.js';
import { authHeaders } from './api.js';
import { applyDeploymentEvent, applyTaskEvent, FAILED_STATES, isTerminalDeployment, mergeLoadedTask, nextExpiry } from './model.js';

const RECENT_MAX = 300;

export class Store {
  constructor() {
    this.me = null;
    this.cluster = null;
    this.nodes = new Map();
    this.services = new Map();
    this.tasks = new Map();
    this.deployments = new Map();
    /** The latest events as received: { id, type, data, receivedAt }, newest last. */
    this.recent = [];
    this.connection = { status: 'connecting', info: {} };
    this.loaded = false;
    this.listeners = new Set();
    this.eventListeners = new Set();
    this.frame = 0;
    this.expiryTimer = null;
    this.refreshTimers = new Map();
    this.fetching = new Map();
  }

  /** Calls fn (batched to one call a frame) whenever the model changes; returns the unsubscribe. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Calls fn(type, data) for every live event; returns the unsubscribe. */
  onEvent(fn) {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  changed() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.scheduleExpiry();
      for (const fn of this.listeners) fn();
    });
  }

  /** Re-render when the next lingering failed card is due to go (a timer, not a poll). */
  scheduleExpiry() {
    clearTimeout(this.expiryTimer);
    const ms = nextExpiry(this.tasks.values());
    if (ms !== null) this.expiryTimer = setTimeout(() => this.changed(), ms + 50);
  }

  /**
   * Opens the event stream first and then loads the snapshot: an event that lands while the
   * snapshot loads is applied on top of it (task states never move backwards, so order does
   * not matter). After a reconnect the stream resumes after the last event id (Last-Event-ID)
   * and the snapshot is loaded again.
   */
  async start(me) {
    this.me = me;
    this.stream = new EventStream({
      url: api.eventsUrl(),
      headers: () => authHeaders(),
      onEvent: (ev) => this.handle(ev),
      onStatus: (status, info) => {
        this.connection = { status, info };
        if (status === 'live' && info.resumed) this.load().catch((e) => this.loadFailed(e));
        this.changed();
      },
    });
    this.stream.start();
    await this.load();
  }

  stop() {
    this.stream?.stop();
    clearTimeout(this.expiryTimer);
    for (const t of this.refreshTimers.values()) clearTimeout(t);
  }

  loadFailed(e) {
    this.error = e;
    this.changed();
  }

  async load() {
    const startedAt = Date.now();
    const [cluster, nodes, services, deployments] = await Promise.all([
      api.cluster(),
      api.nodes(),
      api.services(),
      api.deployments({ limit: 50 }),
    ]);
    const perNode = await Promise.all(nodes.map((n) => api.nodeTasks(n.id).catch(() => [])));
    this.cluster = cluster;
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
    this.services = new Map(services.map((s) => [s.name, s]));
    const loaded = new Map();
    for (const t of perNode.flat()) loaded.set(t.id, mergeLoadedTask(this.tasks.get(t.id), t));
    // Tasks we hold that the load no longer lists: keep the ones still worth a card (a
    // lingering failure, or one the stream reported after the load began).
    for (const [id, t] of this.tasks) {
      if (!loaded.has(id) && (FAILED_STATES.has(t.state) || (t.seenAt ?? 0) >= startedAt)) loaded.set(id, t);
    }
    this.tasks = loaded;
    for (const d of deployments) {
      const held = this.deployments.get(d.id);
      this.deployments.set(d.id, held && isTerminalDeployment(held) && !isTerminalDeployment(d) ? held : d);
    }
    this.loaded = true;
    this.error = null;
    this.changed();
  }

  handle(ev) {
    let data;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return;
    }
    this.recent.push({ id: ev.id, type: ev.type, data, receivedAt: Date.now() });
    if (this.recent.length > RECENT_MAX) this.recent.splice(0, this.recent.length - RECENT_MAX);
    switch (ev.type) {
      case 'task': {
        const held = this.tasks.get(data.taskId);
        const next = applyTaskEvent(held, data);
        // A new task runs the service's current spec: its image is the service's image.
        if (next && !next.image) next.image = this.services.get(data.service)?.image ?? null;
        if (next) this.tasks.set(data.taskId, { ...next, seenAt: Date.now() });
        else this.tasks.delete(data.taskId);
        break;
      }
      case 'service': {
        if (data.change === 'removed') this.services.delete(data.service);
        else {
          const s = this.services.get(data.service);
          if (s) {
            this.services.set(data.service, {
              ...s,
              image: data.image ?? s.image,
              replicas: { ...s.replicas, desired: data.replicas ?? s.replicas.desired },
              updateStatus: data.updateState ? { ...(s.updateStatus ?? {}), state: data.updateState } : s.updateStatus,
            });
          }
        }
        this.refreshSoon('services', async () => {
          this.services = new Map((await api.services()).map((s) => [s.name, s]));
        });
        break;
      }
      case 'node': {
        const n = this.nodes.get(data.nodeId);
        if (n) this.nodes.set(data.nodeId, { ...n, state: data.state, availability: data.availability, role: data.role });
        this.refreshSoon('nodes', async () => {
          this.nodes = new Map((await api.nodes()).map((x) => [x.id, x]));
        });
        this.refreshSoon('cluster', async () => {
          this.cluster = await api.cluster();
        });
        break;
      }
      case 'deployment': {
        const next = applyDeploymentEvent(this.deployments.get(data.id), data);
        if (next) this.deployments.set(data.id, next);
        else this.fetchDeployment(data);
        this.refreshSoon('cluster', async () => {
          this.cluster = await api.cluster();
        });
        break;
      }
      case 'cluster':
        this.refreshSoon('cluster', async () => {
          this.cluster = await api.cluster();
        });
        break;
      default:
        break;
    }
    for (const fn of this.eventListeners) fn(ev.type, data);
    this.changed();
  }

  /** A deployment first heard of by its event: read it, then apply the events that came meanwhile. */
  async fetchDeployment(ev) {
    const waiting = this.fetching.get(ev.id);
    if (waiting) {
      waiting.push(ev);
      return;
    }
    this.fetching.set(ev.id, [ev]);
    try {
      let d = await api.deployment(ev.id);
      for (const e of this.fetching.get(ev.id)) d = applyDeploymentEvent(d, e);
      const held = this.deployments.get(ev.id);
      if (!held || !isTerminalDeployment(held)) this.deployments.set(ev.id, d);
      this.changed();
    } catch {
      /* out of the caller's scope, or expired */
    } finally {
      this.fetching.delete(ev.id);
    }
  }

  /** One re-read of a list shortly after the events that changed it (debounced, not a poll). */
  refreshSoon(key, fn) {
    if (this.refreshTimers.has(key)) return;
    this.refreshTimers.set(
      key,
      setTimeout(async () => {
        this.refreshTimers.delete(key);
        try {
          await fn();
          this.changed();
        } catch {
          /* the next event or reconnect tries again */
        }
      }, 300),
    );
  }

  /** A deployment the caller just started: shown at once, then moved on by its events. */
  addDeployment(d) {
    const held = this.deployments.get(d.id);
    if (!held) this.deployments.set(d.id, d);
    this.changed();
  }
}
