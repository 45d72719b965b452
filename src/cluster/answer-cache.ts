import { Injectable } from '@nestjs/common';
import { Caller } from '../common/auth/roles';
import { Answer, keptAnswer, toAnswer } from '../common/http/cached-answer';
import type { Snapshot } from './cluster-state.service';

/** Bounds of what one read-model version keeps: queries are the callers' to choose. */
const MAX_ENTRIES = 4096;
const MAX_BYTES = 32 * 1024 * 1024;

/** What a scoped token sees differs; tokens of the same scope share answers. */
export function scopeKey(caller: Caller | undefined): string {
  const labels = caller?.scope?.labels;
  return labels ? JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : '*';
}

/**
 * Serialized list answers, kept per read-model version: a list is filtered, paged and serialized
 * once per version, caller scope and query; every other request for it sends the same bytes (or a
 * 304), gzipped once for the requests that accept it. A new version drops the answers of the
 * previous one. FIFO-bounded in entries and (uncompressed) bytes.
 */
@Injectable()
export class AnswerCache {
  private version = -1;
  private readonly entries = new Map<string, Answer>();
  private bytes = 0;

  get(snap: Snapshot, key: string, build: () => unknown): Answer {
    if (snap.version !== this.version) {
      this.entries.clear();
      this.bytes = 0;
      this.version = snap.version;
    }
    const kept = this.entries.get(key);
    if (kept) return kept;
    const answer = toAnswer(build());
    if (answer.body.length > MAX_BYTES) return answer;
    for (const [k, a] of this.entries) {
      if (this.entries.size < MAX_ENTRIES && this.bytes + answer.body.length <= MAX_BYTES) break;
      this.entries.delete(k);
      this.bytes -= a.body.length;
    }
    this.entries.set(key, keptAnswer(answer));
    this.bytes += answer.body.length;
    return answer;
  }
}
