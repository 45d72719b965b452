import { applyDecorators, Type } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { createHash } from 'node:crypto';

/** A serialized JSON answer and its entity tag (a hash of the bytes: equal answers, equal tags, on any replica). */
export interface Answer {
  body: Buffer;
  etag: string;
}

export function toAnswer(value: unknown): Answer {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** If-None-Match holds `etag` (or `*`), by the weak comparison RFC 9110 asks for. */
export function notModified(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const raw = Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch;
  for (const part of raw.split(',')) {
    const tag = part.trim();
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true;
  }
  return false;
}

interface HeaderReader {
  headers: Record<string, string | string[] | undefined>;
}

interface AnswerReply {
  header(name: string, value: string): AnswerReply;
  code(status: number): AnswerReply;
  send(payload?: Buffer): unknown;
}

/**
 * Sends a kept answer: 304 without a body when the caller already has it (If-None-Match), else the
 * bytes as they are. Answers depend on the caller's scope: private to its cache, revalidated each time.
 */
export function sendAnswer(req: HeaderReader, reply: AnswerReply, answer: Answer): void {
  reply.header('etag', answer.etag).header('cache-control', 'private, no-cache').header('vary', 'Authorization');
  if (notModified(req.headers['if-none-match'], answer.etag)) {
    reply.code(304).send();
    return;
  }
  reply.header('content-type', 'application/json; charset=utf-8').send(answer.body);
}

const ETAG_HEADER = { description: 'the answer\'s entity tag: send it back in If-None-Match', schema: { type: 'string' } };

/** OpenAPI of a route answering through `sendAnswer`: the body type, ETag, If-None-Match and the 304. */
export const ApiCachedAnswer = (type: Type<unknown>) =>
  applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of an earlier answer: 304 without a body while the answer is unchanged' }),
    ApiOkResponse({ type, headers: { ETag: ETAG_HEADER } }),
    ApiResponse({ status: 304, description: 'not modified: the answer still has the ETag given in If-None-Match', headers: { ETag: ETAG_HEADER } }),
  );
