import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { AppConfig } from '../config/app-config';
import { EngineService } from '../swarm/engine.types';
import { ClusterStateService, Snapshot } from './cluster-state.service';
import { LeaderService } from './leader.service';
import { ReadModelShare } from './read-model-share';
import { LeaderFreshness, ReadModelMessage, ReadModelStore, StoredDelta, StoredSnapshot } from './read-model.store';
import { ReadModelData } from './snapshot-delta';

function service(id: string, version: number): EngineService {
  return { ID: id, Version: { Index: version }, Spec: { Name: id, Labels: {}, TaskTemplate: { ContainerSpec: { Image: 'x' } } } } as unknown as EngineService;
}

function data(...services: EngineService[]): ReadModelData {
  return { services, tasks: [], nodes: [], networks: [] };
}

/** The read model as the share sees it: what it was given to follow, and its snapshots. */
class FakeState {
  current: Snapshot | null = new Snapshot([], [], [], new Map(), { version: 1 });
  following: boolean | null = null;
  heard = 0;
  refreshes = 0;
  private version = 1;
  private listener?: (prev: Snapshot | null, next: Snapshot) => void;
  get lastSnapshot() {
    return this.current;
  }
  onSnapshot(l: (prev: Snapshot | null, next: Snapshot) => void) {
    this.listener = l;
  }
  setFollowing(on: boolean) {
    this.following = on;
  }
  leaderHeard() {
    this.heard++;
  }
  async refresh() {
    this.refreshes++;
    return this.current;
  }
  freshness() {
    return { stale: false, ageSeconds: 0.2, engine: 'ok' as const, error: null };
  }
  followed(d: ReadModelData) {
    return this.change(d);
  }
  /** A change of this process's read model (as an engine read would make it). */
  change(d: ReadModelData): Snapshot {
    const prev = this.current;
    this.current = new Snapshot(d.services, d.tasks, d.nodes, new Map(d.networks), { version: ++this.version });
    this.listener?.(prev, this.current);
    return this.current;
  }
  names(): string[] {
    return this.current!.services.map((s) => `${s.ID}@${s.Version.Index}`);
  }
}

class FakeStore {
  readonly sub = Object.assign(new EventEmitter(), { subscribe: async () => 1, disconnect: () => undefined });
  stored: StoredSnapshot | null = null;
  deltas: StoredDelta[] = [];
  loads = 0;
  sent: ReadModelMessage[] = [];
  down = false;
  subscriber() {
    return this.sub;
  }
  async publish(d: StoredDelta, fresh: LeaderFreshness, snapshot?: { json: string; newEpoch: boolean }) {
    if (this.down) throw new Error('Redis is unreachable');
    if (snapshot?.newEpoch) this.deltas = [];
    if (snapshot) this.stored = JSON.parse(snapshot.json);
    this.deltas.push(d);
    this.sent.push({ k: 'delta', ...d, ...fresh });
  }
  async deltasAfter(seq: number) {
    return structuredClone(this.deltas.filter((d) => d.seq > seq));
  }
  async announce(message: ReadModelMessage) {
    this.sent.push(message);
  }
  async snapshot() {
    this.loads++;
    return this.stored && structuredClone(this.stored);
  }
  deliver(m: ReadModelMessage) {
    this.sub.emit('message', 'ch', JSON.stringify(m));
  }
}

const settle = () => new Promise((r) => setImmediate(r));

function setup(leading: boolean) {
  const state = new FakeState();
  const store = new FakeStore();
  const leader = { isLeader: leading, onChange: () => undefined } as unknown as LeaderService;
  const share = new ReadModelShare(state as unknown as ClusterStateService, leader, store as unknown as ReadModelStore, { watchIntervalMs: 60_000 } as AppConfig);
  share.onApplicationBootstrap();
  return { state, store, share };
}

const fresh = { ageMs: 100, engine: 'ok' as const, error: null };

