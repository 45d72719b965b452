import { Inject, Injectable } from '@nestjs/common';
import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema, parse, validate } from 'graphql';
import type { WebSocket } from 'ws';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { GraphqlWsExtras } from '../common/graphql/graphql.config';
import { EventBus, EventListener } from './event-bus';
import { BusEvent } from './event.types';
import { LiveSource } from './live-source';

/** Where the GraphQL context of a graphql-ws operation keeps its socket and subscription id. */
const WIRE = Symbol('graphql-ws wire');

interface Wire {
  socket: WebSocket;
  id: string;
}

/** Parsed documents kept by query text (subscribers of one query share one AST). */
const MAX_DOCUMENTS = 200;
const MAX_CACHED_QUERY = 16 * 1024;
const WS_OPEN = 1;

type Render = (payload: unknown) => string | Promise<string>;

/**
 * graphql-ws subscriptions fanned out per group: every subscriber with the same document,
 * operation, variables and token scope gets the same events (its source filter follows from
 * those alone), so one bus listener per group filters each event once, executes the document
 * once and serializes the result once; each subscriber's socket then gets that text behind its
 * own `{"id":…,"type":"next","payload":` prefix. The rest stays per subscriber: the role check
 * and the stream limit when subscribing (the resolver runs for each), and a bounded number of
 * frames not yet written to its socket (beyond it the subscriber is ended with an error, like
 * a slow SSE client).
 */
@Injectable()
export class GraphqlFanout implements GraphqlWsExtras {
  private readonly groups = new Map<string, FanoutGroup>();
  private readonly documents = new Map<string, DocumentNode>();
  private readonly validated = new WeakMap<DocumentNode, { schema: GraphQLSchema; errors: readonly GraphQLError[] }>();
  private readonly documentIds = new WeakMap<DocumentNode, number>();
  private nextDocumentId = 1;

  constructor(
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** graphql-ws server options: shared parse and validation, and the grouped subscribe. */
  get serverOptions(): Record<string, unknown> {
    return { parse: this.parse, validate: this.validate, subscribe: this.subscribe };
  }

  context(ctx: { extra?: unknown }, id: string): object {
    const socket = (ctx.extra as { socket?: WebSocket } | undefined)?.socket;
    return socket && id ? { [WIRE]: { socket, id } satisfies Wire } : {};
  }

  /** Groups serving subscribers now, and the subscribers in them (for tests and benchmarks). */
  stats(): { groups: number; subscribers: number } {
    let subscribers = 0;
    for (const g of this.groups.values()) subscribers += g.members.size;
    return { groups: this.groups.size, subscribers };
  }

  private readonly parse = (query: string): DocumentNode => {
    const hit = this.documents.get(query);
    if (hit) return hit;
    const doc = parse(query);
    if (query.length <= MAX_CACHED_QUERY) {
      if (this.documents.size >= MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value as string);
      this.documents.set(query, doc);
    }
    return doc;
  };

  private readonly validate = (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    const hit = this.validated.get(document);
    if (hit && hit.schema === schema) return hit.errors;
    const errors = validate(schema, document);
    this.validated.set(document, { schema, errors });
    return errors;
  };

  private readonly subscribe = async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
    const wire = (args.contextValue as Record<symbol, Wire | undefined> | undefined)?.[WIRE];
    if (!(source instanceof LiveSource) || !wire) return executeEach(source as AsyncIterable<unknown>, args);
    return this.join(source, args, wire);
  };

  private join(source: LiveSource, args: ExecutionArgs, wire: Wire): Member {
    const key = this.groupKey(source, args);
    let group = this.groups.get(key);
    if (!group) {
      const created = new FanoutGroup(source, renderer(args), this.bus, () => {
        if (this.groups.get(key) === created) this.groups.delete(key);
      });
      this.groups.set(key, created);
      group = created;
    }
    const g = group;
    const member = new Member(wire, this.config.sseMaxBuffer, source, () => g.remove(member));
    g.add(member);
    return member;
  }

  private groupKey(source: LiveSource, args: ExecutionArgs): string {
    let doc = this.documentIds.get(args.document);
    if (doc === undefined) this.documentIds.set(args.document, (doc = this.nextDocumentId++));
    const labels = source.caller.scope ? Object.entries(source.caller.scope.labels).sort(([a], [b]) => a.localeCompare(b)) : null;
    return JSON.stringify([doc, args.operationName ?? null, args.variableValues ?? null, labels]);
  }
}

