import { refreshStaleCustomers } from '../src/crm/customers/stale-customers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// The end of an import reads its customers' figures and products bought again, in several transactions on two
// connections at once (and the reconciler may be doing the same for an import that stopped): every marked customer
// must come out right, each read once, and no mark left behind.
describe('customers marked by an import', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  const CUSTOMERS = 2_600; // more than two transactions' worth
  // Customer i has i % 3 + 1 completed orders; order k of them costs i + k + 0.25, is placed k days after
  // 1 January 2026 and holds products k + 1 and i % 7 + 1.
  const expected = (i: number) => {
    const orders = (i % 3) + 1;
    let spendQuarters = 0;
    const products = new Set<number>();
    for (let k = 0; k < orders; k++) { spendQuarters += (i + k) * 4 + 1; products.add(k + 1); products.add((i % 7) + 1); }
    return {
      total_spend: (spendQuarters / 4).toFixed(3), order_count: orders,
      last_order_at: new Date(Date.UTC(2026, 0, orders)), product_ids: [...products].sort((a, b) => a - b),
    };
  };

  it('reads every marked customer again exactly once, even with two refreshes at the same time', async () => {
    await db.sql.query(`insert into customers (external_id) select 'c' || i from generate_series(1, $1) i`, [CUSTOMERS]);
    await db.sql.query(
      `insert into orders (external_id, customer_id, placed_at, total, product_ids)
       select 'o' || i || '-' || k, c.id, timestamptz '2026-01-01 00:00:00Z' + k * interval '1 day', i + k + 0.25, array[k + 1, i % 7 + 1]
       from generate_series(1, $1) i join customers c on c.external_id = 'c' || i
       cross join lateral generate_series(0, i % 3) k`, [CUSTOMERS]);
    // Figures as an import leaves them before its last step: not yet read, every customer marked.
    await db.sql.query(`update customers set total_spend = 0, order_count = 0, last_order_at = null`);
    await db.sql.query(`delete from customer_products`);
    await db.sql.query(`insert into stale_customers (customer_id) select id from customers`);

    const counts = await Promise.all([refreshStaleCustomers(db.sql), refreshStaleCustomers(db.sql)]);

    expect(counts[0] + counts[1]).toBe(CUSTOMERS);
    expect(await db.sql.rows(`select count(*)::int as n from stale_customers`)).toEqual([{ n: 0 }]);
    const rows = await db.sql.rows<{ external_id: string; total_spend: string; order_count: number; last_order_at: Date; product_ids: number[] }>(
      `select c.external_id, c.total_spend, c.order_count, c.last_order_at, cp.product_ids
       from customers c left join customer_products cp on cp.customer_id = c.id`);
    expect(rows).toHaveLength(CUSTOMERS);
    const wrong = rows.filter((r) => {
      const e = expected(Number(r.external_id.slice(1)));
      return r.total_spend !== e.total_spend || r.order_count !== e.order_count || r.last_order_at?.getTime() !== e.last_order_at.getTime()
        || JSON.stringify(r.product_ids) !== JSON.stringify(e.product_ids);
    });
    expect(wrong).toEqual([]);
  });
});
