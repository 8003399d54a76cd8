import type { Queryable } from '../../db/sql.js';
import type { Channel } from '../campaigns/audience.js';
import type { ConsentStatus, SuppressionReason } from './consent-rules.js';

/** Consent per customer and channel, and the suppression list: fetch and store only; the rules are the service's. */
export const consentRepository = {
  async ofCustomers(db: Queryable, customerIds: number[]) {
    return (await db.query<{ customerId: number; channel: Channel; status: ConsentStatus; source: string; changedAt: Date }>(
      `select customer_id as "customerId", channel, status, source, changed_at as "changedAt" from customer_consents where customer_id = any($1::bigint[])`,
      [customerIds],
    )).rows;
  },

  /** Locks the customer until the transaction ends; false when there is none. */
  async lockCustomer(db: Queryable, customerId: number) {
    return ((await db.query(`select 1 from customers where id = $1 for update`, [customerId])).rowCount ?? 0) > 0;
  },

  /** Writes a consent; a write of the status already held changes nothing (and keeps its first source). */
  async write(db: Queryable, customerId: number, channel: Channel, status: ConsentStatus, source: string) {
    const { rowCount } = await db.query(
      `insert into customer_consents (customer_id, channel, status, source) values ($1, $2, $3, $4)
       on conflict (customer_id, channel) do update set status = excluded.status, source = excluded.source, changed_at = now()
       where customer_consents.status <> excluded.status`,
      [customerId, channel, status, source],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Adds addresses (already in their suppression key form); one already there keeps its first reason. */
  async suppress(db: Queryable, channel: Channel, entries: { key: string; reason: SuppressionReason; detail: string }[]) {
    const { rowCount } = await db.query(
      `insert into suppressions (channel, address, reason, detail)
       select $1, a, r, d from unnest($2::text[], $3::text[], $4::text[]) as x(a, r, d) on conflict do nothing`,
      [channel, entries.map((e) => e.key), entries.map((e) => e.reason), entries.map((e) => e.detail)],
    );
    return rowCount ?? 0;
  },

  /** A customer's addresses, whether they unsubscribed from everything, and their consent on one channel. */
  async standing(db: Queryable, customerId: number, channel: Channel) {
    return (await db.query<{ email: string | null; phone: string | null; unsubscribed: boolean; status: ConsentStatus | null }>(
      `select c.email, c.phone, c.unsubscribed_at is not null as unsubscribed,
         (select k.status from customer_consents k where k.customer_id = c.id and k.channel = $2) as status
       from customers c where c.id = $1`,
      [customerId, channel],
    )).rows[0] ?? null;
  },
};
