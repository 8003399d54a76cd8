import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AuditService } from '../src/audit/audit.service.js';
import { loadConfig } from '../src/config/load-config.js';
import { importsRepository } from '../src/crm/ingestion/imports.repository.js';
import { IngestionService } from '../src/crm/ingestion/ingestion.service.js';
import { JobQueue } from '../src/jobs/job-queue.js';
import { projectRoot } from '../src/project-root.js';
import { runCrm } from './support/crm-process.js';
import { importText, marketer, writeTemp } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// A worker process killed with SIGKILL in the middle of a file import; another worker finishes it.
describe('a worker killed mid-import', () => {
  let db: TestDatabase;
  let clean: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); clean = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); await clean.drop(); });

  it('is replaced by another that finishes the import without counting anything twice', async () => {
    const text = execFileSync('bash', ['-c', `zcat "${join(projectRoot(), '..', 'shared', 'data', 'online_retail.csv.gz')}" | head -150001`], { maxBuffer: 64 << 20 }).toString();
    const path = await writeTemp('retail-150k.csv', text);
    const env = { DATABASE_URL: db.url, JOB_SUPERVISE_SECONDS: '1', IMPORT_BATCH_SIZE: '2000' };
    const config = loadConfig(env);
    const queue = await JobQueue.start(db.url, { superviseSeconds: 1 });
    const service = new IngestionService(db.sql, new AuditService(db.sql), config, queue);
    const created = await service.createFileImport(marketer, { path, fileName: 'retail.csv', source: 'upload', options: {} });
    await service.queueFileImport(created.id);

    const first = runCrm(env, 'dist/src/worker.js');
    let row = await importsRepository.get(db.sql, created.id);
    for (let i = 0; i < 1000 && !(row!.linesDone > 20_000); i++) {
      await new Promise((r) => setTimeout(r, 10));
      row = await importsRepository.get(db.sql, created.id);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await importsRepository.get(db.sql, created.id))!;
    expect(atKill.status).toBe('running');
    expect(atKill.linesDone).toBeGreaterThan(0);
    expect(atKill.linesDone).toBeLessThan(150_000);

    const second = runCrm(env, 'dist/src/worker.js');
    try {
      for (let i = 0; i < 600 && row!.status !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        row = await importsRepository.get(db.sql, created.id);
      }
    } finally {
      await second.stop('SIGTERM');
      await queue.stop();
    }
    const reference = await importText(clean, 'retail.csv', text);
    expect(row).toMatchObject({ status: 'succeeded', received: reference.received, inserted: reference.inserted, skipped: reference.skipped, unchanged: 0, rejected: 0 });
    const figures = `select external_id, total_spend, order_count, first_order_at, last_order_at from customers order by external_id`;
    expect(await db.sql.rows(figures)).toEqual(await clean.sql.rows(figures));
    const lines = `select count(*)::int as n, sum(quantity * unit_price) as total from order_lines`;
    expect(await db.sql.rows(lines)).toEqual(await clean.sql.rows(lines));
    // Who bought what ("bought … contains" reads it) survives the kill too: each customer's products, by name.
    const bought = `select cp.customer_id, array(select p.description_key from products p where p.id = any(cp.product_ids) order by 1) as products
      from customer_products cp order by 1`;
    const fromScratch = `select o.customer_id, array_agg(distinct lower(l.description) order by lower(l.description)) as products
      from orders o join order_lines l on l.order_id = o.id where o.status in ('pending', 'completed') and l.description is not null group by 1 order by 1`;
    expect(await db.sql.rows(bought)).toEqual(await db.sql.rows(fromScratch));
    expect(await db.sql.rows(`select count(*)::int as n from stale_customers`)).toEqual([{ n: 0 }]);
  }, 120_000);
});
