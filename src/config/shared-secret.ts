import { readFileSync } from 'node:fs';

/** Shortest shared secret accepted (bytes, after trimming the file's surrounding whitespace). */
export const MIN_SECRET_BYTES = 16;

/**
 * Reads a shared secret from a file (a Swarm secret under /run/secrets). Returns an error
 * message instead of throwing, so each program's config loader can name its own variable.
 */
export function readSharedSecret(file: string): { secret: Buffer } | { error: string } {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as Error).message}` };
  }
  const secret = Buffer.from(raw.trim(), 'utf8');
  if (secret.length < MIN_SECRET_BYTES) return { error: `the secret in ${file} is shorter than ${MIN_SECRET_BYTES} bytes` };
  // It travels in an Authorization header: printable ASCII without spaces (hex or base64 is).
  if (!/^[\x21-\x7e]+$/.test(raw.trim())) return { error: `the secret in ${file} must be printable ASCII without spaces (e.g. openssl rand -hex 32)` };
  return { secret };
}
