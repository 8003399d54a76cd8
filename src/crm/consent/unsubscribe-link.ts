import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../../db/sql.js';
import { BadInput } from '../errors.js';
import type { Channel } from '../campaigns/audience.js';

/** What an unsubscribe link stands for: one customer, one channel, from one message, issued at a time. */
export interface UnsubscribeClaim { customerId: number; channel: Channel; logId: number; issuedAt: number }

export class BadUnsubscribeLink extends BadInput {
  constructor(message: string) {
    super([{ path: 'token', message }], message);
  }
  override get code() {
    return 'bad_unsubscribe_link';
  }
}

const claim = z.tuple([z.coerce.number().int().positive(), z.enum(['email', 'sms']), z.coerce.number().int().nonnegative(), z.coerce.number().int().positive()]);

/**
 * The key that signs unsubscribe links: UNSUBSCRIBE_SECRET when set, otherwise one this CRM made on its first
 * send and keeps in its database, so links in emails already delivered keep working after a restart.
 */
export async function unsubscribeKey(db: Queryable, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.query(`insert into crm_settings (key, value) values ('unsubscribe_key', $1) on conflict (key) do nothing`, [randomBytes(32).toString('base64url')]);
  const { rows } = await db.query<{ value: string }>(`select value from crm_settings where key = 'unsubscribe_key'`);
  return rows[0].value;
}

const mac = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, 18);

/** A token for the link: the claim in the clear (nothing secret in it) and a MAC that no one without the key can make. */
export function unsubscribeToken(key: string, c: UnsubscribeClaim): string {
  const payload = `${c.customerId}.${c.channel}.${c.logId}.${c.issuedAt}`;
  return `${Buffer.from(payload).toString('base64url')}.${mac(key, payload).toString('base64url')}`;
}

/**
 * The claim of a token, or a BadUnsubscribeLink saying why not: not one of ours (bad shape or MAC, which covers a
 * link from another CRM), or older than `maxAgeDays` (a law-abiding sender honours links for at least 30 days; the
 * default here is a year).
 */
export function readUnsubscribeToken(key: string, token: string, maxAgeDays: number, now = Date.now()): UnsubscribeClaim {
  const [body, signature, extra] = token.split('.');
  const refuse = () => new BadUnsubscribeLink('This unsubscribe link is not valid: it was changed or did not come from us. Use the link in the latest email.');
  if (!body || !signature || extra !== undefined || body.length > 200) throw refuse();
  const payload = Buffer.from(body, 'base64url').toString();
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  const parsed = claim.safeParse(payload.split('.'));
  if (!parsed.success) throw refuse();
  const [customerId, channel, logId, issuedAt] = parsed.data;
  if (now / 1000 - issuedAt > maxAgeDays * 86_400) {
    throw new BadUnsubscribeLink(`This unsubscribe link has expired (links work for ${maxAgeDays} days). Use the link in a recent email, or reply to it and ask to be removed.`);
  }
  return { customerId, channel, logId, issuedAt };
}
