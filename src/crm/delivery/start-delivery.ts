import type { Config } from '../../config/config.schema.js';
import type { Sql } from '../../db/sql.js';
import type { EventBus } from '../../events/crm-events.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { CampaignProgress } from './campaign-progress.js';
import { startDeliveryWorker } from './delivery-worker.js';
import type { VendorConnection } from './vendor-connection.js';

/** The delivery worker with the settings from configuration; returns how to stop its timers. */
export function startDelivery(config: Config, queue: JobQueue, sql: Sql, events: EventBus, vendor: VendorConnection) {
  return startDeliveryWorker(queue, sql, vendor, new CampaignProgress(sql, events), {
    batchSize: config.DELIVERY_BATCH_SIZE, receiptTimeoutSeconds: config.RECEIPT_TIMEOUT_SECONDS, reconcileSeconds: config.RECONCILE_SECONDS,
  });
}
