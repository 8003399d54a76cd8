import type { Queryable } from '../../db/sql.js';
import { suppressionKeySql } from '../consent/consent-rules.js';

/** What Twilio's callbacks read and write: fetch and store only; the rules (what a status means) are the service's. */
export const smsEventsRepository = {
  /** The text Twilio knows by this SID. */
  async bySid(db: Queryable, sid: string) {
    return (await db.query<{ id: number; campaignId: number; address: string }>(
      `select id, campaign_id as "campaignId", address from communication_logs where vendor_message_id = $1 and channel = 'sms'`, [sid],
    )).rows[0] ?? null;
  },

  /** A text's final status, unless a receipt already settled it; false when it was settled before. */
  async settle(db: Queryable, id: number, status: 'sent' | 'failed', reason: string | null) {
    const { rowCount } = await db.query(
      `update communication_logs set status = $2, failure_reason = $3, receipt_at = now()
       where id = $1 and status in ('sending', 'submitted', 'unconfirmed')`,
      [id, status, reason],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Customers with this phone number, however it is written. */
  async customersWithPhone(db: Queryable, phone: string) {
    return (await db.query<{ id: number }>(
      `select id from customers c where c.phone is not null and ${suppressionKeySql('sms', 'c.phone')} = ${suppressionKeySql('sms', '$1')}`, [phone],
    )).rows;
  },

  /** Lifts the suppression a STOP put on this number (other reasons stay). */
  async liftStop(db: Queryable, phone: string) {
    await db.query(`delete from suppressions where channel = 'sms' and address = ${suppressionKeySql('sms', '$1')} and reason = 'stop'`, [phone]);
  },
};
