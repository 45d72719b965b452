/** Errors of a connection that never got an answer: the endpoint is away, not the swarm. */
export const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EACCES', 'ENETUNREACH']);

/**
 * A manager that answers but whose swarm has no leader (an election, or the quorum lost): its
 * raft proxy says so, or times out reaching a leader. Not the same as a dead endpoint.
 */
export const NO_LEADER = /does not have a leader|lost leader status|no leader|leadership (lost|changed)|raft: failed to process|DeadlineExceeded|context deadline exceeded|code = Unavailable/i;

type RawError = { code?: string; statusCode?: number; message?: string; json?: { message?: string } | null };

function messageOf(err: unknown): string {
  const e = err as RawError;
  return e?.json?.message ?? (typeof e?.message === 'string' ? e.message : '');
}

/** No answer at all: refused, reset, timed out, or the endpoint was found dead meanwhile. */
export function isConnectionFailure(err: unknown): boolean {
  if (err instanceof EndpointDeadError) return true;
  const e = err as RawError;
  if (e?.code && CONNECTION_CODES.has(e.code)) return true;
  return !e?.statusCode && /timeout|socket hang up/i.test(messageOf(err));
}

/** The manager answered that its swarm has no leader. */
export function isNoLeader(err: unknown): boolean {
  const e = err as RawError;
  return !!e?.statusCode && e.statusCode >= 500 && NO_LEADER.test(messageOf(err));
}

/** A call abandoned because its endpoint failed a health probe while the call waited. */
export class EndpointDeadError extends Error {
  readonly code = 'ENDPOINT_DEAD';
}

export interface PingClient {
  ping(): Promise<unknown>;
}

export interface EndpointStatus {
  url: string;
  healthy: boolean;
  current: boolean;
  /** Why it was last found dead (null while healthy). */
  lastError: string | null;
  /** When it was last found dead or healthy again (ms since the epoch). */
  since: number;
}

/** One manager endpoint: its clients, whether it answers, the streams opened on it. */
export class EngineEndpoint<C extends PingClient> {
  healthy = true;
  lastError: string | null = null;
  since = Date.now();
  private probing: Promise<boolean> | null = null;
  private readonly deadListeners = new Set<(e: Error) => void>();
  private readonly streams = new Set<{ destroy?: () => void }>();
  private streamClientV?: C;

  constructor(
    readonly url: string,
    readonly client: C,
    private readonly probeClient: C,
    private readonly makeStreamClient: () => C,
    private readonly probeMs: number,
  ) {}

  /** A client without a request timeout, for long-lived streams (events, followed logs). */
  get streamClient(): C {
    return (this.streamClientV ??= this.makeStreamClient());
  }

  /** One health probe at a time: a ping that must answer within probeMs. */
  probe(): Promise<boolean> {
    if (this.probing) return this.probing;
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.probeMs);
    });
    const ping = this.probeClient.ping().then(
      () => true,
      // Any answer (even an error status) proves the engine is there; only silence fails.
      (e: unknown) => !isConnectionFailure(e),
    );
    this.probing = Promise.race([ping, silence]).finally(() => {
      clearTimeout(timer);
      this.probing = null;
    });
    return this.probing;
  }

  markDead(why: string): boolean {
    if (!this.healthy) return false;
    this.healthy = false;
    this.lastError = why;
    this.since = Date.now();
    const err = new EndpointDeadError(`engine ${this.url} did not answer (${why})`);
    for (const l of [...this.deadListeners]) l(err);
    for (const s of this.streams) s.destroy?.();
    this.streams.clear();
    return true;
  }

  markHealthy(): boolean {
    if (this.healthy) return false;
    this.healthy = true;
    this.lastError = null;
    this.since = Date.now();
    return true;
  }

  onDead(listener: (e: Error) => void): () => void {
    this.deadListeners.add(listener);
    return () => this.deadListeners.delete(listener);
  }

  track(stream: { destroy?: () => void; once?: (ev: string, fn: () => void) => unknown }): void {
    this.streams.add(stream);
    stream.once?.('close', () => this.streams.delete(stream));
  }
}

/** What a write did when its first endpoint failed: landed (with its result) or not at all. */
export type Landed<T> = { landed: true; value: T } | { landed: false };

export interface RunOptions<C, T> {
  /**
   * For writes: before a write that failed without an answer is sent to another endpoint, this
   * re-reads the object there. A write that landed is not sent again.
   */
  landed?: (client: C) => Promise<Landed<T>>;
}

export interface PoolOptions<C> {
  /** Client for `url` with a request timeout (0: none). */
  client: (url: string, timeoutMs: number) => C;
  timeoutMs: number;
  /** A call without an answer after this long gets its endpoint probed, with this timeout; dead ones are probed this often. */
  probeMs: number;
  onFailover?: (from: string, to: string, why: string) => void;
  onHealth?: (url: string, healthy: boolean, why: string | null) => void;
}

/**
 * The swarm managers' engine endpoints (DOCKER_HOST may list several). Calls go to the current
 * endpoint; one that does not answer (refused, reset, timed out, or silent through a health
 * probe: at most 2 x probeMs after the call started) is marked dead, skipped, and probed again
 * every probeMs until it answers; the call goes to the next endpoint. A manager answering "no
 * leader" is alive: another endpoint is asked once (it may be on the majority's side), and if
 * none has a leader the answer stands. Writes go elsewhere only after `landed` says the first
 * attempt did not land, so a write is never applied twice.
 */
