import type { ServerResponse } from 'node:http';
import { BusEvent } from './event.types';

/** The wire form of one event: `id:` is the stream entry id (the Last-Event-ID to resume from). */
export function sseMessage(e: BusEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`;
}

/** Streams open in this process (ended all at once when it stops). */
const open = new Set<SseConnection>();

/**
 * One Server-Sent Events response with a bounded send buffer. While the socket does not take
 * more (write() returned false) messages wait in memory, at most `maxBuffer` of them; one more,
 * or a buffer still full a whole heartbeat interval later, and the client is dropped.
 */
export class SseConnection {
  private readonly pending: string[] = [];
  private congestedSince: number | null = null;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBuffer: number,
    private readonly heartbeatMs: number,
    private readonly onClose: (reason: string) => void,
  ) {
    open.add(this);
    res.on('close', () => this.close('client went away'));
    res.on('drain', () => this.flush());
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Ends every open stream: the process is stopping. Ended cleanly while the process still runs,
   * each client reconnects after the announced `retry:` with its Last-Event-ID - to a replica
   * that is not stopping - instead of holding this one until it exits.
   */
  static endAll(): void {
    for (const c of [...open]) c.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(e: BusEvent): void {
    this.write(sseMessage(e));
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  write(chunk: string): void {
    if (this.closed) return;
    if (this.congestedSince !== null) {
      this.pending.push(chunk);
      if (this.pending.length > this.maxBuffer) this.drop(`more than ${this.maxBuffer} messages waiting for a slow client`);
      return;
    }
    if (!this.res.write(chunk)) this.congestedSince = Date.now();
  }

  /** Resolves once the socket takes more (or the connection ended): paces replays. */
  writable(): Promise<void> {
    if (this.closed || this.congestedSince === null) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  end(): void {
    if (this.closed) return;
    this.res.end();
    this.close('ended');
  }

  private flush(): void {
    this.congestedSince = null;
    while (this.pending.length && this.congestedSince === null) {
      if (!this.res.write(this.pending.shift() as string)) this.congestedSince = Date.now();
    }
    if (this.congestedSince === null) this.drainWaiters.splice(0).forEach((w) => w());
  }

  private beat(): void {
    if (this.congestedSince !== null && Date.now() - this.congestedSince >= this.heartbeatMs) {
      this.drop('write buffer full for a whole heartbeat interval');
      return;
    }
    this.write(': ping\n\n');
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
    this.pending.length = 0;
    this.drainWaiters.splice(0).forEach((w) => w());
    this.onClose(reason);
  }
}
