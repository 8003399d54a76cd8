// A fresh, migrated database for one benchmark: on DATABASE_URL's server, or an embedded PostgreSQL of its own.
// close() drops it again (and the embedded data directory), so a million-customer run leaves no disk behind.
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const dist = (path) => import(join(root, 'dist', path));

/** `keep`: reuse the database a previous run left (with KEEP_DATA=1 on DATABASE_URL's server) instead of starting empty. */
export async function benchDatabase(name, { keep = false } = {}) {
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
  const kept = keep && !!server === false && (await admin.query(`select 1 from pg_database where datname = $1`, [name])).rowCount > 0;
  if (!kept) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ DATABASE_URL: url.toString(), DATA_DIR: '' });
  await migrate(database.orm, true);
  const sql = new Sql(url.toString(), { max: 12 });
  const version = (await sql.rows('show server_version'))[0].server_version;
  return {
    url: url.toString(), sql, version, orm: database.orm,
    machine: `${cpus().length} cores (${cpus()[0].model}), node ${process.version}, PostgreSQL ${version}${server ? ' (embedded)' : ''}`,
    kept,
    async close() {
      await sql.close();
      await database.close();
      if (keep) return void (await admin.end());
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      await server?.stop();
      if (server) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/**
 * The real HTTP application on a loopback port over a bench database (workers off), and API tokens for it. `model`
 * is the agent's model, or a function of the configuration that chooses one.
 */
export async function benchServer(db, { model } = {}) {
  const { loadConfig } = await dist('src/config/load-config.js');
  const { assembleCrm } = await dist('src/app/assemble-crm.js');
  const { listen } = await dist('src/server.js');
  const { UsersService } = await dist('src/auth/users.service.js');
  const { TokensService } = await dist('src/auth/tokens.service.js');
  const { freePort } = await dist('src/db/free-port.js');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({ DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: url, VENDOR_PORT: '0', RUN_WORKERS: 'false', LOG_LEVEL: 'warn', JOB_SUPERVISE_SECONDS: '60' });
  const crm = await assembleCrm(config, db, { http: true, workers: false, vendor: 'any', model });
  const app = crm.app;
  await listen(app, port, '127.0.0.1');
  const operator = { userId: null, email: 'bench', role: 'admin', surface: 'system' };
  let people = 0;
  return {
    app, url, config,
    /** A new person of this role with an API token, and the actor that token stands for. */
    async person(role) {
      const { user } = await app.get(UsersService).create(operator, { email: `bench-${role}-${++people}-${port}@example.com`, role, password: 'bench-password-long' });
      // A script trusted with all its role allows, sends included: benchmarks launch campaigns themselves.
      const scopes = role === 'analyst' ? ['read'] : ['read', 'write', 'send'];
      const { token } = await app.get(TokensService).create(operator, { userId: user.id, role, scopes });
      return { token, actor: { userId: user.id, email: user.email, role, surface: 'api' } };
    },
    close: () => crm.stop(),
  };
}
