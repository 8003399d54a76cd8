import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../src/project-root.js';
import { importsRepository } from '../src/crm/ingestion/imports.repository.js';
import { importText, ingestion, marketer, writeTemp } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const retailSlice = (lines: number) =>
  execFileSync('bash', ['-c', `zcat "${join(projectRoot(), '..', 'shared', 'data', 'online_retail.csv.gz')}" | head -${lines + 1}`], { maxBuffer: 64 << 20 }).toString();

describe('importing files', () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await createTestDatabase(); });
  afterEach(async () => { await db.drop(); });

  it('reports every bad line with its line number, column and reason, and keeps every good line', async () => {
    const header = 'Invoice,Customer ID,Date,SKU,Description,Qty,Price,Country';
    const lines = [
      header,
      'A1,c1,2026-01-05 10:00:00,KUR-001,Cotton Kurta,2,899.00,India', // 2 good
      'A2,c2,2026-01-06 10:00:00,SAR-014,"Silk, red ""Banarasi""",1,4599,India', // 3 good, quoted
      'A3,c3,2026-01-07 10:00:00,TEA-003,"Chai tin,1,349,India', // 4 unbalanced quote
      'A4,c4,2026-01-08 10:00:00,TEA-003,Chai,1,349', // 5 wrong number of columns
      'A5,c5,2026-01-09 10:00:00,TEA-003,Chai,two,349,India', // 6 text in a number column
      'A6,c6,2026-02-30 10:00:00,TEA-003,Chai,1,349,India', // 7 impossible date
      ',c7,2026-01-10 10:00:00,TEA-003,Chai,1,349,India', // 8 empty required field
      `A8,c8,2026-01-11 10:00:00,BIG,${'x'.repeat(10 * 1024 * 1024)},1,1,India`, // 9 a 10 MB field
      'A9,c9,2026-01-12 10:00:00,RIC-005,Rice,1,749.00,India', // 10 good
    ];
    const report = await importText(db, 'messy.csv', lines.join('\n') + '\n');
    expect(report).toMatchObject({ status: 'succeeded', layout: 'order-lines', received: 9, inserted: 3, rejected: 6 });
    expect(report.rejections).toEqual([
      { position: 4, field: null, reason: 'a quote is opened and never closed (unbalanced quotes)' },
      { position: 5, field: null, reason: 'has 7 columns where the header has 8' },
      { position: 6, field: 'Qty', reason: '"two" is not a whole number' },
      { position: 7, field: 'Date', reason: '"2026-02-30 10:00:00" is not a real date' },
      { position: 8, field: 'Invoice', reason: 'is empty' },
      // Read no further than needed to know it is too long: memory stays flat.
      { position: 9, field: null, reason: expect.stringMatching(/^the line is more than [\d,]+ characters long; the limit is 1,048,576 \(IMPORT_MAX_LINE_BYTES\)$/) },
    ]);
    const kept = await db.sql.rows(`select o.external_id, l.description from orders o join order_lines l on l.order_id = o.id order by 1`);
    expect(kept).toEqual([
      { external_id: 'A1', description: 'Cotton Kurta' },
      { external_id: 'A2', description: 'Silk, red "Banarasi"' },
      { external_id: 'A9', description: 'Rice' },
    ]);
  });

  it('keeps descriptions with tabs, backslashes and line breaks exactly', async () => {
    const description = 'Tab\there, back\\slash, \\N, and\na new line';
    const csv = `invoice,customer id,date,sku,description,quantity,price\nZ1,c1,2026-01-01,S1,"${description}",1,10\n`;
    expect(await importText(db, 'odd.csv', csv)).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(await db.sql.rows('select description from order_lines')).toEqual([{ description }]);
  });

  it('fails a file that is not CSV at all, or has no valid line, with one sentence', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    expect(await importText(db, 'photo.csv', png)).toMatchObject({
      status: 'failed', error: 'This file is not CSV or NDJSON text: it holds binary data (is it a spreadsheet or an archive? Export it as CSV).',
    });
    expect(await importText(db, 'prose.csv', 'Dear team,\nplease find the numbers attached.\n')).toMatchObject({
      status: 'failed', error: expect.stringContaining('No column of this file could be recognised'),
    });
    const bad = await importText(db, 'bad.csv', 'order id,customer id,date,amount\nO1,c1,yesterday,10\nO2,c2,2026-01-01,ten\n');
    expect(bad.status).toBe('failed');
    expect(bad.error).toBe('No line of this file could be imported; 2 were rejected, for example line 2 (date): "yesterday" is not a date in ISO form (2026-03-01 or 2026-03-01T10:30:00Z); set another with --date-format; line 3 (amount): "ten" is not an amount.');
    expect(await db.sql.rows('select * from orders')).toEqual([]);
  });

  it('states the line limit when it is set lower', async () => {
    const report = await importText(db, 'c.csv', `customer id,name\nc1,${'n'.repeat(500)}\nc2,Asha\n`, {}, { IMPORT_MAX_LINE_BYTES: '200' });
    expect(report.rejections[0].reason).toBe('the line is 503 characters long; the limit is 200 (IMPORT_MAX_LINE_BYTES)');
    expect(report.inserted).toBe(1);
  });

  it('maps columns by name or by --map, says which it ignored, and reads other date forms, a BOM and semicolons', async () => {
    const text = '\ufeffBill No;Client;Placed;Grand Total;Coupon\nB-1;c-9;05/01/2026 18:30;1.299,50;WELCOME\n';
    const report = await importText(db, 'orders.csv', text.replace('1.299,50', '1299.50'), { dateFormat: 'DD/MM/YYYY HH:mm', map: { Client: 'customerId' } });
    expect(report).toMatchObject({ status: 'succeeded', layout: 'orders', inserted: 1, ignoredColumns: ['Coupon'] });
    expect(await db.sql.rows(`select placed_at, total from orders`)).toEqual([{ placed_at: new Date('2026-01-05T18:30:00Z'), total: '1299.500' }]);
  });

  it('reads gzipped NDJSON customers', async () => {
    const ndjson = [{ id: 'c1', name: 'Asha Rao', email: 'ASHA@example.com', city: 'Pune', tags: ['vip', 'app-user'] }, { id: 'c2', email: 'not-an-email' }]
      .map((o) => JSON.stringify(o)).join('\n');
    const report = await importText(db, 'people.ndjson.gz', ndjson, { map: { id: 'customerId' } });
    expect(report).toMatchObject({ status: 'succeeded', layout: 'customers', inserted: 1, rejected: 1 });
    expect(report.rejections).toEqual([{ position: 2, field: 'email', reason: 'is not an email address' }]);
    expect(await db.sql.rows(`select name, email, city, tags from customers`)).toEqual([{ name: 'Asha Rao', email: 'asha@example.com', city: 'Pune', tags: ['vip', 'app-user'] }]);
  });

  it('imports the retail file layout exactly: invoices become orders, C invoices refunds, rows without a customer skipped', async () => {
    const text = retailSlice(4000);
    const report = await importText(db, 'retail.csv', text);
    // The reference, computed here independently of the importer.
    const rows = text.trim().split('\n').slice(1).map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')));
    const expected = new Map<string, { spend: number; invoices: Set<string>; last: string }>();
    let skipped = 0;
    for (const [invoice, , , qty, date, price, customer] of rows) {
      if (!customer) { skipped++; continue; }
      const e = expected.get(customer) ?? { spend: 0, invoices: new Set<string>(), last: '' };
      e.spend += Math.round(Number(qty) * Number(price) * 1000);
      if (!invoice.startsWith('C')) { e.invoices.add(invoice); if (date > e.last) e.last = date; }
      expected.set(customer, e);
    }
    expect(report).toMatchObject({ status: 'succeeded', received: 4000, skipped, rejected: 0, inserted: 4000 - skipped });
    const actual = await db.sql.rows(`select external_id, total_spend, order_count, last_order_at from customers order by external_id`);
    expect(actual.map((a) => a.external_id).sort()).toEqual([...expected.keys()].sort());
    for (const a of actual) {
      const e = expected.get(a.external_id)!;
      expect([Math.round(Number(a.total_spend) * 1000), a.order_count, a.last_order_at?.getTime() ?? null])
        .toEqual([e.spend, e.invoices.size, e.last ? new Date(`${e.last.replace(' ', 'T')}Z`).getTime() : null]);
    }
    const refunds = await db.sql.rows(`select count(*)::int as n, bool_and(total < 0) as negative from orders where status = 'refunded'`);
    expect(refunds[0]).toEqual({ n: new Set(rows.filter((r) => r[0].startsWith('C') && r[6]).map((r) => r[0])).size, negative: true });
  });

  it('changes no figure when the same file comes twice', async () => {
    const text = retailSlice(3000);
    const first = await importText(db, 'retail.csv', text);
    const snapshot = async () => db.sql.rows(`select external_id, total_spend, order_count, first_order_at, last_order_at, average_order_value, updated_at from customers order by external_id`);
    const before = await snapshot();
    const lines = await db.sql.rows(`select count(*)::int as n from order_lines`);
    const second = await importText(db, 'retail.csv', text);
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: first.inserted, skipped: first.skipped });
    expect(await snapshot()).toEqual(before);
    expect(await db.sql.rows(`select count(*)::int as n from order_lines`)).toEqual(lines);
  });

  it('writes a batch again when another writer created one of its orders meanwhile, losing nothing', async () => {
    const csv = 'invoice,customer id,date,sku,description,quantity,price\nR1,c1,2026-01-05 10:00:00,S1,Red Mug,2,10\nR1,c1,2026-01-05 10:00:00,S2,Tea Towel,1,5\nR2,c2,2026-01-06 10:00:00,S1,Red Mug,1,10\n';
    // Another writer (the API, another import) creates R1 and holds its transaction open: the import does not see R1,
    // writes it as a new order, and waits on the unique invoice number until that transaction commits.
    await db.sql.query(`insert into customers (external_id) values ('c1')`);
    const other = await db.sql.pool.connect();
    try {
      await other.query('begin');
      await other.query(`insert into orders (external_id, customer_id, placed_at, total) select 'R1', id, '2026-01-05T10:00:00Z', 25 from customers where external_id = 'c1'`);
      const report = importText(db, 'race.csv', csv);
      for (let i = 0; i < 100; i++) {
        const [{ waiting }] = await db.sql.rows<{ waiting: number }>(`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (waiting) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await other.query('commit');
      expect(await report).toMatchObject({ status: 'succeeded', received: 3, inserted: 3, rejected: 0 });
    } finally {
      other.release();
    }
    expect(await db.sql.rows(`select o.external_id, o.total, count(l.*)::int as lines from orders o left join order_lines l on l.order_id = o.id group by o.id order by 1`)).toEqual([
      { external_id: 'R1', total: '25.000', lines: 2 },
      { external_id: 'R2', total: '10.000', lines: 1 },
    ]);
    expect(await db.sql.rows(`select external_id, total_spend, order_count from customers order by 1`)).toEqual([
      { external_id: 'c1', total_spend: '25.000', order_count: 1 },
      { external_id: 'c2', total_spend: '10.000', order_count: 1 },
    ]);
  });

  it('resumes an interrupted import after its last committed batch, counting nothing twice', async () => {
    const text = retailSlice(3000);
    const service = ingestion(db, { IMPORT_BATCH_SIZE: '300' });
    const path = await writeTemp('retail-resume.csv', text);
    const created = await service.createFileImport(marketer, { path, fileName: 'retail.csv', source: 'cli', options: {} });
    let batches = 0;
    // The process "dies" after three committed batches.
    await expect(service.runFileImport(created.id, () => { if (++batches === 3) throw new Error('killed'); })).rejects.toThrow('killed');
    const midway = await importsRepository.get(db.sql, created.id);
    expect(midway!.linesDone).toBeGreaterThan(0);
    expect(midway!.linesDone).toBeLessThan(3000);

    const resumed = await service.runFileImport(created.id);
    const clean = await createTestDatabase();
    try {
      const reference = await importText(clean, 'retail.csv', text);
      expect(resumed).toMatchObject({ status: 'succeeded', received: reference.received, inserted: reference.inserted, skipped: reference.skipped, unchanged: 0 });
      const figures = `select external_id, total_spend, order_count, last_order_at from customers order by external_id`;
      expect(await db.sql.rows(figures)).toEqual(await clean.sql.rows(figures));
    } finally {
      await clean.drop();
    }
  });
});
