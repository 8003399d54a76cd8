import { refreshStaleCustomers } from '../src/crm/customers/stale-customers.js';
import { importMemory, type PositionedLine } from '../src/crm/ingestion/import-writer.js';
import { prepareLineBatch, writePreparedLines } from '../src/crm/ingestion/line-batch.js';
import { importText } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// A batch of an order lines file is prepared ahead of its transaction; what it writes there must still leave every
// customer's figures right, including those of an order that moves to another customer half-way through a file.
describe('a prepared batch of order lines', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  const line = (position: number, customerId: string, unitPrice: string): PositionedLine => ({
    orderId: 'X1', customerId, placedAt: new Date('2026-02-03T10:00:00Z'), status: null, sku: 'S1', description: 'Red Mug',
    quantity: 1, unitPrice, customer: {}, position,
  });

  it('marks the customer an order moves away from, though the marks were cleared since its first lines', async () => {
    // The invoice's first line, in an earlier batch, named c1; the import's marks have all been read since.
    await importText(db, 'first.csv', 'invoice,customer id,date,sku,description,quantity,price\nX1,c1,2026-02-03 10:00:00,S1,Red Mug,1,4\n');
    expect(await db.sql.rows(`select count(*)::int as n from stale_customers`)).toEqual([{ n: 0 }]);

    // Its next line, in this batch, names c2: the order moves, and c1 must be read again.
    const batch = await prepareLineBatch(db.sql, [line(2, 'c2', '6')], new Set(['X1']), importMemory());
    await db.sql.transaction((client) => writePreparedLines(client, batch));
    await refreshStaleCustomers(db.sql);

    expect(await db.sql.rows(`select external_id, total_spend, order_count from customers order by 1`)).toEqual([
      { external_id: 'c1', total_spend: '0.000', order_count: 0 },
      { external_id: 'c2', total_spend: '10.000', order_count: 1 },
    ]);
  });

  it('placed again after another writer created one of its orders, writes its lines to that order', async () => {
    const batch = await prepareLineBatch(db.sql, [{ ...line(1, 'c3', '5'), orderId: 'Y1' }], new Set(), importMemory());
    // Meanwhile another writer creates Y1: the prepared COPY would collide with it, the batch placed again does not.
    await db.sql.query(`insert into orders (external_id, customer_id, placed_at, total) select 'Y1', id, now(), 5 from customers where external_id = 'c3'`);
    await expect(db.sql.transaction((client) => writePreparedLines(client, batch))).rejects.toMatchObject({ constraint: 'orders_external_id_key' });
    await db.sql.transaction(async (client) => writePreparedLines(client, await batch.again()));
    expect(await db.sql.rows(`select o.external_id, o.total, count(l.*)::int as lines from orders o join order_lines l on l.order_id = o.id where o.external_id = 'Y1' group by o.id`))
      .toEqual([{ external_id: 'Y1', total: '5.000', lines: 1 }]);
  });
});
