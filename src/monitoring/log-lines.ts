import { Transform, TransformCallback } from 'node:stream';

/** One log line of a service task, as the engine's service logs carry it. */
export interface RawLogLine {
  stream: 'stdout' | 'stderr';
  timestamp: string | null;
  taskId: string | null;
  nodeId: string | null;
  message: string;
}

const STREAMS = ['stdout', 'stdout', 'stderr'] as const;

/**
 * Splits the engine's log stream into lines: Docker's multiplexed frames (8-byte header:
 * stream, 0, 0, 0, length) when the service has no TTY, raw bytes otherwise. Frames and lines
 * may be cut anywhere across chunks; a partial last line is emitted at the end.
 */
export class LogDemuxer extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private mode: 'unknown' | 'mux' | 'raw' = 'unknown';
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly timestamps: boolean) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    if (this.mode === 'unknown') {
      if (this.buf.length < 8) return done();
      this.mode = isFrameHeader(this.buf, 0) ? 'mux' : 'raw';
    }
    if (this.mode === 'raw') {
      this.text('stdout', this.buf.toString('utf8'));
      this.buf = Buffer.alloc(0);
      return done();
    }
    let i = 0;
    while (this.buf.length - i >= 8) {
      const len = this.buf.readUInt32BE(i + 4);
      if (this.buf.length - i - 8 < len) break;
      this.text(STREAMS[this.buf[i]] ?? 'stdout', this.buf.toString('utf8', i + 8, i + 8 + len));
      i += 8 + len;
    }
    this.buf = this.buf.subarray(i);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.buf.length) this.text('stdout', this.buf.toString('utf8'));
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partial[s]) this.push(parseLogLine(this.partial[s], s, this.timestamps));
      this.partial[s] = '';
    }
    done();
  }

  private text(stream: 'stdout' | 'stderr', text: string): void {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.push(parseLogLine(line.replace(/\r$/, ''), stream, this.timestamps));
  }
}

function isFrameHeader(b: Buffer, i: number): boolean {
  return b[i] <= 2 && b[i + 1] === 0 && b[i + 2] === 0 && b[i + 3] === 0;
}

/**
 * `[timestamp ]attrs message`: with `details=true` the engine puts the task's context before
 * the message as `k=v,k=v` (query-escaped, sorted), ending with com.docker.swarm.task.id.
 */
export function parseLogLine(line: string, stream: 'stdout' | 'stderr', timestamps: boolean): RawLogLine {
  let rest = line;
  let timestamp: string | null = null;
  if (timestamps) {
    const sp = rest.indexOf(' ');
    timestamp = sp < 0 ? rest : rest.slice(0, sp);
    rest = sp < 0 ? '' : rest.slice(sp + 1);
  }
  let taskId: string | null = null;
  let nodeId: string | null = null;
  const sp = rest.indexOf(' ');
  const head = sp < 0 ? rest : rest.slice(0, sp);
  if (head.includes('com.docker.swarm.')) {
    for (const kv of head.split(',')) {
      const eq = kv.indexOf('=');
      const key = kv.slice(0, eq);
      const value = unescapeQuery(kv.slice(eq + 1));
      if (key === 'com.docker.swarm.task.id') taskId = value;
      else if (key === 'com.docker.swarm.node.id') nodeId = value;
    }
    rest = sp < 0 ? '' : rest.slice(sp + 1);
  }
  return { stream, timestamp, taskId, nodeId, message: rest };
}

function unescapeQuery(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}
