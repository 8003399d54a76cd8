import pg from 'pg';
import { TEMPLATE_DATABASE } from './global-setup.mjs';

export default async function globalTeardown() {
  const url = process.env.CRM_TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`).catch(() => {});
    await admin.end();
  }
  await globalThis.__embeddedTestDatabase?.stop();
}
