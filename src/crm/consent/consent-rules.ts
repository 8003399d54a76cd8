import type { Channel } from '../campaigns/audience.js';
import type { SqlParams } from '../segments/rule-compiler.js';

export const consentStatuses = ['granted', 'withdrawn'] as const;
export type ConsentStatus = (typeof consentStatuses)[number];
export const suppressionReasons = ['hard_bounce', 'complaint', 'stop', 'manual', 'unsubscribe'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/**
 * Email may go to a customer who has not withdrawn (existing customers, soft opt-in); SMS only to one who granted
 * it, as carriers and consent law require for marketing texts.
 */
export const needsGrantedConsent: Record<Channel, boolean> = { email: false, sms: true };

/**
 * The key an address is suppressed under: email lower-cased, a phone number by its digits only, so "+91 98200
 * 12345" and Twilio's "+919820012345" are the same number.
 */
export function suppressionKey(channel: Channel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address.replace(/\D/g, '');
}

/** The same key in SQL, over an address expression. */
export function suppressionKeySql(channel: Channel, address: string): string {
  return channel === 'email' ? `lower(trim(${address}))` : `regexp_replace(${address}, '\\D', '', 'g')`;
}

/** The customer's consent for the channel in SQL over the customers row `c`: 'granted', 'withdrawn' or NULL. */
export function consentSql(channelParam: string): string {
  return `(select k.status from customer_consents k where k.customer_id = c.id and k.channel = ${channelParam})`;
}

/** Whether the address is on the suppression list, in SQL. */
export function suppressedSql(channel: Channel, address: string, params: SqlParams): string {
  return `exists (select 1 from suppressions s where s.channel = ${params.add(channel)} and s.address = ${suppressionKeySql(channel, address)})`;
}
