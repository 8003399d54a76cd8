import { formatCount } from '../format.js';
import type { Queryable } from '../../db/sql.js';

export interface DeliveryCounts {
  audience: number;
  /** Frozen but not yet accepted by the vendor. */
  queued: number;
  /** Being handed to the carrier, or accepted by it and waiting for a receipt. */
  submitted: number;
  sent: number;
  failed: number;
  /** No receipt within the timeout; a late receipt still settles it. */
  unconfirmed: number;
  /** Not sent because the customer opted out, or the address was suppressed, after launch. */
  skipped: number;
  /** queued + submitted: messages whose fate is still open. */
  pending: number;
  /** sent ÷ (sent + failed), or null before the first receipt. */
  deliveryRate: number | null;
  /** Why delivery looks stuck or is waiting, in words for the person watching it; null while all is well. */
  stalled: string | null;
}

const empty = (): DeliveryCounts => ({ audience: 0, queued: 0, submitted: 0, sent: 0, failed: 0, unconfirmed: 0, skipped: 0, pending: 0, deliveryRate: null, stalled: null });

/**
 * Messages the vendor took whose receipts are overdue, and not one receipt at all: the vendor is not reaching the
 * CRM (most often PUBLIC_URL or RECEIPTS_URL points somewhere the vendor cannot post to), not a slow day.
 */
function stalledReason(counts: DeliveryCounts): string | null {
  if (counts.unconfirmed === 0 || counts.sent + counts.failed > 0) return null;
  return `No delivery receipt has come back for any of the ${formatCount(counts.unconfirmed)} messages the vendor accepted, within RECEIPT_TIMEOUT_SECONDS: the vendor may not be able to reach the CRM (check PUBLIC_URL or RECEIPTS_URL). They are counted as unconfirmed, not sent; a late receipt still settles them.`;
}

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
    const key = row.status === 'delivered' ? 'sent' : row.status === 'sending' ? 'submitted' : (row.status as keyof DeliveryCounts);
    (counts[key] as number) += row.n;
    counts.audience += row.n;
  }
  // Messages waiting for a retry say why (a mail server that is down, a provider asking to slow down).
  const waiting = new Map((await db.query<{ campaign_id: number; n: number; reason: string; next: Date }>(
    `select distinct on (campaign_id) campaign_id, count(*) over (partition by campaign_id) as n, failure_reason as reason, next_attempt_at as next
     from communication_logs where campaign_id = any($1::bigint[]) and status = 'queued' and next_attempt_at > now() and failure_reason is not null
     order by campaign_id, next_attempt_at desc`,
    [campaignIds],
  )).rows.map((r) => [r.campaign_id, r]));
  for (const [id, counts] of result) {
    const wait = waiting.get(id);
    if (wait) counts.stalled = `${formatCount(wait.n)} message${wait.n === 1 ? ' waits' : 's wait'} to be tried again after ${wait.next.toISOString().slice(11, 19)} UTC: ${wait.reason}`;
  }
  for (const counts of result.values()) {
    counts.pending = counts.queued + counts.submitted;
    const settled = counts.sent + counts.failed;
    counts.deliveryRate = settled ? Math.round((counts.sent / settled) * 10_000) / 10_000 : null;
    counts.stalled ??= stalledReason(counts);
  }
  return result;
}