describe('ReadModelShare', () => {
  it('a follower loads the stored snapshot, applies the deltas in order, ignores old ones and reloads on a gap or a new epoch', async () => {
    const { state, store, share } = setup(false);
    assert.equal(state.following, true);
    store.stored = { epoch: 'e1', seq: 5, data: data(service('a', 1)) };
    store.sub.emit('ready');
    await settle();
    assert.deepEqual(state.names(), ['a@1']);
    store.deliver({ k: 'delta', epoch: 'e1', seq: 6, delta: { services: { put: [service('b', 2)], del: [] } }, ...fresh });
    assert.deepEqual(state.names(), ['a@1', 'b@2']);
    assert.equal(state.heard, 1);
    store.deliver({ k: 'delta', epoch: 'e1', seq: 6, delta: { services: { put: [service('c', 3)], del: [] } }, ...fresh });
    assert.deepEqual(state.names(), ['a@1', 'b@2'], 'a delta already applied changes nothing');
    // A gap: seq 8 after 6 - the whole snapshot again.
    store.stored = { epoch: 'e1', seq: 8, data: data(service('a', 4)) };
    const loads = store.loads;
    store.deliver({ k: 'delta', epoch: 'e1', seq: 8, delta: {}, ...fresh });
    await settle();
    assert.equal(store.loads, loads + 1);
    assert.deepEqual(state.names(), ['a@4']);
    // A new leader's sequence.
    store.stored = { epoch: 'e2', seq: 1, data: data(service('z', 9)) };
    store.deliver({ k: 'hb', epoch: 'e2', seq: 1, ...fresh });
    await settle();
    assert.deepEqual(state.names(), ['z@9']);
    store.deliver({ k: 'hb', epoch: 'e2', seq: 1, ...fresh });
    assert.equal(store.loads, loads + 2, 'a heartbeat in sequence loads nothing');
    share.onModuleDestroy();
  });

  it('the leader stores its whole model with the first change of a sequence and sends deltas after it; a change Redis missed starts a new sequence', async () => {
    const { state, store, share } = setup(true);
    assert.equal(state.following, false);
    assert.equal(state.refreshes, 1, 'a new leader reads the engine at once');
    await settle();
    const first = store.sent.at(-1)!;
    assert.equal(first.seq, 1, 'leading starts a sequence with the whole model');
    assert.deepEqual(store.stored!.data.services, []);
    state.change(data(service('a', 1), service('b', 2)));
    await settle();
    const second = store.sent.at(-1)!;
    assert.ok(second.k === 'delta' && second.epoch === first.epoch && second.seq === 2);
    assert.deepEqual(second.k === 'delta' && second.delta.services?.put.map((s) => s.ID), ['a', 'b']);
    assert.deepEqual(store.stored!.data.services, [], 'the whole model is not stored with every change');
    assert.deepEqual(store.deltas.map((d) => d.seq), [1, 2]);
    // A follower starting now has the change: the stored snapshot and the delta after it.
    const follower = setup(false);
    follower.store.stored = store.stored;
    follower.store.deltas = store.deltas;
    follower.store.sub.emit('ready');
    await settle();
    assert.deepEqual(follower.state.names(), ['a@1', 'b@2']);
    follower.share.onModuleDestroy();
    store.down = true;
    state.change(data(service('b', 2)));
    await settle();
    store.down = false;
    state.change(data(service('b', 3)));
    await settle();
    const third = store.sent.at(-1)!;
    assert.ok(third.epoch !== first.epoch && third.seq === 1, 'a new sequence after a change that did not reach Redis');
    assert.deepEqual(store.deltas.map((d) => d.seq), [1], 'a new sequence drops the old deltas');
    assert.deepEqual(store.stored!.data.services.map((s: EngineService) => `${s.ID}@${s.Version.Index}`), ['b@3']);
    share.onModuleDestroy();
  });
});
