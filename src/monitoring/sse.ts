import { Readable } from 'node:stream';
import { FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../common/error.filter';

export interface SseOptions {
  event: string;
  heartbeatMs: number;
  onClose?: () => void;
}

/**
 * Streams an object stream as Server-Sent Events on the raw response (`id`, `event`, JSON
 * `data`), with heartbeat comments. Backpressure pauses the source instead of buffering; when
 * the client goes away the source is destroyed (which closes the engine stream behind it).
 * The source ending sends `event: end`; a source error sends `event: error` with its code.
 */
export function sendSse(req: FastifyRequest, reply: FastifyReply, source: Readable, opts: SseOptions): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(req.id),
  });
  res.write(': stream open\n\n');
  let id = 0;
  let closed = false;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs);
  heartbeat.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    source.destroy();
    opts.onClose?.();
  };
  const finish = (event: string, data: unknown) => {
    if (closed) return;
    res.end(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    close();
  };
  source.on('data', (item: unknown) => {
    if (!res.write(`id: ${++id}\nevent: ${opts.event}\ndata: ${JSON.stringify(item)}\n\n`)) {
      source.pause();
      res.once('drain', () => source.resume());
    }
  });
  source.on('end', () => finish('end', {}));
  source.on('error', (e) => {
    const err = toAppError(e);
    finish('error', { code: err.code, message: err.message });
  });
  res.on('close', close);
}
