import type { Queryable } from '../../db/sql.js';

export interface DeliveryCounts {
  audience: number;
  /** Frozen but not yet accepted by the vendor. */
  queued: number;
  /** Accepted by the vendor, waiting for a receipt. */
  submitted: number;
  sent: number;
  failed: number;
  /** No receipt within the timeout; a late receipt still settles it. */
  unconfirmed: number;
  /** queued + submitted: messages whose fate is still open. */
  pending: number;
  /** sent ÷ (sent + failed), or null before the first receipt. */
  deliveryRate: number | null;
}

const empty = (): DeliveryCounts => ({ audience: 0, queued: 0, submitted: 0, sent: 0, failed: 0, unconfirmed: 0, pending: 0, deliveryRate: null });

/** Message counts by state for each campaign, from the communication logs themselves (never a cached figure). */
export async function deliveryCounts(db: Queryable, campaignIds: number[]): Promise<Map<number, DeliveryCounts>> {
  const result = new Map<number, DeliveryCounts>(campaignIds.map((id) => [id, empty()]));
  if (!campaignIds.length) return result;
  const { rows } = await db.query<{ campaign_id: number; status: string; n: number }>(
    `select campaign_id, status, count(*) as n from communication_logs where campaign_id = any($1::bigint[]) group by campaign_id, status`,
    [campaignIds],
  );
  for (const row of rows) {
    const counts = result.get(row.campaign_id)!;
    const key = row.status === 'delivered' ? 'sent' : (row.status as keyof DeliveryCounts);
    (counts[key] as number) += row.n;
    counts.audience += row.n;
  }
  for (const counts of result.values()) {
    counts.pending = counts.queued + counts.submitted;
    const settled = counts.sent + counts.failed;
    counts.deliveryRate = settled ? Math.round((counts.sent / settled) * 10_000) / 10_000 : null;
  }
  return result;
}
