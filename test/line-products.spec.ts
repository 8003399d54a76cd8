import fc from 'fast-check';
import type { OrderInput } from '../src/crm/orders/order-input.js';
import { writeOrders } from '../src/crm/orders/order-writer.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// Each order line names its product, each order lists its lines' products and SKUs, and each customer keeps a list
// of products bought; "bought …" reads them. Whatever the writes (new lines, changed descriptions, lines dropped,
// orders refunded or moved to another customer), all three must equal what the lines say, computed here from scratch.
const descriptions = ['Red Mug', 'RED MUG', 'Heart Lantern', 'tea towel', null];
const order: fc.Arbitrary<OrderInput> = fc.record({
  externalId: fc.constantFrom('o-1', 'o-2', 'o-3', 'o-4'),
  customerExternalId: fc.constantFrom('c-1', 'c-2', 'c-3'),
  placedAt: fc.constant(new Date('2026-01-05T10:00:00Z')),
  status: fc.constantFrom('pending', 'completed', 'completed', 'refunded', 'cancelled'),
  total: fc.constant(undefined),
  lines: fc.array(fc.record({ sku: fc.constantFrom(null, 'A-1', 'B"2'), description: fc.constantFrom(...descriptions), quantity: fc.constant(1), unitPrice: fc.constant('10') }), { minLength: 1, maxLength: 3 }),
});

describe('products of order lines', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('every line names the product of its description, and every order\'s and customer\'s list of products is exact, whatever was written before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(order, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        await db.sql.query('truncate customers, orders, order_lines restart identity cascade');
        for (const batch of batches) await db.sql.transaction((client) => writeOrders(client, batch));

        const misnamed = await db.sql.rows(`select l.order_id, l.position, l.description, l.product_id from order_lines l
          left join products p on p.description_key = lower(l.description) where l.product_id is distinct from p.id`);
        expect(misnamed).toEqual([]);
        const lists = await db.sql.rows(`select c.external_id, array(select p.description_key from products p where p.id = any(cp.product_ids) order by 1) as products
          from customer_products cp join customers c on c.id = cp.customer_id order by 1`);
        const fromScratch = await db.sql.rows(`select c.external_id, array_agg(distinct lower(l.description) order by lower(l.description)) as products
          from orders o join order_lines l on l.order_id = o.id join customers c on c.id = o.customer_id
          where o.status in ('pending', 'completed') and l.description is not null group by 1 order by 1`);
        expect(lists).toEqual(fromScratch);
        const orderLists = await db.sql.rows(`select o.external_id, o.product_ids, o.skus from orders o where
          array(select unnest(o.product_ids) order by 1) is distinct from array(select distinct l.product_id from order_lines l where l.order_id = o.id and l.product_id is not null order by 1)
          or array(select unnest(o.skus) order by 1) is distinct from array(select distinct l.sku from order_lines l where l.order_id = o.id and l.sku is not null order by 1)`);
        expect(orderLists).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
