// A fresh, migrated database for one benchmark: on DATABASE_URL's server, or an embedded PostgreSQL of its own.
// close() drops it again (and the embedded data directory), so a million-customer run leaves no disk behind.
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const dist = (path) => import(join(root, 'dist', path));

export async function benchDatabase(name) {
  const { logger } = await dist('src/logging/logger.js');
  const { startEmbeddedPostgres } = await dist('src/db/embedded-postgres.js');
  const { openDatabase, migrate } = await dist('src/db/database.js');
  const { Sql } = await dist('src/db/sql.js');
  logger.setLevel('warn');
  const dataDir = join(root, '.data', name);
  const server = process.env.DATABASE_URL ? null : await (async () => {
    await rm(dataDir, { recursive: true, force: true });
    return startEmbeddedPostgres({ dataDir });
  })();
  const baseUrl = process.env.DATABASE_URL ?? server.url;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ DATABASE_URL: url.toString(), DATA_DIR: '' });
  await migrate(database.orm, true);
  const sql = new Sql(url.toString(), { max: 12 });
  const version = (await sql.rows('show server_version'))[0].server_version;
  return {
    url: url.toString(), sql, version, orm: database.orm,
    machine: `${cpus().length} cores (${cpus()[0].model}), node ${process.version}, PostgreSQL ${version}${server ? ' (embedded)' : ''}`,
    async close() {
      await sql.close();
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      await server?.stop();
      if (server) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
