import type { Sql } from '../../db/sql.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { logger } from '../../logging/logger.js';
import type { Receipt } from '../../vendor/vendor-protocol.js';
import type { Channel } from '../campaigns/audience.js';
import type { ConsentService } from '../consent/consent.service.js';
import type { CampaignProgress } from './campaign-progress.js';
import type { Carrier } from './carrier.js';
import { deliverThroughCarrier, dueSql, type CarrierDeliveryOptions } from './carrier-delivery.js';
import { quietHoursEnd } from './sms/quiet-hours.js';
import { skipWithdrawn } from './withdrawn-since-launch.js';
import { reconcile } from './reconciler.js';
import { applyReceipts, completeFinishedCampaigns, messageKey } from './receipts.js';
import { submitBatch, VendorUnavailable, type VendorConnection } from './vendor-connection.js';

export interface DeliveryWorkerOptions {
  batchSize: number; receiptTimeoutSeconds: number; sendingTimeoutSeconds: number; reconcileSeconds: number;
  smsQuietHours: string; timeZone: string; carrier: CarrierDeliveryOptions;
  /** Where receipts are expected, for the reconciler's warning when none arrive. */
  receiptsUrl: string;
}

/** How each channel reaches people: a real carrier (SMTP, Twilio), or the vendor (the simulator) when none is set. */
export interface DeliveryRoutes { vendor: VendorConnection | null; carriers: Partial<Record<Channel, Carrier>>; consent: ConsentService }

interface SendJob { campaignId: number; fromId: number; toId: number }

/**
 * Splits a launched campaign into batches by position among its messages. The batches are the same every time the
 * dispatch runs (after a crash, or from the reconciler), and only batches with queued messages are queued again.
 */
async function dispatch(sql: Sql, queue: JobQueue, campaignId: number, batchSize: number) {
  const batches = await sql.rows<{ fromId: number; toId: number }>(
    `select min(id) as "fromId", max(id) as "toId" from (
       select id, status, next_attempt_at, (row_number() over (order by id) - 1) / $2 as batch from communication_logs where campaign_id = $1
     ) x group by batch having bool_or(status = 'queued' and ${dueSql()}) order by batch`,
    [campaignId, batchSize],
  );
  await queue.sendMany(queueNames.deliverySend, batches.map((b) => ({ data: { campaignId, ...b }, key: `send:${campaignId}:${b.fromId}` })));
  logger.info('campaign dispatched', { campaignId, batches: batches.length });
}

/**
 * Delivers one batch. Messages whose customer opted out or whose address was suppressed since launch are skipped
 * first; SMS waits out quiet hours; then each channel goes through its carrier, or to the vendor.
 */
async function send(sql: Sql, routes: DeliveryRoutes, job: SendJob, progress: CampaignProgress, options: DeliveryWorkerOptions) {
  await skipWithdrawn(sql, job);
  const quietUntil = quietHoursEnd(new Date(), options.smsQuietHours, options.timeZone);
  if (quietUntil) {
    await sql.query(
      // The later of the two: a text scheduled for after the quiet hours keeps its own time.
      `update communication_logs set next_attempt_at = greatest(next_attempt_at, $4) where campaign_id = $1 and id between $2 and $3 and channel = 'sms' and status = 'queued'`,
      [job.campaignId, job.fromId, job.toId, quietUntil],
    );
  }
  for (const [channel, carrier] of Object.entries(routes.carriers) as [Channel, Carrier][]) {
    await deliverThroughCarrier(sql, carrier, routes.consent, job, channel, options.carrier);
  }
  await sendToVendor(sql, routes.vendor, job, Object.keys(routes.carriers) as Channel[]);
  // Carriers answer at once (no receipts follow an SMTP 250), so the campaign may be finished now.
  await completeFinishedCampaigns(sql, [job.campaignId]);
  progress.touch([job.campaignId]);
}

/**
 * Hands the batch's messages that no carrier takes to the vendor. Every message carries its log id as the
 * idempotency key, so a batch sent again after a crash (the vendor answered, the worker died before recording it)
 * is recognised by the vendor and sent nothing twice; only messages still queued are submitted, and only queued
 * ones are marked submitted.
 */
async function sendToVendor(sql: Sql, vendor: VendorConnection | null, job: SendJob, carried: Channel[]) {
  const rows = await sql.rows<{ id: number; channel: 'email' | 'sms'; address: string; message: string }>(
    `select id, channel, address, message from communication_logs
     where campaign_id = $1 and id between $2 and $3 and status = 'queued' and ${dueSql()} and channel <> all($4::text[]) order by id`,
    [job.campaignId, job.fromId, job.toId, carried],
  );
  if (!rows.length) return;
  if (!vendor) throw new VendorUnavailable(`No way to send ${rows[0].channel} here: configure its carrier, or VENDOR_URL for the vendor.`);
  const answer = await submitBatch(vendor, rows.map((r) => ({ idempotencyKey: messageKey(r.id), channel: r.channel, to: r.address, body: r.message })));
  const byKey = new Map(answer.accepted.map((a) => [a.idempotencyKey, a.vendorMessageId]));
  const accepted = rows.filter((r) => byKey.has(messageKey(r.id)));
  await sql.query(
    `update communication_logs l set status = 'submitted', vendor_message_id = x.vid, sent_at = now()
     from unnest($1::bigint[], $2::text[]) as x(id, vid) where l.id = x.id and l.status = 'queued'`,
    [accepted.map((r) => r.id), accepted.map((r) => byKey.get(messageKey(r.id)))],
  );
}

/** Delivery in this process: campaign dispatch, vendor batches, receipts, and the periodic reconciler. */
export async function startDeliveryWorker(queue: JobQueue, sql: Sql, routes: DeliveryRoutes, progress: CampaignProgress, options: DeliveryWorkerOptions) {
  await queue.work<{ campaignId: number }>(queueNames.deliveryDispatch, ({ campaignId }) => dispatch(sql, queue, campaignId, options.batchSize));
  await queue.work<SendJob>(queueNames.deliverySend, (job) => send(sql, routes, job, progress, options), { concurrency: 4 });
  await queue.workBatch<{ receipts: Receipt[] }>(queueNames.deliveryReceipts, 20, async (jobs) => {
    const campaigns = await applyReceipts(sql, jobs.flatMap((j) => j.receipts));
    await completeFinishedCampaigns(sql, campaigns);
    progress.touch(campaigns);
  });
  const timer = setInterval(() => {
    void reconcile(sql, queue, progress, { receiptTimeoutSeconds: options.receiptTimeoutSeconds, sendingTimeoutSeconds: options.sendingTimeoutSeconds, receiptsUrl: options.receiptsUrl }).catch((error) => logger.warn('reconciler failed', { reason: (error as Error).message }));
  }, options.reconcileSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    progress.stop();
    for (const carrier of Object.values(routes.carriers)) await carrier.close();
  };
}
