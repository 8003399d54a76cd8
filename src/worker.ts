import 'reflect-metadata';
import { assembleCrm, processPool } from './app/assemble-crm.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { DatabaseStartError, migrate, openDatabase } from './db/database.js';
import { logger } from './logging/logger.js';
import { onStopSignal } from './process-signals.js';

// A worker process of its own (`npm run worker`): takes queued imports from the same PostgreSQL as the server.
// Start as many as the machine allows; a job whose worker dies is taken up by another.
let stop: (() => Promise<void>) | undefined;
onStopSignal(() => void (stop ? stop() : Promise.resolve()).then(() => process.exit(0), () => process.exit(1)));
try {
  const config = loadConfig();
  logger.setLevel(config.LOG_LEVEL);
  const database = await openDatabase(config, { share: true, poolMax: 2 });
  await migrate(database.orm, false);
  const sql = processPool(database.url, config, 8);
  // A worker apart from the server reaches the vendor by address; without one it takes imports only.
  const crm = await assembleCrm(config, { url: database.url, orm: database.orm, sql }, { http: false, workers: true, vendor: 'configured' });
  stop = async () => {
    sql.stopping = true;
    await crm.stop();
    await sql.close();
    await database.close();
  };
  logger.info('worker started', { pid: process.pid });
  process.stdout.write(`worker ${process.pid} is taking imports${crm.delivers ? ' and deliveries' : ''}\n`);
} catch (error) {
  const known = error instanceof ConfigError || error instanceof DatabaseStartError;
  process.stderr.write(`The worker could not start. ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
