import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison of a presented credential with the secret. Both sides are hashed
 * first, so the comparison takes the same time whatever the presented length.
 */
export function secretMatches(secret: Buffer, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(secret).digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The credential of an `Authorization: Bearer <secret>` header, if any. */
export function bearer(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer ([^\s]+)$/.exec(header.trim());
  return m ? m[1] : undefined;
}
