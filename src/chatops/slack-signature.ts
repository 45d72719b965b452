import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a Slack request timestamp may be from now (Slack's own guidance: 5 minutes). */
export const SLACK_MAX_SKEW_SECONDS = 300;

export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

/**
 * Why a Slack request signature (X-Slack-Signature, v0 HMAC-SHA256 over "v0:timestamp:body")
 * is not acceptable, or null when it is.
 */
export function slackSignatureProblem(
  secret: string,
  headers: { signature?: unknown; timestamp?: unknown },
  rawBody: Buffer | string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | null {
  const { signature, timestamp } = headers;
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'missing X-Slack-Signature or X-Slack-Request-Timestamp';
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-Slack-Request-Timestamp is not a Unix time';
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return 'X-Slack-Request-Timestamp is more than 5 minutes away (replayed or clock skew)';
  if (rawBody === undefined) return 'no request body to verify';
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'X-Slack-Signature does not match';
  return null;
}
