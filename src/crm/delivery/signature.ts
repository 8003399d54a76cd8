import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Requests between the CRM and the messaging vendor are signed both ways: HMAC-SHA256 over "timestamp.body" with a
 * shared secret, sent as `X-Signature: t=<unix seconds>,v1=<hex>`. The timestamp bounds replays to a short window.
 */
export const SIGNATURE_HEADER = 'x-signature';
export const REPLAY_WINDOW_SECONDS = 300;

export function sign(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  const digest = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return `t=${at},v1=${digest}`;
}

/** Why a signature is not acceptable, or null when it is. */
export function signatureProblem(secret: string, header: string | undefined, body: Buffer | string, now = Math.floor(Date.now() / 1000)): string | null {
  if (!header) return 'the request is not signed (X-Signature is missing)';
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const at = Number(parts.t);
  if (!Number.isInteger(at) || !parts.v1) return 'X-Signature must look like t=<unix seconds>,v1=<hex>';
  if (Math.abs(now - at) > REPLAY_WINDOW_SECONDS) return `the signature is older than ${REPLAY_WINDOW_SECONDS} seconds (or from the future)`;
  const expected = createHmac('sha256', secret).update(`${at}.`).update(body).digest();
  const given = Buffer.from(parts.v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the signature does not match';
  return null;
}
