import type { Sql } from '../../db/sql.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { logger } from '../../logging/logger.js';
import type { Receipt } from '../../vendor/vendor-protocol.js';
import type { CampaignProgress } from './campaign-progress.js';
import { reconcile } from './reconciler.js';
import { applyReceipts, completeFinishedCampaigns, messageKey } from './receipts.js';
import { submitBatch, type VendorConnection } from './vendor-connection.js';

export interface DeliveryWorkerOptions { batchSize: number; receiptTimeoutSeconds: number; reconcileSeconds: number }

interface SendJob { campaignId: number; fromId: number; toId: number }

/**
 * Splits a launched campaign into batches by position among its messages. The batches are the same every time the
 * dispatch runs (after a crash, or from the reconciler), and only batches with queued messages are queued again.
 */
async function dispatch(sql: Sql, queue: JobQueue, campaignId: number, batchSize: number) {
  const batches = await sql.rows<{ fromId: number; toId: number }>(
    `select min(id) as "fromId", max(id) as "toId" from (
       select id, status, (row_number() over (order by id) - 1) / $2 as batch from communication_logs where campaign_id = $1
     ) x group by batch having bool_or(status = 'queued') order by batch`,
    [campaignId, batchSize],
  );
  await queue.sendMany(queueNames.deliverySend, batches.map((b) => ({ data: { campaignId, ...b }, key: `send:${campaignId}:${b.fromId}` })));
  logger.info('campaign dispatched', { campaignId, batches: batches.length });
}

/**
 * Hands one batch to the vendor. Every message carries its log id as the idempotency key, so a batch sent again
 * after a crash (the vendor answered, the worker died before recording it) is recognised by the vendor and sent
 * nothing twice; only messages still queued are submitted, and only queued ones are marked submitted.
 */
async function send(sql: Sql, vendor: VendorConnection, job: SendJob, progress: CampaignProgress) {
  const rows = await sql.rows<{ id: number; channel: 'email' | 'sms'; address: string; message: string }>(
    `select id, channel, address, message from communication_logs where campaign_id = $1 and id between $2 and $3 and status = 'queued' order by id`,
    [job.campaignId, job.fromId, job.toId],
  );
  if (!rows.length) return;
  const answer = await submitBatch(vendor, rows.map((r) => ({ idempotencyKey: messageKey(r.id), channel: r.channel, to: r.address, body: r.message })));
  const byKey = new Map(answer.accepted.map((a) => [a.idempotencyKey, a.vendorMessageId]));
  const accepted = rows.filter((r) => byKey.has(messageKey(r.id)));
  await sql.query(
    `update communication_logs l set status = 'submitted', vendor_message_id = x.vid, sent_at = now()
     from unnest($1::bigint[], $2::text[]) as x(id, vid) where l.id = x.id and l.status = 'queued'`,
    [accepted.map((r) => r.id), accepted.map((r) => byKey.get(messageKey(r.id)))],
  );
  progress.touch([job.campaignId]);
}

/** Delivery in this process: campaign dispatch, vendor batches, receipts, and the periodic reconciler. */
export async function startDeliveryWorker(queue: JobQueue, sql: Sql, vendor: VendorConnection, progress: CampaignProgress, options: DeliveryWorkerOptions) {
  await queue.work<{ campaignId: number }>(queueNames.deliveryDispatch, ({ campaignId }) => dispatch(sql, queue, campaignId, options.batchSize));
  await queue.work<SendJob>(queueNames.deliverySend, (job) => send(sql, vendor, job, progress), { concurrency: 4 });
  await queue.workBatch<{ receipts: Receipt[] }>(queueNames.deliveryReceipts, 20, async (jobs) => {
    const campaigns = await applyReceipts(sql, jobs.flatMap((j) => j.receipts));
    await completeFinishedCampaigns(sql, campaigns);
    progress.touch(campaigns);
  });
  const timer = setInterval(() => {
    void reconcile(sql, queue, progress, options.receiptTimeoutSeconds, vendor.receiptsUrl).catch((error) => logger.warn('reconciler failed', { reason: (error as Error).message }));
  }, options.reconcileSeconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    progress.stop();
  };
}