export class EnginePool<C extends PingClient> {
  readonly endpoints: EngineEndpoint<C>[];
  private currentIndex = 0;
  failovers = 0;
  private probeTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    urls: string[],
    private readonly opts: PoolOptions<C>,
  ) {
    if (urls.length === 0) throw new Error('no engine endpoint');
    this.endpoints = urls.map(
      (u) => new EngineEndpoint(u, opts.client(u, opts.timeoutMs), opts.client(u, opts.probeMs), () => opts.client(u, 0), opts.probeMs),
    );
  }

  get current(): EngineEndpoint<C> {
    return this.endpoints[this.currentIndex];
  }

  status(): EndpointStatus[] {
    return this.endpoints.map((e, i) => ({ url: e.url, healthy: e.healthy, current: i === this.currentIndex, lastError: e.lastError, since: e.since }));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  /**
   * The order to try: the current endpoint and the other healthy ones after it (list order,
   * wrapping); when none is healthy, all of them (a dead one may be back before its probe).
   */
  private candidates(): EngineEndpoint<C>[] {
    const n = this.endpoints.length;
    const rotated = Array.from({ length: n }, (_, i) => this.endpoints[(this.currentIndex + i) % n]);
    const healthy = rotated.filter((e) => e.healthy);
    return healthy.length ? healthy : rotated;
  }

  async run<T>(op: (client: C) => Promise<T>, opts: RunOptions<C, T> = {}): Promise<T> {
    const tried: EngineEndpoint<C>[] = [];
    let lastError: unknown;
    // A manager that answered "no leader" says more than one that did not answer at all.
    let noLeader: unknown;
    let pendingWrite = false;
    for (const ep of this.candidates()) {
      try {
        if (pendingWrite && opts.landed) {
          const l = await this.attempt(ep, opts.landed);
          if (l.landed) {
            this.answered(ep, tried);
            return l.value;
          }
        }
        const value = await this.attempt(ep, op);
        this.answered(ep, tried);
        return value;
      } catch (e) {
        lastError = e;
        tried.push(ep);
        if (isConnectionFailure(e)) {
          this.setDead(ep, e);
        } else if (isNoLeader(e)) {
          noLeader ??= e;
        } else {
          // An answer (404, 409, 400 ...): the endpoint works and this is the result.
          this.answered(ep, tried.slice(0, -1));
          throw e;
        }
        if (this.endpoints.length === 1) throw e;
        pendingWrite = true;
      }
    }
    throw noLeader ?? lastError;
  }

  /** Opens a long-lived stream on the current endpoint (or the next that answers); it is destroyed if that endpoint dies. */
  async stream<S extends { destroy?: () => void }>(op: (client: C) => Promise<S>): Promise<S> {
    let lastError: unknown;
    let noLeader: unknown;
    for (const ep of this.candidates()) {
      try {
        const s = await op(ep.streamClient);
        ep.track(s as never);
        return s;
      } catch (e) {
        lastError = e;
        if (!isConnectionFailure(e) && !isNoLeader(e)) throw e;
        if (isConnectionFailure(e)) this.setDead(ep, e);
        else noLeader ??= e;
        if (this.endpoints.length === 1) throw e;
      }
    }
    throw noLeader ?? lastError;
  }

  /**
   * One call on one endpoint. With other endpoints to go to, a call still waiting after
   * probeMs has its endpoint probed; a failed probe abandons the call (EndpointDeadError).
   */
  private attempt<T>(ep: EngineEndpoint<C>, op: (client: C) => Promise<T>): Promise<T> {
    const call = op(ep.client);
    if (this.endpoints.length === 1) return call;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        off();
      };
      const off = ep.onDead((e) => {
        if (settled) return;
        finish();
        reject(e);
      });
      const timer = setTimeout(() => {
        void ep.probe().then((ok) => {
          if (!ok && !settled) this.setDead(ep, new Error(`no answer to a health probe within ${this.opts.probeMs} ms`));
        });
      }, this.opts.probeMs);
      call.then(
        (v) => {
          if (settled) return;
          finish();
          resolve(v);
        },
        (e: unknown) => {
          if (settled) return;
          finish();
          reject(e);
        },
      );
    });
  }

  /** `ep` answered: it becomes the current endpoint (a failover when it was not). */
  private answered(ep: EngineEndpoint<C>, failedBefore: EngineEndpoint<C>[]): void {
    if (ep.markHealthy()) this.opts.onHealth?.(ep.url, true, null);
    const i = this.endpoints.indexOf(ep);
    if (i === this.currentIndex) return;
    const from = this.current;
    this.currentIndex = i;
    this.failovers++;
    const why = failedBefore.includes(from) ? (from.healthy ? 'no leader' : (from.lastError ?? 'unreachable')) : 'unreachable';
    this.opts.onFailover?.(from.url, ep.url, why);
  }

  private setDead(ep: EngineEndpoint<C>, e: unknown): void {
    const why = (e as Error)?.message || String((e as RawError)?.code ?? 'no answer');
    if (!ep.markDead(why)) return;
    this.opts.onHealth?.(ep.url, false, why);
    this.scheduleProbes();
  }

  /** While any endpoint is dead, probe the dead ones every probeMs. */
  private scheduleProbes(): void {
    if (this.probeTimer || this.stopped) return;
    this.probeTimer = setTimeout(async () => {
      this.probeTimer = undefined;
      const dead = this.endpoints.filter((e) => !e.healthy);
      await Promise.all(
        dead.map(async (ep) => {
          if ((await ep.probe()) && ep.markHealthy()) this.opts.onHealth?.(ep.url, true, null);
        }),
      );
      if (this.endpoints.some((e) => !e.healthy)) this.scheduleProbes();
    }, this.opts.probeMs);
    this.probeTimer.unref?.();
  }
}
