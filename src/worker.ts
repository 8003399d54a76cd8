import 'reflect-metadata';
import { AuditService } from './audit/audit.service.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { startImportWorker } from './crm/ingestion/import-worker.js';
import { IngestionService } from './crm/ingestion/ingestion.service.js';
import { DatabaseStartError, migrate, openDatabase } from './db/database.js';
import { Sql } from './db/sql.js';
import { EventBus } from './events/crm-events.js';
import { JobQueue } from './jobs/job-queue.js';
import { logger } from './logging/logger.js';
import { onStopSignal } from './process-signals.js';
import { startDelivery } from './crm/delivery/start-delivery.js';
import { configuredVendor } from './crm/delivery/vendor-setup.js';

// A worker process of its own (`npm run worker`): takes queued imports from the same PostgreSQL as the server.
// Start as many as the machine allows; a job whose worker dies is taken up by another.
let stop: (() => Promise<void>) | undefined;
onStopSignal(() => void (stop ? stop() : Promise.resolve()).then(() => process.exit(0), () => process.exit(1)));
try {
  const config = loadConfig();
  logger.setLevel(config.LOG_LEVEL);
  const database = await openDatabase(config, { share: true, poolMax: 2 });
  await migrate(database.orm, false);
  const sql = new Sql(database.url, { max: 8, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_SECONDS * 1000 });
  const queue = await JobQueue.start(database.url, { superviseSeconds: config.JOB_SUPERVISE_SECONDS });
  const events = new EventBus(sql);
  await startImportWorker(queue, new IngestionService(sql, new AuditService(sql), config, queue, events));
  // A worker apart from the server reaches the vendor by address; without one it takes imports only.
  const vendor = configuredVendor(config);
  const stopDelivery = vendor ? await startDelivery(config, queue, sql, events, vendor) : undefined;
  if (!stopDelivery) logger.warn('this worker delivers no campaigns: set VENDOR_URL and VENDOR_SECRET (the vendor run with `npm run vendor`)');
  stop = async () => {
    stopDelivery?.();
    await queue.stop();
    await sql.close();
    await database.close();
  };
  logger.info('worker started', { pid: process.pid });
  process.stdout.write(`worker ${process.pid} is taking imports${stopDelivery ? ' and deliveries' : ''}\n`);
} catch (error) {
  const known = error instanceof ConfigError || error instanceof DatabaseStartError;
  process.stderr.write(`The worker could not start. ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
