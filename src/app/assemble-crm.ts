import type { MikroORM } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ChosenModel } from '../agent/model-choice.js';
import type { Config } from '../config/config.schema.js';
import type { VendorConnection } from '../crm/delivery/vendor-connection.js';
import { configuredVendor, connectVendor } from '../crm/delivery/vendor-setup.js';
import { startDelivery } from '../crm/delivery/start-delivery.js';
import { channelRoutes } from '../crm/delivery/carriers-setup.js';
import { startImportWorker } from '../crm/ingestion/import-worker.js';
import { IngestionService } from '../crm/ingestion/ingestion.service.js';
import { crmServices } from './crm-services.js';
import type { Clock } from '../crm/time/clock.js';
import { Sql } from '../db/sql.js';
import { EventBus } from '../events/crm-events.js';
import { JobQueue } from '../jobs/job-queue.js';
import { logger } from '../logging/logger.js';
import { createHttpApp } from '../server.js';
import type { VendorSimulator } from '../vendor/vendor-simulator.js';
import { startOutcomesWorker } from '../crm/outcomes/outcomes-worker.js';

/** An open PostgreSQL: its address, MikroORM (which ran the migrations) and the process's pool for every query. */
export interface CrmDatabase { url: string; orm: MikroORM; sql: Sql }

export interface AssembleOptions {
  /** The HTTP application (API, web app, MCP, Slack); a worker process has none. */
  http: boolean;
  /** Take queued imports and deliveries in this process. */
  workers: boolean;
  /**
   * The messaging vendor: `any` is VENDOR_URL or else a simulator started here (the server, tests, benchmarks);
   * `configured` is VENDOR_URL only (a worker apart from the server cannot share its in-process simulator).
   */
  vendor: 'any' | 'configured';
  /** "Now" for relative rules, and the agent's model; tests and benchmarks give their own. */
  clock?: Clock;
  model?: ChosenModel | ((config: Config) => ChosenModel);
}

/** The CRM, put together once: what every process and test runs, whatever started it. */
export interface AssembledCrm {
  config: Config;
  database: CrmDatabase;
  queue: JobQueue;
  events: EventBus;
  vendor: VendorConnection | null;
  /** Whether this process delivers campaigns (through a carrier or the vendor). */
  delivers: boolean;
  simulator?: VendorSimulator;
  app?: NestExpressApplication;
  ingestion: IngestionService;
  /** Stops workers, the application, the queue and the simulator, in that order; the database is the caller's. */
  stop(): Promise<void>;
}

/**
 * The composition root. The server (`boot`), a worker process, the test support and the benchmarks all build the CRM
 * here, from a configuration and an open database, so that each part is wired one way only.
 */
export async function assembleCrm(config: Config, database: CrmDatabase, options: AssembleOptions): Promise<AssembledCrm> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const queue = await JobQueue.start(database.url, { superviseSeconds: config.JOB_SUPERVISE_SECONDS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_SECONDS * 1000 });
    stops.push(() => queue.stop());
    const events = new EventBus(database.sql);
    let vendor: VendorConnection | null = configuredVendor(config);
    let simulator: VendorSimulator | undefined;
    if (options.vendor === 'any') {
      const connected = await connectVendor(config);
      vendor = connected.connection;
      simulator = connected.simulator;
      if (simulator) stops.push(() => simulator!.stop());
    }
    let app: NestExpressApplication | undefined;
    // The services outside the HTTP application (workers), wired as it wires them.
    const services = crmServices(database.sql, config, { queue, events });
    let ingestion: IngestionService;
    if (options.http) {
      if (!vendor) throw new Error('The HTTP application needs a vendor connection.');
      const model = typeof options.model === 'function' ? options.model(config) : options.model;
      app = await createHttpApp({ config, sql: database.sql, queue, events, vendor, clock: options.clock, model });
      stops.push(() => app!.close());
      ingestion = app.get(IngestionService);
    } else {
      ingestion = services.ingestion;
    }
    let delivers = false;
    if (options.workers) {
      await startImportWorker(queue, ingestion);
      const routes = channelRoutes(config);
      delivers = !!vendor || routes.email.real || routes.sms.real;
      if (delivers) stops.push(await startDelivery(config, queue, database.sql, events, vendor));
      else logger.warn('this worker delivers no campaigns: set SMTP_URL or TWILIO_* for real carriers, or VENDOR_URL and VENDOR_SECRET (the vendor run with `npm run vendor`)');
      stops.push(startOutcomesWorker(database.sql, queue, events, config, services.campaigns));
    }
    return { config, database, queue, events, vendor, delivers, simulator, app, ingestion, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

/** The plain-SQL pool of a server or worker process, with its statement time limit. */
export const processPool = (url: string, config: Config, max?: number) =>
  new Sql(url, { max, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_SECONDS * 1000 });
