import { systemActor } from '../../../auth/actor.js';
import type { Queryable } from '../../../db/sql.js';
import type { ConsentService } from '../../consent/consent.service.js';
import { completeFinishedCampaigns } from '../receipts.js';
import { takeOnce } from './take-once.js';

/** What a mail provider reported about one message after it was accepted, in the CRM's words. */
export interface MailFeedback {
  /** The provider's id of the event, so that it is taken once. */
  eventId: string;
  /** The Message-ID the CRM gave the message (every provider echoes it). */
  messageId: string;
  address: string;
  kind: 'hard_bounce' | 'soft_bounce' | 'complaint' | 'unsubscribe';
  detail: string;
}

export interface FeedbackResult { applied: number; duplicates: number; unknown: string[] }

/**
 * Applies provider feedback in the caller's transaction. A bounce fails the message even after the relay accepted
 * it (the mailbox refused it later), and a permanent one suppresses the address; a complaint suppresses it and
 * withdraws email consent, as does an unsubscribe made at the provider. An event already taken changes nothing;
 * one about a message this CRM never sent is reported back by its Message-ID.
 */
export async function applyMailFeedback(db: Queryable, consent: ConsentService, provider: string, events: MailFeedback[]): Promise<FeedbackResult> {
  const result: FeedbackResult = { applied: 0, duplicates: 0, unknown: [] };
  const campaigns = new Set<number>();
  const actor = { ...systemActor(), email: provider };
  for (const event of events) {
    const message = (await db.query<{ id: number; campaignId: number; customerId: number; address: string }>(
      `select id, campaign_id as "campaignId", customer_id as "customerId", address from communication_logs
       where message_id = $1 and channel = 'email' and lower(address) = lower($2)`, [event.messageId, event.address],
    )).rows[0];
    if (!message) {
      result.unknown.push(event.messageId);
      continue;
    }
    if (!(await takeOnce(db, provider, event.eventId))) {
      result.duplicates++;
      continue;
    }
    result.applied++;
    if (event.kind === 'hard_bounce' || event.kind === 'soft_bounce') {
      await db.query(
        `update communication_logs set status = 'failed', receipt_at = now(), failure_reason = $2
         where id = $1 and status in ('queued', 'sending', 'submitted', 'unconfirmed', 'sent', 'delivered')`,
        [message.id, `bounced${event.kind === 'soft_bounce' ? ' (temporary)' : ''}: ${event.detail}`.slice(0, 500)],
      );
      campaigns.add(message.campaignId);
      if (event.kind === 'hard_bounce') await consent.suppress(db, 'email', [{ address: message.address, reason: 'hard_bounce', detail: `${provider}: ${event.detail}` }]);
    } else {
      if (event.kind === 'complaint') await consent.suppress(db, 'email', [{ address: message.address, reason: 'complaint', detail: `${provider}: ${event.detail}` }]);
      await consent.record(db, actor, message.customerId, 'email', 'withdrawn', `${event.kind === 'complaint' ? 'marked as spam' : 'unsubscribed'} (reported by ${provider})`);
    }
  }
  await completeFinishedCampaigns(db, [...campaigns]);
  return result;
}
