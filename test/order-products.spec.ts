import fc from 'fast-check';
import { compileRule, SqlParams } from '../src/crm/segments/rule-compiler.js';
import { parseRule } from '../src/crm/segments/rule-parser.js';
import { importText } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// Each order carries the products and SKUs on its lines, and "bought … in the last N days" or "at least K times"
// reads them. A file import writes them itself (new orders with their arrays, lines by COPY, invoices split over
// batches or spread over several files summed in SQL). Whatever the files, they must equal what the lines say, and
// the rules must count what a query over the lines counts.
const skus = ['A1', 'B"2', 'C\\3', 'D,4', 'E 5'];
const descriptions = ['Red Mug', 'RED MUG', 'Heart Lantern', ''];
const line = fc.record({
  invoice: fc.constantFrom('I1', 'I2', 'I3', 'I4', 'I5'),
  customer: fc.constantFrom('c1', 'c2', 'c3'),
  day: fc.integer({ min: 1, max: 28 }),
  sku: fc.constantFrom(...skus, ''),
  description: fc.constantFrom(...descriptions),
  quantity: fc.integer({ min: 1, max: 3 }),
});
type Line = typeof line extends fc.Arbitrary<infer T> ? T : never;

const quoted = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
// An invoice keeps the customer and day of its first line in the file, as a shop's export would.
function csv(lines: Line[]) {
  const first = new Map<string, Line>();
  for (const l of lines) if (!first.has(l.invoice)) first.set(l.invoice, l);
  const rows = lines.map((l) => {
    const head = first.get(l.invoice)!;
    return [l.invoice, head.customer, `2026-02-${String(head.day).padStart(2, '0')} 10:00:00`, l.sku, l.description, l.quantity, '2.50'].map((c) => quoted(String(c))).join(',');
  });
  return ['invoice,customer id,date,sku,description,quantity,price', ...rows].join('\n') + '\n';
}

describe('products of imported orders', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('every order lists exactly the products and SKUs of its lines, and product rules count what the lines say', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), async (files, batchSize) => {
        await db.sql.query('truncate customers, orders, order_lines restart identity cascade');
        for (const [i, lines] of files.entries()) {
          // The same invoice in a later file may belong to another customer: the import moves it, as a shop's would.
          const report = await importText(db, `lines-${i}.csv`, csv(lines), {}, { IMPORT_BATCH_SIZE: String(batchSize) });
          expect(report.status).toBe('succeeded');
        }
        const wrong = await db.sql.rows(`
          select o.external_id, o.product_ids, o.skus from orders o
          where array(select unnest(o.product_ids) order by 1) is distinct from
                  array(select distinct l.product_id from order_lines l where l.order_id = o.id and l.product_id is not null order by 1)
             or array(select unnest(o.skus) order by 1) is distinct from
                  array(select distinct l.sku from order_lines l where l.order_id = o.id and l.sku is not null order by 1)`);
        expect(wrong).toEqual([]);
        const lists = await db.sql.rows(`select customer_id, product_ids from customer_products order by 1`);
        const listsFromLines = await db.sql.rows(`select o.customer_id, array_agg(distinct l.product_id order by l.product_id) as product_ids
          from orders o join order_lines l on l.order_id = o.id where o.status in ('pending', 'completed') and l.product_id is not null group by 1 order by 1`);
        expect(lists).toEqual(listsFromLines);

        const ctx = { now: new Date('2026-03-01T00:00:00Z'), zone: 'UTC' };
        for (const rule of [{ sku: 'B"2', withinDays: 14, atLeast: 1 }, { contains: 'mug', atLeast: 2 }, { sku: 'C\\3', atLeast: 1, from: '2026-02-10' }]) {
          const params = new SqlParams();
          const where = compileRule(parseRule({ bought: rule }), params, ctx);
          const [{ n }] = await db.sql.rows<{ n: number }>(`select count(*)::int as n from customers c where ${where}`, params.values);
          const product = 'sku' in rule ? `l.sku = $1` : `lower(l.description) like '%mug%'`;
          const since = 'withinDays' in rule ? `and o.placed_at >= '2026-02-15'` : 'from' in rule ? `and o.placed_at >= '2026-02-10'` : '';
          const [{ reference }] = await db.sql.rows<{ reference: number }>(`select count(*)::int as reference from (
            select o.customer_id from orders o where o.status in ('pending', 'completed') ${since}
              and exists (select 1 from order_lines l where l.order_id = o.id and ${product})
            group by o.customer_id having count(*) >= ${rule.atLeast}) x`, 'sku' in rule ? [rule.sku] : []);
          expect({ rule, n }).toEqual({ rule, n: reference });
        }
      }),
      { numRuns: 25 },
    );
  });
});
