import { createServer } from 'node:net';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../src/db/free-port.js';
import { projectRoot } from '../src/project-root.js';
import { runCrm } from './support/crm-process.js';
import { createTestDatabase } from './support/test-database.js';
import { adminUrl, withDatabase } from './support/test-database-url.js';

// Each bad start must end with one sentence a person can act on and a non-zero exit, never a stack trace alone.
async function failedStart(env: Record<string, string>) {
  const crm = runCrm({ SEED_ON_EMPTY: 'false', ...env });
  const code = await crm.exited;
  return { code, output: crm.output() };
}

describe('starting the CRM with something wrong', () => {
  it('lists every configuration problem', async () => {
    const { code, output } = await failedStart({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(output).toContain('The CRM could not start. The configuration has 2 problem(s)');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('says which database it cannot reach, without its password', async () => {
    const port = await freePort();
    const { code, output } = await failedStart({ DATABASE_URL: `postgres://crm:secret-password@127.0.0.1:${port}/crm` });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot connect to the database at postgres://crm:***@127.0.0.1:${port}/crm: connect ECONNREFUSED`);
    expect(output).not.toContain('secret-password');
  });

  it('refuses a database name that does not exist instead of creating an empty one', async () => {
    const { code, output } = await failedStart({ DATABASE_URL: withDatabase(adminUrl(), 'crm_test_no_such_db') });
    expect(code).toBe(1);
    expect(output).toContain('database "crm_test_no_such_db" does not exist. Check DATABASE_URL.');
  });

  it('says the port is in use', async () => {
    const db = await createTestDatabase();
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { code, output } = await failedStart({ DATABASE_URL: db.url, PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port} is already in use; stop what uses it or set PORT to another port.`);
    } finally {
      blocker.close();
      await db.drop();
    }
  });

  it('refuses to start on a schema that is behind when migrations are not to run, and on one from a newer CRM', async () => {
    const empty = `crm_test_empty_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`create database ${empty}`);
    try {
      const behind = await failedStart({ DATABASE_URL: withDatabase(adminUrl(), empty), MIGRATE_ON_START: 'false' });
      expect(behind.code).toBe(1);
      expect(behind.output).toMatch(/The database is missing migration Migration20261120000000_initial(, Migration\w+)*; run `npm run db:migrate`/);

      const db = await createTestDatabase();
      await db.sql.query(`insert into schema_migrations (name) values ('Migration20991231000000_future')`);
      const newer = await failedStart({ DATABASE_URL: db.url, PORT: String(await freePort()) });
      expect(newer.code).toBe(1);
      expect(newer.output).toContain('The database has migration Migration20991231000000_future, which this version of the CRM does not know');
      await db.drop();
    } finally {
      await admin.query(`drop database if exists ${empty} with (force)`);
      await admin.end();
    }
  });

  it('refuses a data directory made by a newer PostgreSQL', async () => {
    const dataDir = join(projectRoot(), '.data', `test-newer-${process.pid}`);
    await mkdir(join(dataDir, 'pg'), { recursive: true });
    await writeFile(join(dataDir, 'pg', 'PG_VERSION'), '19\n');
    try {
      const { code, output } = await failedStart({ DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toContain('holds PostgreSQL 19 data; this build runs PostgreSQL 18');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
