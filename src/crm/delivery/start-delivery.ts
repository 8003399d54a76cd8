import { AuditService } from '../../audit/audit.service.js';
import type { Config } from '../../config/config.schema.js';
import type { Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { ConsentService } from '../consent/consent.service.js';
import { unsubscribeKey } from '../consent/unsubscribe-link.js';
import { CampaignProgress } from './campaign-progress.js';
import { configuredCarriers } from './carriers-setup.js';
import { receiptsUrl } from './vendor-setup.js';
import { startDeliveryWorker } from './delivery-worker.js';
import type { VendorConnection } from './vendor-connection.js';

/** The delivery worker with the settings from configuration; returns how to stop its timers and close its carriers. */
export function startDelivery(config: Config, queue: JobQueue, sql: Sql, events: EventBus, vendor: VendorConnection | null) {
  let key: Promise<string> | undefined;
  const consent = new ConsentService(sql, new AuditService(sql), config);
  return startDeliveryWorker(queue, sql, { vendor, carriers: configuredCarriers(config), consent }, new CampaignProgress(sql, events), {
    batchSize: config.DELIVERY_BATCH_SIZE, receiptTimeoutSeconds: config.RECEIPT_TIMEOUT_SECONDS, reconcileSeconds: config.RECONCILE_SECONDS,
    sendingTimeoutSeconds: config.SENDING_TIMEOUT_SECONDS, receiptsUrl: vendor?.receiptsUrl ?? receiptsUrl(config), smsQuietHours: config.SMS_QUIET_HOURS, timeZone: config.TIME_ZONE,
    carrier: {
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS, retrySeconds: config.DELIVERY_RETRY_SECONDS, claimSize: 200, publicUrl: config.PUBLIC_URL,
      unsubscribeKey: () => (key ??= unsubscribeKey(sql, config.UNSUBSCRIBE_SECRET)),
      messageIdDomain: (config.EMAIL_FROM ?? 'crm.invalid').split('@')[1],
    },
  });
}