/** Executes the document once per event and returns the serialized payload, closed by `}`. */
function renderer(args: ExecutionArgs): Render {
  // The context of the first subscriber without its socket (the same scope for all of them).
  const { [WIRE]: _wire, ...contextValue } = (args.contextValue ?? {}) as Record<string | symbol, unknown>;
  const serialize = (r: ExecutionResult): string => JSON.stringify(r) + '}';
  return (payload) => {
    const r = execute({ ...args, rootValue: payload, contextValue });
    return r instanceof Promise ? r.then(serialize) : serialize(r as ExecutionResult);
  };
}

/** What graphql's own subscribe does, for sources that are not LiveSources. */
function executeEach(source: AsyncIterable<unknown>, args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
  const it = source[Symbol.asyncIterator]();
  const done = (): Promise<IteratorResult<ExecutionResult>> => Promise.resolve({ value: undefined, done: true });
  return {
    async next() {
      const r = await it.next();
      if (r.done) return { value: undefined, done: true };
      return { value: await execute({ ...args, rootValue: r.value }), done: false };
    },
    return: () => (it.return ? it.return().then(done) : done()),
    throw: (e: unknown) => (it.throw ? it.throw(e).then(done) : Promise.reject(e)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The subscribers of one (document, operation, variables, scope): one bus listener for all. */
class FanoutGroup {
  readonly members = new Set<Member>();
  private readonly unsubscribe: () => void;
  private tail: Promise<void> | null = null;

  constructor(
    private readonly source: Pick<LiveSource, 'matches' | 'type'>,
    private readonly render: Render,
    bus: EventBus,
    private readonly onEmpty: () => void,
  ) {
    const listener: EventListener = (e) => this.onEvent(e);
    listener.subscribers = () => this.members.size;
    this.unsubscribe = bus.subscribe([source.type], listener);
  }

  add(m: Member): void {
    this.members.add(m);
  }

  remove(m: Member): void {
    this.members.delete(m);
    if (this.members.size === 0) {
      this.unsubscribe();
      this.onEmpty();
    }
  }

  private onEvent(e: BusEvent): void {
    if (!this.members.size || !this.source.matches(e)) return;
    // While an earlier event still executes asynchronously, later ones wait for it: order is kept.
    if (this.tail) {
      this.tail = this.after(this.tail.then(() => this.emit(e)));
      return;
    }
    const r = this.emit(e);
    if (r) this.tail = this.after(r);
  }

  private after(p: Promise<void>): Promise<void> {
    const tail: Promise<void> = p.then(() => {
      if (this.tail === tail) this.tail = null;
    });
    return tail;
  }

  private emit(e: BusEvent): Promise<void> | void {
    let body: string | Promise<string>;
    try {
      body = this.render(e.payload);
    } catch (err) {
      return this.failAll(err);
    }
    if (typeof body === 'string') return this.write(body);
    return body.then(
      (b) => this.write(b),
      (err) => this.failAll(err),
    );
  }

  private write(body: string): void {
    for (const m of this.members) m.write(body);
  }

  private failAll(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    for (const m of [...this.members]) m.fail(e);
  }
}

const DONE: IteratorResult<ExecutionResult> = { value: undefined, done: true };

/**
 * One subscriber: writes the group's frames to its socket, and is the iterator graphql-ws
 * follows for the subscription. That iterator yields nothing; it ends when the client
 * completes or leaves (`return`), or fails when the subscriber falls behind, which graphql-ws
 * reports to the client as the subscription's error.
 */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private inFlight = 0;
  private closed = false;
  private failure: Error | null = null;
  private waiter: { resolve: (r: IteratorResult<ExecutionResult>) => void; reject: (e: Error) => void } | null = null;
  private readonly prefix: string;
  private readonly socket: WebSocket;
  private readonly sent = (): void => {
    this.inFlight--;
  };

  constructor(
    wire: Wire,
    private readonly maxBuffer: number,
    private readonly source: LiveSource,
    private readonly leave: () => void,
  ) {
    this.socket = wire.socket;
    this.prefix = `{"id":${JSON.stringify(wire.id)},"type":"next","payload":`;
  }

  write(body: string): void {
    if (this.closed || this.socket.readyState !== WS_OPEN) return;
    if (this.inFlight > this.maxBuffer) {
      this.fail(new Error(`subscriber too slow: more than ${this.maxBuffer} events waiting`));
      return;
    }
    this.inFlight++;
    this.socket.send(this.prefix + body, this.sent);
  }

  fail(error: Error): void {
    if (this.closed) return;
    this.close();
    const w = this.waiter;
    this.waiter = null;
    if (w) w.reject(error);
    else this.failure = error;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.failure) {
      const e = this.failure;
      this.failure = null;
      return Promise.reject(e);
    }
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    const w = this.waiter;
    this.waiter = null;
    w?.resolve(DONE);
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.leave();
    void this.source.return();
  }
}
