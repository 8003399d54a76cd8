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

// Links a marketer writes: bare addresses or href values, http(s) only. The frozen message is the only source of a
// click's destination, so a token can lead nowhere but to a link that message contained.
const LINK = /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

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
