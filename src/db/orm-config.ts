import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { logger } from '../logging/logger.js';
import { migrations } from './migrations.js';

/**
 * MikroORM here runs the migrations and nothing else (every query of the CRM goes through src/db/sql.ts): it maps no
 * entities, and its pool keeps no connection once the migrations are done.
 */
export function ormConfig(clientUrl: string, options: { poolMax?: number } = {}) {
  return defineConfig({
    clientUrl,
    entities: [],
    extensions: [Migrator],
    migrations: { migrationsList: migrations, tableName: 'schema_migrations', transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: options.poolMax ?? 2, idleTimeoutMillis: 1000 },
    // Dates stay timestamptz in UTC; amounts stay strings so no cent is rounded through a float.
    timezone: 'Z',
    forceUtcTimezone: true,
    // A misspelt DATABASE_URL must fail, not quietly create an empty database and fill it with demo data.
    ensureDatabase: false,
    debug: false,
    logger: (message) => logger.debug(message, { context: 'orm' }),
    discovery: { warnWhenNoEntities: false },
  });
}
