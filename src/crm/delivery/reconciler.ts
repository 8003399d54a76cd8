import type { Sql } from '../../db/sql.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { logger } from '../../logging/logger.js';
import type { CampaignProgress } from './campaign-progress.js';
import { deliveryCounts } from '../campaigns/campaign-stats.js';
import { refreshStaleCustomers } from '../customers/stale-customers.js';
import { completeFinishedCampaigns } from './receipts.js';

export interface ReconcileOptions { receiptTimeoutSeconds: number; sendingTimeoutSeconds: number; receiptsUrl: string }

/**
 * Runs now and then in every worker process; an advisory lock lets one of them do the work. It marks messages
 * whose receipt is overdue, or that a crash caught mid-send, as unconfirmed (a late answer still settles them;
 * nothing sends them again), completes campaigns with nothing left to wait for, starts scheduled campaigns whose time
 * has come, and queues the dispatch for a campaign whose messages sit queued and due: after a crash right after launch,
 * when their retry time has come, or when a scheduled message's time (or its customer's best hour) has come.
 */
export async function reconcile(sql: Sql, queue: JobQueue, progress: CampaignProgress, options: ReconcileOptions) {
  const { receiptTimeoutSeconds, sendingTimeoutSeconds, receiptsUrl } = options;
  const result = await sql.transaction(async (client) => {
    const { rows: lock } = await client.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext('crm.reconciler')) as locked`);
    if (!lock[0].locked) return null;
    const overdue = await client.query<{ campaign_id: number }>(
      `update communication_logs set status = 'unconfirmed'
       where status = 'submitted' and sent_at < now() - make_interval(secs => $1) returning campaign_id`,
      [receiptTimeoutSeconds],
    );
    // Claimed for an SMTP or Twilio request that never got its answer recorded: the process died mid-send. The
    // message may have gone, so it is never sent again; it is shown apart, with the reason.
    const caught = await client.query<{ campaign_id: number }>(
      `update communication_logs set status = 'unconfirmed',
         failure_reason = 'the CRM stopped while handing this message over; it may have arrived, so it is not sent again'
       where status = 'sending' and sent_at < now() - make_interval(secs => $1) returning campaign_id`,
      [sendingTimeoutSeconds],
    );
    overdue.rows.push(...caught.rows);
    // Scheduled campaigns whose first message is due start sending (the stalled check below dispatches them).
    await client.query(`update campaigns set status = 'sending' where status = 'scheduled' and send_at <= now()`);
    const sending = await client.query<{ id: number; queued: boolean }>(
      `select c.id, exists (select 1 from communication_logs m where m.campaign_id = c.id and m.status = 'queued'
         and (m.next_attempt_at <= now() or (m.next_attempt_at is null and m.created_at < now() - interval '30 seconds'))) as queued
       from campaigns c where c.status = 'sending'`,
    );
    const completed = await completeFinishedCampaigns(client, sending.rows.map((r) => r.id));
    return { unconfirmed: overdue.rows, stalled: sending.rows.filter((r) => r.queued).map((r) => r.id), completed };
  });
  if (!result) return;
  // Customers an import marked but never brought up to date (it stopped, and nobody resumed it yet).
  await refreshStaleCustomers(sql);
  for (const id of result.stalled) await queue.send(queueNames.deliveryDispatch, { campaignId: id }, `dispatch:${id}`);
  const touched = new Set([...result.unconfirmed.map((r) => r.campaign_id), ...result.completed]);
  progress.touch(touched);
  if (result.unconfirmed.length || result.stalled.length) {
    logger.info('reconciler', { unconfirmed: result.unconfirmed.length, redispatched: result.stalled.length, completed: result.completed.length });
  }
  // Overdue messages of a campaign that has had no receipt at all: say plainly where the receipts were expected.
  const overdue = [...new Set(result.unconfirmed.map((r) => r.campaign_id))];
  for (const [campaignId, counts] of overdue.length ? await deliveryCounts(sql, overdue) : []) {
    if (counts.stalled) {
      logger.warn('no delivery receipts have arrived', {
        campaignId, unconfirmed: counts.unconfirmed, receiptsUrl,
        reason: `the vendor was told to post receipts to ${receiptsUrl}; if it cannot reach that address, set PUBLIC_URL (or RECEIPTS_URL) to one it can`,
      });
    }
  }
}
