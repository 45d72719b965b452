// Server-Sent Events read with fetch, because EventSource cannot send an Authorization header.
// SseParser follows the WHATWG event-stream rules; EventStream adds reconnection with
// exponential backoff (full jitter) and resumes after the last event id (Last-Event-ID), so
// nothing is missed while the connection was down.

/** Incremental text/event-stream parser: push() decoded text, get the complete events back. */
export class SseParser {
  constructor() {
    this.buffer = '';
    this.lastEventId = '';
    this.retry = null;
    this.pendingCR = false;
    this.resetEvent();
  }

  resetEvent() {
    this.data = [];
    this.type = '';
  }

  /** @returns {{ id: string, type: string, data: string }[]} */
  push(text) {
    const out = [];
    let s = this.buffer + text;
    // A CR ending the last chunk may be the first half of CRLF.
    if (this.pendingCR && s.startsWith('\n')) s = s.slice(1);
    this.pendingCR = false;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(s.slice(start, i), out);
      if (c === '\r') {
        if (i + 1 < s.length) {
          if (s[i + 1] === '\n') i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
    }
    this.buffer = s.slice(start);
    return out;
  }

  line(line, out) {
    if (line === '') {
      if (this.data.length) out.push({ id: this.lastEventId, type: this.type || 'message', data: this.data.join('\n') });
      this.resetEvent();
      return;
    }
    if (line[0] === ':') return; // comment (heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.type = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }
}

/** Delay before reconnect attempt `attempt` (0-based): base * 2^attempt, capped, full jitter in [cap/2, cap]. */
export function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/**
 * A resumable event stream. Status changes: 'connecting', 'live' ({ resumed }),
 * 'reconnecting' ({ inMs, error }), 'unauthenticated', 'stopped'.
 */
export class EventStream {
  constructor({
    url,
    headers = () => ({}),
    onEvent,
    onStatus = () => undefined,
    fetchImpl = (...a) => fetch(...a),
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
    random = Math.random,
    minDelayMs = 500,
    maxDelayMs = 15_000,
    idleTimeoutMs = 45_000,
    lastEventId = null,
  }) {
    Object.assign(this, { url, headers, onEvent, onStatus, fetchImpl, sleep, random, minDelayMs, maxDelayMs, idleTimeoutMs });
    this.lastEventId = lastEventId;
    this.attempt = 0;
    this.connections = 0;
    this.stopped = true;
    this.controller = null;
    this.serverRetryMs = null;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.done = this.run();
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
    this.onStatus('stopped', {});
  }

  /** Drops the current connection; the stream reconnects and resumes after the last id. */
  reconnectNow() {
    this.controller?.abort();
  }

  async run() {
    while (!this.stopped) {
      let error = null;
      try {
        await this.connectOnce();
      } catch (e) {
        error = e;
      }
      if (this.stopped) break;
      const inMs = backoffDelay(this.attempt++, Math.max(this.minDelayMs, this.serverRetryMs ?? 0), this.maxDelayMs, this.random);
      this.onStatus('reconnecting', { inMs, error: error ? String(error.message ?? error) : 'stream ended' });
      await this.sleep(inMs);
    }
  }

  async connectOnce() {
    this.onStatus('connecting', {});
    const controller = new AbortController();
    this.controller = controller;
    const headers = { accept: 'text/event-stream', ...this.headers() };
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    const res = await this.fetchImpl(this.url, { headers, signal: controller.signal, cache: 'no-store' });
    if (res.status === 401) {
      this.stopped = true;
      this.onStatus('unauthenticated', {});
      return;
    }
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const resumed = this.connections++ > 0;
    this.onStatus('live', { resumed });

    const parser = new SseParser();
    if (this.lastEventId) parser.lastEventId = this.lastEventId;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let idle = null;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), this.idleTimeoutMs);
    };
    arm();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        arm();
        this.attempt = 0; // the server talks to us: the next drop starts the backoff afresh
        for (const ev of parser.push(value)) {
          if (ev.id) this.lastEventId = ev.id;
          this.onEvent(ev);
        }
        if (parser.retry !== null) this.serverRetryMs = parser.retry;
      }
    } finally {
      clearTimeout(idle);
      reader.cancel().catch(() => undefined);
    }
  }
}
