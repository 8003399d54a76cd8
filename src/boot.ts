import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Config } from './config/config.schema.js';
import { migrate, openDatabase, type OpenDatabase } from './db/database.js';
import { databaseIsEmpty, seedDemoData } from './db/seed/seeder.js';
import { Sql } from './db/sql.js';
import { UsersService } from './auth/users.service.js';
import { logger } from './logging/logger.js';
import { createHttpApp, listen } from './server.js';
import { startImportWorker } from './crm/ingestion/import-worker.js';
import { IngestionService } from './crm/ingestion/ingestion.service.js';
import { EventBus } from './events/crm-events.js';
import { JobQueue } from './jobs/job-queue.js';
import { connectVendor } from './crm/delivery/vendor-setup.js';
import { startDelivery } from './crm/delivery/start-delivery.js';
import type { VendorSimulator } from './vendor/vendor-simulator.js';

export interface RunningCrm {
  url: string;
  app: NestExpressApplication;
  database: OpenDatabase;
  sql: Sql;
  firstAdmin: { email: string; password?: string } | null;
  seeded: boolean;
  stop(): Promise<void>;
}

/** Database up, schema current, first admin and demo data in place, then the HTTP server listening. */
export async function boot(config: Config): Promise<RunningCrm> {
  const database = await openDatabase(config);
  const sql = new Sql(database.url, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_SECONDS * 1000 });
  let app: NestExpressApplication | undefined;
  let queue: JobQueue | undefined;
  let simulator: VendorSimulator | undefined;
  let stopDelivery: (() => void) | undefined;
  const stop = async () => {
    stopDelivery?.();
    await app?.close();
    await queue?.stop();
    await simulator?.stop();
    logger.debug('http server closed');
    await sql.close();
    await database.close();
    logger.debug('database closed');
  };
  try {
    await migrate(database.orm, config.MIGRATE_ON_START);
    const seeded = config.SEED_ON_EMPTY && (await databaseIsEmpty(sql));
    if (seeded) await seedDemoData(sql, { seed: config.SEED, customers: config.DEMO_CUSTOMERS });
    queue = await JobQueue.start(database.url, { superviseSeconds: config.JOB_SUPERVISE_SECONDS });
    const vendor = await connectVendor(config);
    simulator = vendor.simulator;
    const events = new EventBus(sql);
    app = await createHttpApp({ config, orm: database.orm, sql, queue, events, vendor: vendor.connection });
    if (config.RUN_WORKERS) {
      await startImportWorker(queue, app.get(IngestionService));
      stopDelivery = await startDelivery(config, queue, sql, events, vendor.connection);
    }
    const firstAdmin = await app.get(UsersService).ensureFirstAdmin();
    const url = await listen(app, config.PORT, config.HOST);
    logger.info('CRM started', { url, embeddedDatabase: database.embedded });
    return { url, app, database, sql, firstAdmin, seeded, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
