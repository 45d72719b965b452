/** One Server-Sent Events message. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface SseReadOptions {
  /** Comment lines (`: ping`, `: replayed`), without the colon. */
  onComment?: (text: string) => void;
  /** A `retry:` field: the server's reconnection delay in milliseconds. */
  onRetry?: (ms: number) => void;
}

/** Parses an SSE body (WHATWG event-stream format) into messages, as they arrive. */
export async function* readSse(body: ReadableStream<Uint8Array>, opts: SseReadOptions = {}): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (let eof = false; !eof; ) {
      const { value, done } = await reader.read();
      if (done) eof = true;
      else buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
        if (buffer[nl] === '\r' && nl === buffer.length - 1 && !eof) break;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length) yield { ...(id !== undefined ? { id } : {}), event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) {
          opts.onComment?.(line.slice(1).trimStart());
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) opts.onRetry?.(Number(value));
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export interface FollowOptions extends SseReadOptions {
  /** Resume after this id (sent as Last-Event-ID). */
  lastEventId?: string;
  /** Reconnect when the stream ends or breaks, resuming after the last id seen (default true). */
  reconnect?: boolean;
  /** Reconnect attempts in a row that may fail before giving up (default 5). */
  maxFailures?: number;
  signal?: AbortSignal;
  /** Called on every (re)connection that answered 200. */
  onOpen?: (response: Response) => void;
}

/**
 * Follows an SSE resource across disconnects, like EventSource: after a drop it reconnects with
 * `Last-Event-ID` set to the last id received, so nothing is missed or repeated (as far as the
 * server keeps events). `open` makes the request; a non-2xx answer is handed to `onRefused`,
 * which throws to stop (4xx) or returns to retry (429, 5xx).
 */
export async function* followSse(
  open: (lastEventId: string | undefined, signal: AbortSignal | undefined) => Promise<Response>,
  onRefused: (response: Response, failures: number) => Promise<void>,
  opts: FollowOptions = {},
): AsyncGenerator<SseMessage> {
  let lastEventId = opts.lastEventId;
  let retryMs = 2000;
  let failures = 0;
  const maxFailures = opts.maxFailures ?? 5;
  const reconnect = opts.reconnect ?? true;
  for (;;) {
    if (opts.signal?.aborted) return;
    let res: Response | undefined;
    try {
      res = await open(lastEventId, opts.signal);
    } catch (e) {
      if (opts.signal?.aborted) return;
      if (!reconnect || ++failures > maxFailures) throw e;
    }
    if (res && !res.ok) {
      failures++;
      await onRefused(res, failures); // throws when it is not worth retrying
      if (!reconnect || failures > maxFailures) throw new Error(`stream refused ${failures} times in a row (last: ${res.status})`);
    } else if (res?.body) {
      failures = 0;
      opts.onOpen?.(res);
      try {
        for await (const m of readSse(res.body, { ...opts, onRetry: (ms) => ((retryMs = ms), opts.onRetry?.(ms)) })) {
          if (m.id !== undefined) lastEventId = m.id;
          yield m;
        }
      } catch (e) {
        if (opts.signal?.aborted) return;
        if (!reconnect) throw e;
      }
      if (!reconnect) return;
    }
    if (opts.signal?.aborted) return;
    await sleep(Math.min(retryMs * 2 ** Math.max(0, failures - 1), 30_000), opts.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
