import { AuditService } from '../../audit/audit.service.js';
import type { Config } from '../../config/config.schema.js';
import type { Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { ConsentService } from '../consent/consent.service.js';
import { unsubscribeKey } from '../consent/unsubscribe-link.js';
import { logger } from '../../logging/logger.js';
import { describeMailbox, readBounceMailbox } from './feedback/bounce-mailbox.js';
import { CampaignProgress } from './campaign-progress.js';
import { configuredCarriers } from './carriers-setup.js';
import { receiptsUrl } from './vendor-setup.js';
import { startDeliveryWorker } from './delivery-worker.js';
import type { VendorConnection } from './vendor-connection.js';

/** The delivery worker (and the bounce mailbox reader) with the settings from configuration; returns how to stop them. */
/** Reads the bounce mailbox every BOUNCE_POLL_SECONDS; a failed read is logged and tried again next time. */
function pollBounceMailbox(sql: Sql, consent: ConsentService, config: Config) {
  const mailbox = { url: config.BOUNCE_IMAP_URL!, bounceAddress: config.BOUNCE_ADDRESS ?? null };
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    readBounceMailbox(sql, consent, mailbox)
      .catch((error) => logger.warn('bounce mailbox not read', { mailbox: describeMailbox(mailbox.url), reason: (error as Error).message }))
      .finally(() => { reading = false; });
  }, config.BOUNCE_POLL_SECONDS * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export async function startDelivery(config: Config, queue: JobQueue, sql: Sql, events: EventBus, vendor: VendorConnection | null) {
  let key: Promise<string> | undefined;
  const consent = new ConsentService(sql, new AuditService(sql), config);
  const stopBounces = config.BOUNCE_IMAP_URL ? pollBounceMailbox(sql, consent, config) : () => {};
  const stopWorker = await startDeliveryWorker(queue, sql, { vendor, carriers: configuredCarriers(config), consent }, new CampaignProgress(sql, events), {
    batchSize: config.DELIVERY_BATCH_SIZE, receiptTimeoutSeconds: config.RECEIPT_TIMEOUT_SECONDS, reconcileSeconds: config.RECONCILE_SECONDS,
    sendingTimeoutSeconds: config.SENDING_TIMEOUT_SECONDS, receiptsUrl: vendor?.receiptsUrl ?? receiptsUrl(config), smsQuietHours: config.SMS_QUIET_HOURS, timeZone: config.TIME_ZONE,
    carrier: {
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS, retrySeconds: config.DELIVERY_RETRY_SECONDS, claimSize: 200, publicUrl: config.PUBLIC_URL,
      unsubscribeKey: () => (key ??= unsubscribeKey(sql, config.UNSUBSCRIBE_SECRET).catch((error) => { key = undefined; throw error; })),
      messageIdDomain: (config.EMAIL_FROM ?? 'crm.invalid').split('@')[1], tracking: config.TRACKING,
    },
  });
  return async () => {
    stopBounces();
    await stopWorker();
  };
}
