import type { Queryable } from '../../db/sql.js';
import type { Receipt } from '../../vendor/vendor-protocol.js';
import { deliveryRank, receiptState } from './delivery-state.js';

/** The idempotency key the CRM gives each message is its log id; receipts name it, so they find their row. */
export const messageKey = (logId: number) => `msg-${logId}`;
export function logIdOf(key: string): number | null {
  const match = /^msg-(\d{1,15})$/.exec(key);
  return match ? Number(match[1]) : null;
}

const rankSql = (column: string) =>
  `(case ${column} ${Object.entries(deliveryRank).map(([state, rank]) => `when '${state}' then ${rank}`).join(' ')} end)`;

/**
 * Applies a batch of receipts with one UPDATE … FROM. Per message, the earliest receipt wins; a message moves only
 * forward (see delivery-state.ts), so a duplicate, a late receipt, or one applied twice after a crash changes nothing.
 * Returns the campaigns whose messages changed.
 */
export async function applyReceipts(db: Queryable, receipts: Receipt[]): Promise<number[]> {
  const chosen = new Map<number, Receipt>();
  for (const r of receipts) {
    const id = logIdOf(r.idempotencyKey);
    if (id === null) continue;
    const earlier = chosen.get(id);
    if (!earlier || Date.parse(r.occurredAt) < Date.parse(earlier.occurredAt)) chosen.set(id, r);
  }
  if (!chosen.size) return [];
  const rows = [...chosen.entries()];
  const { rows: changed } = await db.query<{ campaign_id: number }>(
    `update communication_logs l
       set status = x.status, failure_reason = x.reason, receipt_at = x.at, vendor_message_id = coalesce(l.vendor_message_id, x.vid)
     from unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) as x(id, status, reason, at, vid)
     where l.id = x.id and ${rankSql('l.status')} < ${rankSql('x.status')}
     returning l.campaign_id`,
    [
      rows.map(([id]) => id), rows.map(([, r]) => receiptState[r.status]), rows.map(([, r]) => (r.status === 'FAILED' ? (r.reason ?? 'failed') : null)),
      rows.map(([, r]) => r.occurredAt), rows.map(([, r]) => r.vendorMessageId),
    ],
  );
  return [...new Set(changed.map((r) => r.campaign_id))];
}

/** Campaigns with no message still waiting for the vendor or a receipt, and no A/B test still to decide, are complete. */
export async function completeFinishedCampaigns(db: Queryable, campaignIds: number[]): Promise<number[]> {
  if (!campaignIds.length) return [];
  const { rows } = await db.query<{ id: number }>(
    `update campaigns c set status = 'completed', completed_at = now()
     where c.id = any($1::bigint[]) and c.status = 'sending'
       and not exists (select 1 from communication_logs m where m.campaign_id = c.id and m.status in ('queued', 'sending', 'submitted'))
       and not exists (select 1 from campaign_ab_tests t where t.campaign_id = c.id and t.decided_at is null)
     returning c.id`,
    [campaignIds],
  );
  return rows.map((r) => r.id);
}
