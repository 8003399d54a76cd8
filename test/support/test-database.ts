import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from '../../src/db/orm-config.js';
import { Sql } from '../../src/db/sql.js';
import { adminUrl, TEMPLATE_DATABASE, withDatabase } from './test-database-url.js';

export interface TestDatabase { name: string; url: string; orm: MikroORM; sql: Sql; drop(): Promise<void> }

let counter = 0;

/** A fresh, migrated database of this test file's own, cloned from the template in a few milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `crm_test_${process.pid}_${++counter}_${Date.now() % 100000}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
  await admin.end();
  const url = withDatabase(adminUrl(), name);
  const orm = await MikroORM.init(ormConfig(url, { poolMax: 4 }));
  const sql = new Sql(url, { max: 10 });
  return {
    name, url, orm, sql,
    async drop() {
      await sql.close();
      await orm.close(true);
      const cleanup = new pg.Client({ connectionString: adminUrl() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
