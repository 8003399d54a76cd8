import type { Queryable } from '../../db/sql.js';
import { suppressionKeySql } from '../consent/consent-rules.js';

/**
 * Consent and suppressions are checked when a campaign is planned and again just before each message leaves: a
 * customer who unsubscribed, said STOP, or whose address bounced after launch is skipped, with the reason.
 */
export async function skipWithdrawn(db: Queryable, job: { campaignId: number; fromId: number; toId: number }) {
  await db.query(
    `with withdrawn as (
       select l.id, c.unsubscribed_at is not null or k.status = 'withdrawn' as unsubscribed
       from communication_logs l join customers c on c.id = l.customer_id
         left join customer_consents k on k.customer_id = l.customer_id and k.channel = l.channel
       where l.campaign_id = $1 and l.id between $2 and $3 and l.status = 'queued'
         and (c.unsubscribed_at is not null or k.status = 'withdrawn'
           or exists (select 1 from suppressions s where s.channel = l.channel and s.address = case l.channel
              when 'email' then ${suppressionKeySql('email', 'l.address')} else ${suppressionKeySql('sms', 'l.address')} end))
     )
     update communication_logs l set status = 'skipped', next_attempt_at = null, failure_reason = case when w.unsubscribed
         then 'not sent: the customer unsubscribed after the campaign was launched'
         else 'not sent: the address was put on the suppression list after the campaign was launched' end
     from withdrawn w where l.id = w.id and l.status = 'queued'`,
    [job.campaignId, job.fromId, job.toId],
  );
}
