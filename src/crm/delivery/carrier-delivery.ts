import type { Sql } from '../../db/sql.js';
import type { Channel } from '../campaigns/audience.js';
import type { ConsentService } from '../consent/consent.service.js';
import { unsubscribeToken } from '../consent/unsubscribe-link.js';
import { messageLinks, shortLinkBase, shortTrackingToken, trackingToken } from '../engagement/tracking-link.js';
import type { Carrier, OutgoingMessage, Outcome } from './carrier.js';

export interface CarrierDeliveryOptions {
  maxAttempts: number;
  retrySeconds: number;
  /** Messages claimed at a time: all of them are in 'sending' until their answers are recorded. */
  claimSize: number;
  publicUrl: string;
  unsubscribeKey: () => Promise<string>;
  /** The domain Message-IDs are made under (the sender's). */
  messageIdDomain: string;
  /** Open and click tracking for the whole CRM (TRACKING); each campaign can also turn it off. */
  tracking: boolean;
}

/** A message is due when it is queued and not waiting for a retry time or the end of quiet hours. */
export const dueSql = (alias = '') => `(${alias}next_attempt_at is null or ${alias}next_attempt_at <= now())`;

/**
 * Claims due queued messages of one batch as 'sending' before any is handed over. SMTP has no idempotency key and
 * Twilio's Messages API none either: a message found in 'sending' after a crash may or may not have gone, so the
 * reconciler makes it unconfirmed and nothing ever sends it again (see reconciler.ts).
 */
async function claim(sql: Sql, job: { campaignId: number; fromId: number; toId: number }, channel: Channel, options: CarrierDeliveryOptions) {
  return sql.rows<Omit<OutgoingMessage, 'unsubscribeUrl'> & { campaignTracking: boolean }>(
    `update communication_logs l set status = 'sending', sent_at = now(), attempts = l.attempts + 1,
       message_id = coalesce(l.message_id, '<msg-' || l.id || '@' || $5 || '>')
     from (select id from communication_logs where campaign_id = $1 and id between $2 and $3 and channel = $4 and status = 'queued' and ${dueSql()}
           order by id limit $6 for update skip locked) x, campaigns k
     where l.id = x.id and k.id = l.campaign_id
     returning l.id, l.campaign_id as "campaignId", l.customer_id as "customerId", l.channel, l.address, l.subject, k.preheader,
       l.message, l.message_id as "messageId", k.tracking as "campaignTracking"`,
    [job.campaignId, job.fromId, job.toId, channel, options.messageIdDomain, options.claimSize],
  );
}

/**
 * Records what the carrier made of each claimed message, in one statement. Answers that settle a message (sent,
 * submitted, failed) also settle one the reconciler already called unconfirmed; a retry only puts back a message
 * still in 'sending', so a message someone may have received is never queued again.
 */
async function record(sql: Sql, outcomes: Outcome[], options: CarrierDeliveryOptions) {
  const column = <T>(pick: (o: Outcome) => T) => outcomes.map(pick);
  await sql.query(
    `update communication_logs l set
       status = case
         when x.result in ('sent', 'submitted', 'failed') then x.result
         when x.result = 'unknown' then 'unconfirmed'
         when x.result = 'retry' and l.attempts >= $4 then 'failed'
         else 'queued' end,
       vendor_message_id = coalesce(x.provider_id, l.vendor_message_id),
       receipt_at = case when x.result in ('sent', 'failed') then now() else l.receipt_at end,
       failure_reason = case
         when x.result = 'retry' and l.attempts >= $4 then 'gave up after ' || l.attempts || ' attempts: ' || x.reason
         else x.reason end,
       attempts = case when x.result = 'wait' then l.attempts - 1 else l.attempts end,
       next_attempt_at = case
         when x.result = 'retry' then now() + make_interval(secs => $5 * power(4, l.attempts - 1))
         when x.result = 'wait' then now() + make_interval(secs => $5)
         else null end
     from unnest($1::bigint[], $2::text[], $3::text[], $6::text[]) as x(id, result, reason, provider_id)
     where l.id = x.id and (l.status = 'sending' or (l.status = 'unconfirmed' and x.result in ('sent', 'submitted', 'failed')))`,
    [
      column((o) => o.id), column((o) => o.result), column((o) => ('reason' in o ? o.reason : null)),
      options.maxAttempts, options.retrySeconds, column((o) => ('providerId' in o ? o.providerId : null)),
    ],
  );
}

/**
 * Sends one batch's due messages of a channel through a real carrier, a claim at a time, and records each answer.
 * Stops early when the carrier cannot be used at all: the rest wait, and the reconciler dispatches them again.
 */
export async function deliverThroughCarrier(
  sql: Sql, carrier: Carrier, consent: ConsentService, job: { campaignId: number; fromId: number; toId: number }, channel: Channel,
  options: CarrierDeliveryOptions,
) {
  const key = await options.unsubscribeKey();
  const issuedAt = Math.floor(Date.now() / 1000);
  for (;;) {
    const claimed = await claim(sql, job, channel, options);
    if (!claimed.length) return;
    const address = (path: string) => new URL(path, options.publicUrl).toString();
    const messages = claimed.map(({ campaignTracking, ...m }): OutgoingMessage => ({
      ...m, unsubscribeUrl: address(`/unsubscribe/${unsubscribeToken(key, { customerId: m.customerId, channel, logId: m.id, issuedAt })}`),
      tracking: !(options.tracking && campaignTracking) ? null : channel === 'email' ? {
        open: address(`/t/o/${trackingToken(key, { logId: m.id, link: null })}`),
        clicks: messageLinks(m.message).map((_, i) => address(`/t/c/${trackingToken(key, { logId: m.id, link: i })}`)),
      } : {
        // A text has no pixel; its links become short links, as long as the plan counted them.
        open: null,
        clicks: messageLinks(m.message).map((_, i) => shortLinkBase(options.publicUrl) + shortTrackingToken(key, { logId: m.id, link: i })),
      },
    }));
    const outcomes = await carrier.send(messages);
    await record(sql, outcomes, options);
    const addressOf = new Map(messages.map((m) => [m.id, m.address]));
    // A hard bounce or a carrier's "unsubscribed recipient" puts the address on the suppression list at once.
    await consent.suppress(sql, channel, outcomes.flatMap((o) => (o.result === 'failed' && o.suppress ? [{ address: addressOf.get(o.id)!, reason: o.suppress, detail: o.reason }] : [])));
    if (outcomes.some((o) => o.result === 'wait')) return;
  }
}
