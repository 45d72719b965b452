import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { toAppError } from './error.filter';

/** One Server-Sent Events message: `id:` (what EventSource sends back as Last-Event-ID), `event:`, JSON `data:`. */
export interface SseMessage {
  id?: string | number;
  event: string;
  data: unknown;
}

export interface SseOptions {
  heartbeatMs: number;
  /**
   * Drop a client whose socket took nothing for a whole heartbeat interval: for live feeds, whose
   * source keeps producing (and buffering) while the client does not read.
   */
  dropStalled?: boolean;
  /** Runs once when the stream ends, however it ends, with why. */
  onClose?: (reason: string) => void;
}

/** The part of a response the writer uses (a ServerResponse; a fake in unit tests). */
export type SseResponse = Pick<ServerResponse, 'write' | 'end' | 'destroy' | 'on' | 'once' | 'removeListener'>;

export function sseMessage(m: SseMessage): string {
  return `${m.id !== undefined ? `id: ${m.id}\n` : ''}event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`;
}

/** Streams open in this process (ended all at once when it stops). */
const open = new Set<SseWriter>();

/**
 * The one Server-Sent Events writer (live events, followed logs). It pulls the next message only
 * once the socket took the last one, so a slow client slows its source instead of filling memory;
 * heartbeat comments keep an idle connection open. The source ending sends `event: end`, a source
 * error `event: error` with its code; the client leaving closes the source (destroy(), or its
 * iterator's return()), which closes what stands behind it (an engine stream, a subscription).
 */
export class SseWriter {
  private closed = false;
  private congestedSince: number | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closers: Array<() => void> = [];
  private drained: (() => void) | null = null;

  constructor(
    private readonly res: SseResponse,
    private readonly opts: SseOptions,
  ) {
    open.add(this);
    res.on('close', () => this.close('client went away'));
    res.on('drain', () => this.onDrain());
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Ends every open stream: the process is stopping. Ended while the process still runs (no
   * `event: end`: the source did not end), each event client reconnects after the announced
   * `retry:` with its Last-Event-ID - to a replica that is not stopping - instead of holding
   * this one until it exits.
   */
  static endAll(): void {
    for (const w of [...open]) w.stop();
  }

  private stop(): void {
    if (this.closed) return;
    this.close('the process is stopping');
    this.res.end(': stopping\n\n');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes `source` (each item as `toMessage` says) until it ends, fails, or the client leaves. */
  async pipe<T>(source: AsyncIterable<T>, toMessage: (item: T, n: number) => SseMessage): Promise<void> {
    const it = source[Symbol.asyncIterator]();
    this.closers.push(() => {
      (source as { destroy?: () => void }).destroy?.();
      void it.return?.()?.catch(() => undefined);
    });
    let n = 0;
    try {
      while (!this.closed) {
        const r = await it.next();
        if (r.done || this.closed) break;
        this.write(sseMessage(toMessage(r.value, ++n)));
        await this.writable();
      }
      this.finish('end', {});
    } catch (e) {
      const err = toAppError(e);
      this.finish('error', { code: err.code, message: err.message });
    }
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  write(chunk: string): void {
    if (this.closed) return;
    if (!this.res.write(chunk) && this.congestedSince === null) this.congestedSince = Date.now();
  }

  /** Resolves once the socket takes more (or the stream closed). */
  private writable(): Promise<void> {
    if (this.closed || this.congestedSince === null) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  private onDrain(): void {
    this.congestedSince = null;
    this.wake();
  }

  private wake(): void {
    const d = this.drained;
    this.drained = null;
    d?.();
  }

  /** The last message, then the end of the response (a socket that takes nothing is cut instead). */
  private finish(event: 'end' | 'error', data: unknown): void {
    if (this.closed) return;
    if (this.congestedSince !== null) return this.drop(`${event} while the client does not read`);
    this.close(event === 'end' ? 'source ended' : `source failed: ${(data as { message?: string }).message}`);
    this.res.end(sseMessage({ event, data }));
  }

  private beat(): void {
    if (this.opts.dropStalled && this.congestedSince !== null && Date.now() - this.congestedSince >= this.opts.heartbeatMs) {
      this.drop('write buffer full for a whole heartbeat interval');
      return;
    }
    if (this.congestedSince === null) this.write(': ping\n\n');
  }

  private drop(reason: string): void {
    this.close(reason);
    this.res.destroy();
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this);
    clearInterval(this.heartbeat);
    this.wake();
    for (const c of this.closers.splice(0)) c();
    this.opts.onClose?.(reason);
  }
}

/** Hijacks the reply and opens the event stream: status, headers, the reconnect delay, a first comment. */
export function openSse(reply: FastifyReply, opts: SseOptions): SseWriter {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  const writer = new SseWriter(res, opts);
  writer.write('retry: 2000\n\n');
  writer.comment('connected');
  return writer;
}
