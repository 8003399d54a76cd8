// Once per run: build the server (tests also run it as a real process), find a PostgreSQL to test against
// (DATABASE_URL, or an embedded one), and make a template database with every migration applied.
// Plain JavaScript over dist/: Jest loads global setup outside its TypeScript transform.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_DATABASE = 'crm_test_template';

export default async function globalSetup() {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    stdio: 'inherit', env: { ...process.env, CRM_BUILD_QUIET: '1' },
  });
  const { logger } = await import(join(root, 'dist/src/logging/logger.js'));
  const { migrate, openDatabase } = await import(join(root, 'dist/src/db/database.js'));
  const { startEmbeddedPostgres } = await import(join(root, 'dist/src/db/embedded-postgres.js'));
  logger.setLevel('warn');

  let url = process.env.DATABASE_URL;
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: join(root, '.data', 'test') });
    globalThis.__embeddedTestDatabase = embedded;
    url = embedded.url;
  }
  process.env.CRM_TEST_DATABASE_URL = url;

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // Databases left by an earlier, interrupted run.
  const stale = await admin.query(`select datname from pg_database where datname like 'crm_test_%'`);
  for (const { datname } of stale.rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();

  const templateUrl = new URL(url);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  const template = await openDatabase({ DATABASE_URL: templateUrl.toString(), DATA_DIR: '' });
  await migrate(template.orm, true);
  await template.close();
}
