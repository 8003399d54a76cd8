import type { NestExpressApplication } from '@nestjs/platform-express';
import { assembleCrm, processPool } from './app/assemble-crm.js';
import { UsersService } from './auth/users.service.js';
import type { Config } from './config/config.schema.js';
import { migrate, openDatabase, type OpenDatabase } from './db/database.js';
import { databaseIsEmpty, seedDemoData } from './db/seed/seeder.js';
import { demoShoppers } from './crm/outcomes/simulated-shoppers.js';
import type { Sql } from './db/sql.js';
import { logger } from './logging/logger.js';
import { listen } from './server.js';

export interface RunningCrm {
  url: string;
  app: NestExpressApplication;
  database: OpenDatabase;
  sql: Sql;
  firstAdmin: { email: string; password?: string } | null;
  seeded: boolean;
  stop(): Promise<void>;
}

/** Database up, schema current, first admin and demo data in place, then the CRM assembled and listening. */
export async function boot(config: Config): Promise<RunningCrm> {
  const database = await openDatabase(config);
  const sql = processPool(database.url, config);
  let stopCrm: (() => Promise<void>) | undefined;
  const stop = async () => {
    sql.stopping = true;
    await stopCrm?.();
    logger.debug('http server closed');
    await sql.close();
    await database.close();
    logger.debug('database closed');
  };
  try {
    await migrate(database.orm, config.MIGRATE_ON_START);
    const seeded = config.SEED_ON_EMPTY && (await databaseIsEmpty(sql));
    if (seeded) await seedDemoData(sql, { seed: config.SEED, customers: config.DEMO_CUSTOMERS, shoppers: config.DEMO_SHOPPERS ? demoShoppers(config) : undefined });
    const crm = await assembleCrm(config, { url: database.url, orm: database.orm, sql }, { http: true, workers: config.RUN_WORKERS, vendor: 'any' });
    stopCrm = crm.stop;
    const app = crm.app!;
    const firstAdmin = await app.get(UsersService).ensureFirstAdmin();
    const url = await listen(app, config.PORT, config.HOST);
    logger.info('CRM started', { url, embeddedDatabase: database.embedded });
    return { url, app, database, sql, firstAdmin, seeded, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
