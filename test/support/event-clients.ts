import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TOKENS, TokenName } from './harness';

/** One received Server-Sent Event. */
export interface SseEvent {
  id: string;
  type: string;
  data: any;
}

export interface SseClient {
  status: number;
  /** Error body when the stream was refused. */
  body?: any;
  events: SseEvent[];
  /** Resolves when the stream ends (server closed it, or close()). */
  ended: Promise<void>;
  close(): void;
}

/** Parses complete `\n\n`-terminated SSE blocks out of `buffer`; returns the rest. */
export function parseSse(buffer: string, onEvent: (e: SseEvent) => void): string {
  let i: number;
  while ((i = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, i);
    buffer = buffer.slice(i + 2);
    let id = '';
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const c = line.indexOf(':');
      const field = c < 0 ? line : line.slice(0, c);
      const value = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) onEvent({ id, type, data: JSON.parse(data.join('\n')) });
  }
  return buffer;
}

/** Opens GET /v1/events (query like "types=task&service=web") and collects its events. */
export async function openSse(baseUrl: string, token: TokenName | string | null, query = '', lastEventId?: string, onEvent?: (e: SseEvent) => void): Promise<SseClient> {
  const ac = new AbortController();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token in TOKENS ? TOKENS[token as TokenName] : token}`;
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const res = await fetch(`${baseUrl}/v1/events${query ? `?${query}` : ''}`, { headers, signal: ac.signal });
  const events: SseEvent[] = [];
  if (res.status !== 200) {
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, events, ended: Promise.resolve(), close: () => undefined };
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = parseSse(buffer + decoder.decode(value, { stream: true }), (e) => {
          events.push(e);
          onEvent?.(e);
        });
      }
    } catch {
      /* aborted or reset */
    }
  })();
  return { status: 200, events, ended, close: () => ac.abort() };
}

export interface GqlSubscription<T = any> {
  events: T[];
  /** The close event or error that ended the subscription, if any. */
  error: () => any;
  ended: Promise<void>;
  close(): Promise<void>;
}

export function wsClient(baseUrl: string, token: TokenName | string | null): Client {
  return createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token in TOKENS ? TOKENS[token as TokenName] : token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes over graphql-ws; `field` is the subscription's root field (its payloads are collected). */
export function subscribeGql<T = any>(baseUrl: string, token: TokenName | string | null, query: string, variables: Record<string, unknown> = {}, onEvent?: (v: T) => void, client?: Client): GqlSubscription<T> {
  const c = client ?? wsClient(baseUrl, token);
  const events: T[] = [];
  let err: any;
  const ended = new Promise<void>((resolve) => {
    c.subscribe(
      { query, variables },
      {
        next: (v: any) => {
          if (v.errors) {
            err = v.errors;
            return;
          }
          const value = Object.values(v.data ?? {})[0] as T;
          events.push(value);
          onEvent?.(value);
        },
        error: (e) => {
          err = e;
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return { events, error: () => err, ended, close: () => (client ? Promise.resolve() : c.dispose() as Promise<void>) };
}
