import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExecutionResult, GraphQLObjectType, GraphQLSchema, GraphQLString, DocumentNode, GraphQLError } from 'graphql';
import { AppConfig } from '../config/app-config';
import { Caller } from '../common/auth/roles';
import { EventBus, EventListener } from './event-bus';
import { BusEvent, EventType } from './event.types';
import { GraphqlFanout } from './graphql-fanout';
import { LiveSource } from './live-source';

/** The bus as the fan-out sees it: listeners per type, and the subscriber count they report. */
class FakeBus {
  readonly listeners = new Set<EventListener>();
  subscribe(_types: Iterable<EventType>, l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  listenerCount(): number {
    let n = 0;
    for (const l of this.listeners) n += l.subscribers?.() ?? 1;
    return n;
  }
  emit(e: BusEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}

/** A ws socket: records frames; a stalled one never confirms a write (a client that stopped reading). */
class FakeSocket {
  readyState = 1;
  readonly frames: string[] = [];
  constructor(readonly stalled = false) {}
  send(data: string, cb: (err?: Error) => void): void {
    this.frames.push(data);
    if (!this.stalled) queueMicrotask(() => cb());
  }
}

const viewer: Caller = { name: 'viewer', role: 'viewer' };
const teamA: Caller = { name: 'team-a', role: 'viewer', scope: { labels: { team: 'a' } } };
const QUERY = 'subscription ($service: String) { progress(service: $service) { id message } }';

function setup(maxBuffer = 1000) {
  const bus = new FakeBus();
  let executions = 0;
  let releases = 0;
  const Progress = new GraphQLObjectType({
    name: 'Progress',
    fields: {
      id: { type: GraphQLString },
      message: {
        type: GraphQLString,
        resolve: (p: { message: string }) => {
          executions++;
          return p.message;
        },
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        progress: {
          type: Progress,
          args: { service: { type: GraphQLString } },
          resolve: (p: unknown) => p,
          subscribe: (_root: unknown, args: { service?: string }, ctx: { caller: Caller }) => {
            if (ctx.caller.name === 'refused') throw new Error('too many connections');
            const filter = { types: new Set<EventType>(['deployment']), service: args.service ?? undefined };
            return new LiveSource('deployment', filter, ctx.caller, bus as unknown as EventBus, maxBuffer, () => releases++);
          },
        },
      },
    }),
  });
  const fanout = new GraphqlFanout(bus as unknown as EventBus, { sseMaxBuffer: maxBuffer } as AppConfig);
  const ws = fanout.serverOptions as {
    parse: (q: string) => DocumentNode;
    validate: (s: GraphQLSchema, d: DocumentNode) => readonly GraphQLError[];
    subscribe: (args: object) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  };

  /** What graphql-ws does with one `subscribe` message: parse, validate, subscribe, follow the iterator. */
  async function subscribe(socket: FakeSocket, id: string, caller: Caller, variables: Record<string, unknown> = {}) {
    const document = ws.parse(QUERY);
    assert.deepEqual(ws.validate(schema, document), []);
    const contextValue = { caller, ...fanout.context({ extra: { socket } }, id) };
    const result = await ws.subscribe({ schema, document, variableValues: variables, contextValue });
    if (!(Symbol.asyncIterator in result)) return { result, it: null, ended: Promise.resolve(null as unknown) };
    const it = result as AsyncIterableIterator<ExecutionResult>;
    const ended = (async () => {
      try {
        for await (const _ of it) throw new Error('the fan-out writes frames itself; its iterator yields nothing');
        return 'complete';
      } catch (e) {
        return e;
      }
    })();
    return { result, it, ended };
  }

  const event = (service: string, team: string, message: string): BusEvent =>
    ({ id: '1-0', type: 'deployment', service, labels: { team }, payload: { id: 'd-1', service, message } }) as unknown as BusEvent;

  return { bus, fanout, ws, schema, subscribe, event, executions: () => executions, releases: () => releases };
}

const payloadOf = (frame: string) => frame.slice(frame.indexOf('"payload":'));

describe('graphql-ws fan-out: one execution per (document, variables, scope) and event', () => {
  it('subscribers of the same query, variables and scope share one execution and one payload text', async () => {
    const s = setup();
    const same = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const [i, sock] of same.entries()) await s.subscribe(sock, `id-${i}`, viewer);
    const scoped = new FakeSocket();
    await s.subscribe(scoped, 'a', teamA);
    const onlyApi = new FakeSocket();
    await s.subscribe(onlyApi, 'b', viewer, { service: 'api' });
    assert.deepEqual(s.fanout.stats(), { groups: 3, subscribers: 5 });
    assert.equal(s.bus.listenerCount(), 5, 'the bus counts subscribers, not groups');

    s.bus.emit(s.event('web', 'b', 'hello'));
    assert.equal(s.executions(), 1, 'executed once for the three subscribers that get it');
    for (const [i, sock] of same.entries()) {
      assert.equal(sock.frames.length, 1);
      assert.deepEqual(JSON.parse(sock.frames[0]), { id: `id-${i}`, type: 'next', payload: { data: { progress: { id: 'd-1', message: 'hello' } } } });
    }
    assert.equal(new Set(same.map((x) => payloadOf(x.frames[0]))).size, 1, 'the same payload text');
    assert.deepEqual(scoped.frames, [], 'team b is outside the team=a scope');
    assert.deepEqual(onlyApi.frames, [], 'another service');

    s.bus.emit(s.event('api', 'a', 'second'));
    assert.equal(s.executions(), 4, 'one execution per group that gets it');
    assert.deepEqual(JSON.parse(scoped.frames[0]).payload.data.progress.message, 'second');
    assert.equal(JSON.parse(onlyApi.frames[0]).id, 'b');
    assert.ok(same.every((x) => x.frames.length === 2));
  });

  it('parses and validates each query text once', () => {
    const s = setup();
    const a = s.ws.parse(QUERY);
    assert.equal(s.ws.parse(QUERY), a);
    assert.equal(s.ws.validate(s.schema, a), s.ws.validate(s.schema, a));
  });

  it('a subscriber whose socket takes no more frames is ended with an error; the others go on', async () => {
    const s = setup(3);
    const slow = new FakeSocket(true);
    const fine = new FakeSocket();
    const a = await s.subscribe(slow, 'slow', viewer);
    await s.subscribe(fine, 'fine', viewer);
    for (let i = 0; i < 6; i++) {
      s.bus.emit(s.event('web', 'b', `m${i}`));
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(slow.frames.length, 4, 'one being written and three more waiting, then dropped');
    assert.match(String(await a.ended), /subscriber too slow: more than 3 events waiting/);
    assert.equal(fine.frames.length, 6);
    assert.equal(s.releases(), 1, 'its stream slot is given back');
    assert.deepEqual(s.fanout.stats(), { groups: 1, subscribers: 1 });
  });

  it('completing gives the stream slot back; the last one out removes the group and its bus listener', async () => {
    const s = setup();
    const x = await s.subscribe(new FakeSocket(), '1', viewer);
    const y = await s.subscribe(new FakeSocket(), '2', viewer);
    await x.it!.return!();
    assert.equal(await x.ended, 'complete');
    assert.deepEqual(s.fanout.stats(), { groups: 1, subscribers: 1 });
    await y.it!.return!();
    assert.equal(await y.ended, 'complete');
    assert.equal(s.releases(), 2);
    assert.deepEqual(s.fanout.stats(), { groups: 0, subscribers: 0 });
    assert.equal(s.bus.listeners.size, 0);
  });

  it('a closed socket gets nothing; a refused subscription is answered as graphql-js answers it', async () => {
    const s = setup();
    const closed = new FakeSocket();
    await s.subscribe(closed, '1', viewer);
    closed.readyState = 3;
    s.bus.emit(s.event('web', 'b', 'x'));
    assert.deepEqual(closed.frames, []);
    const refused = await s.subscribe(new FakeSocket(), '2', { name: 'refused', role: 'viewer' });
    assert.equal(refused.it, null);
    assert.match(String((refused.result as ExecutionResult).errors?.[0]?.message), /too many connections/);
  });
});

describe('LiveSource iterated directly (without the fan-out)', () => {
  it('is a bounded per-subscriber iterator that releases its slot once', async () => {
    const bus = new FakeBus();
    let releases = 0;
    const src = new LiveSource<{ message: string }>('deployment', { types: new Set<EventType>(['deployment']) }, teamA, bus as unknown as EventBus, 10, () => releases++);
    const first = src.next();
    bus.emit({ id: '1-0', type: 'deployment', service: 'x', labels: { team: 'b' }, payload: { message: 'no' } } as unknown as BusEvent);
    bus.emit({ id: '2-0', type: 'deployment', service: 'y', labels: { team: 'a' }, payload: { message: 'yes' } } as unknown as BusEvent);
    assert.deepEqual((await first).value, { message: 'yes' });
    await src.return();
    await src.return();
    assert.equal(releases, 1);
    assert.equal(bus.listeners.size, 0);
  });
});
