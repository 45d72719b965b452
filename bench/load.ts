import net from 'node:net';

export interface LoadTarget {
  /** `http://host:port` or a unix socket path */
  base: string;
  path: string;
  headers?: Record<string, string>;
  /** the status an answer must have to count (200 unless said) */
  status?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * HTTP/1.1 answers read off a socket: status, then the body skipped by Content-Length or by
 * chunks (the engine streams large lists chunked), without copying or decoding it. Answers to
 * HEAD requests are not expected (GET only).
 */
export class AnswerReader {
  private tail: Buffer | null = null;
  private state: 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailer' = 'head';
  private remaining = 0;
  private status = 0;

  /** `answered(status)` once per complete answer; throws on what it cannot read. */
  constructor(private readonly answered: (status: number) => void) {}

  push(chunk: Buffer): void {
    const buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = null;
    let i = 0;
    while (i < buf.length) {
      if (this.state === 'head') {
        const end = buf.indexOf(CRLF2, i);
        if (end < 0) break;
        const head = buf.toString('latin1', i, end);
        i = end + 4;
        this.status = Number(head.slice(9, 12));
        if (this.status === 304 || this.status === 204 || this.status < 200) {
          this.done();
          continue;
        }
        if (/\r\ntransfer-encoding:[ \t]*chunked/i.test(head)) this.state = 'size';
        else {
          const len = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
          if (!len) throw new Error(`an answer without a length: ${head.split('\r\n')[0]}`);
          this.remaining = Number(len[1]);
          if (this.remaining === 0) this.done();
          else this.state = 'length';
        }
      } else if (this.state === 'length' || this.state === 'data' || this.state === 'data-end') {
        const n = Math.min(this.remaining, buf.length - i);
        this.remaining -= n;
        i += n;
        if (this.remaining > 0) continue;
        if (this.state === 'length') this.done();
        else if (this.state === 'data') {
          this.state = 'data-end'; // the CRLF after a chunk's data
          this.remaining = 2;
        } else this.state = 'size';
      } else {
        const eol = buf.indexOf(CRLF, i);
        if (eol < 0) break;
        if (this.state === 'size') {
          const size = parseInt(buf.toString('latin1', i, eol), 16);
          if (Number.isNaN(size)) throw new Error('a bad chunk size');
          this.state = size === 0 ? 'trailer' : 'data';
          this.remaining = size;
        } else if (eol === i) this.done(); // the empty line after the last chunk (and its trailers)
        i = eol + 2;
      }
    }
    if (i < buf.length) this.tail = buf.subarray(i);
  }

  private done(): void {
    this.state = 'head';
    this.answered(this.status);
  }
}

/**
 * A tiny wrk: `connections` keep-alive connections, each sending the next request as soon as the
 * previous answer is read, for `durationMs`. Latency per request, rate overall. Plain sockets with
 * the request bytes made once and the answers' bodies skipped, not parsed: the generator's own CPU
 * per request stays well below what the servers it measures spend (node's http client spent more
 * per request than the product it measured).
 */
export async function runLoad(target: LoadTarget, connections = 10, durationMs = 5000): Promise<LoadResult> {
  const unix = !target.base.startsWith('http');
  const url = unix ? null : new URL(target.base);
  const head = Object.entries({ host: 'localhost', ...target.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const request = Buffer.from(`GET ${target.path} HTTP/1.1\r\n${head}\r\n`, 'latin1');
  const want = target.status ?? 200;
  const latencies: number[] = [];
  let errors = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;

  const connection = () =>
    new Promise<void>((resolve) => {
      let sentAt = 0n;
      let busy = false;
      const socket = unix ? net.connect(target.base) : net.connect(Number(url!.port), url!.hostname);
      socket.setNoDelay(true);
      const send = () => {
        if (Date.now() >= deadline) return socket.end();
        busy = true;
        sentAt = process.hrtime.bigint();
        socket.write(request);
      };
      const reader = new AnswerReader((status) => {
        busy = false;
        if (status === want) latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
        else errors++;
        send();
      });
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        try {
          reader.push(chunk);
        } catch {
          errors++;
          socket.destroy();
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (busy) errors++;
        // The server closed a connection it should have kept: open another while there is time.
        if (busy && Date.now() < deadline) connection().then(resolve);
        else resolve();
      });
    });
  await Promise.all(Array.from({ length: connections }, connection));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rate: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}
