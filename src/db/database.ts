import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/config.schema.js';
import { logger } from '../logging/logger.js';
import { DatabaseStartError, startEmbeddedPostgres, type RunningDatabase } from './embedded-postgres.js';
import { migrations } from './migrations.js';
import { ormConfig } from './orm-config.js';
import type { Queryable } from './sql.js';

export { DatabaseStartError };

/** The URL with its password replaced, fit for a message or a log line. */
export function maskUrl(url: string) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unreadable URL)';
  }
}

export interface OpenDatabase {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Starts (or reaches) PostgreSQL and connects MikroORM to it; every failure becomes one sentence a person can act on. */
export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_POSTGRES_PORT'>,
  options: { share?: boolean; poolMax?: number } = {},
): Promise<OpenDatabase> {
  const server: RunningDatabase = config.DATABASE_URL
    ? { url: config.DATABASE_URL, embedded: false, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT, share: options.share });

  let orm: MikroORM;
  try {
    orm = await MikroORM.init(ormConfig(server.url, { poolMax: options.poolMax }));
    // A real round trip: the pool connects lazily, so only a query proves the URL, password and database are right.
    await orm.em.getConnection().execute('select 1');
  } catch (error) {
    await server.stop();
    const reason = (error as Error).message.split('\n')[0];
    throw new DatabaseStartError(`Cannot connect to the database at ${maskUrl(server.url)}: ${reason}. Check DATABASE_URL.`);
  }
  return {
    orm,
    url: server.url,
    embedded: server.embedded,
    async close() {
      await orm.close(true);
      await server.stop();
    },
  };
}

/**
 * Brings the schema up to date, or (when `apply` is false) refuses to go on with a schema that is behind.
 * A database that has run a migration this code does not know was migrated by a newer CRM: starting on it is refused too.
 */
export async function migrate(orm: MikroORM, apply: boolean): Promise<string[]> {
  const known = new Set(migrations.map((m) => m.name));
  const executed = await orm.migrator.getExecuted();
  const unknown = executed.map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length) {
    throw new DatabaseStartError(`The database has migration ${unknown.join(', ')}, which this version of the CRM does not know: it was migrated by a newer version.`);
  }
  const pending = (await orm.migrator.getPending()).map((m) => m.name);
  if (!pending.length) return [];
  if (!apply) {
    throw new DatabaseStartError(`The database is missing migration ${pending.join(', ')}; run \`npm run db:migrate\` (or set MIGRATE_ON_START=true).`);
  }
  await orm.migrator.up();
  logger.info('database migrated', { applied: pending });
  return pending;
}

/** For the health check: true when every migration this code knows has run (read with the process's own pool). */
export async function migrationsCurrent(db: Queryable) {
  const ran = new Set((await db.query<{ name: string }>(`select name from schema_migrations`)).rows.map((r) => r.name));
  return migrations.every((m) => ran.has(m.name));
}
