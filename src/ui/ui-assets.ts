import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** URL prefix of the dashboard. */
export const UI_PREFIX = '/ui/';

/**
 * The dashboard's folder (`ui/` at the repository root, beside package.json). Found by walking up
 * from this file, so the compiled app (dist/ui/) and the test build (.build/src/ui/) agree.
 */
export function uiRoot(from: string = __dirname): string | null {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const root = join(dir, 'ui');
      return existsSync(join(root, 'index.html')) ? root : null;
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * Headers of every dashboard file. The page holds no data (every call goes to the API with the
 * tab's own token), so the files need no token; the CSP allows only this origin's scripts,
 * styles and connections: no inline script, no eval, no third party, no framing.
 */
export const UI_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  // No hashed file names: revalidate (ETag / Last-Modified) so an upgrade shows at once.
  'cache-control': 'no-cache',
};
