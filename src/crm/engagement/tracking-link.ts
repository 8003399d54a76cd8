import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a tracking address stands for: one message, and for a click which of its links (by position). */
export interface TrackedTarget { logId: number; link: number | null }

// A purpose of its own in the MAC, so a tracking token can never pass for an unsubscribe token or the reverse.
const mac = (key: string, payload: string) => createHmac('sha256', key).update(`track:${payload}`).digest().subarray(0, 12);

export function trackingToken(key: string, target: TrackedTarget): string {
  const payload = `${target.logId}.${target.link ?? ''}`;
  return `${Buffer.from(payload).toString('base64url')}.${mac(key, payload).toString('base64url')}`;
}

/** The target of a token, or null when it is not one this CRM made. Nothing about anyone is in the token itself. */
export function readTrackingToken(key: string, token: string): TrackedTarget | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || body.length > 60) return null;
  const payload = Buffer.from(body, 'base64url').toString();
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const match = /^(\d{1,15})\.(\d{0,3})$/.exec(payload);
  if (!match) return null;
  return { logId: Number(match[1]), link: match[2] === '' ? null : Number(match[2]) };
}

// A short link for SMS, where every character costs: the message and link in base 36 and a 6-byte MAC, with a
// purpose of its own. At most SHORT_TOKEN_MAX characters, so a text's length can be counted before it is sent.
const shortMac = (key: string, payload: string) => createHmac('sha256', key).update(`short:${payload}`).digest().subarray(0, 6);
export const SHORT_TOKEN_MAX = 22;

export function shortTrackingToken(key: string, target: { logId: number; link: number }): string {
  const payload = `${target.logId.toString(36)}-${target.link.toString(36)}`;
  return `${payload}.${shortMac(key, payload).toString('base64url')}`;
}

export function readShortTrackingToken(key: string, token: string): TrackedTarget | null {
  const match = /^([0-9a-z]{1,10})-([0-9a-z]{1,2})\.([A-Za-z0-9_-]{8})$/.exec(token);
  if (!match) return null;
  const given = Buffer.from(match[3], 'base64url');
  const expected = shortMac(key, `${match[1]}-${match[2]}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { logId: parseInt(match[1], 36), link: parseInt(match[2], 36) };
}

/** Where a short link of this CRM points, and how long one can be: texts are measured with links this long. */
export const shortLinkBase = (publicUrl: string) => new URL('/t/s/', publicUrl).toString();
export const shortLinkLength = (publicUrl: string) => shortLinkBase(publicUrl).length + SHORT_TOKEN_MAX;

// Links a marketer writes: bare addresses or href values, http(s) only. The frozen message is the only source of a
// click's destination, so a token can lead nowhere but to a link that message contained.
const LINK = /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

/** The same pattern for PostgreSQL (an ARE), to measure frozen texts with their links shortened. */
export const LINK_SQL_PATTERN = `https?://[^\\s<>"')\\]]+[^\\s<>"')\\].,;:!?]`;

export function messageLinks(message: string): string[] {
  return [...message.matchAll(LINK)].map((m) => m[0].replace(/&amp;/g, '&'));
}

/**
 * The message with each link replaced by what `replace` gives for it, its position, and whether it stands in an
 * href already (then only the address is replaced; otherwise the caller may wrap it in a link).
 */
export function replaceLinks(message: string, replace: (url: string, index: number, inHref: boolean) => string): string {
  let index = 0;
  return message.replace(LINK, (url: string, at: number) => replace(url.replace(/&amp;/g, '&'), index++, /href=["']$/i.test(message.slice(Math.max(0, at - 6), at))));
}
