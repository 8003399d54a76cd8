import fc from 'fast-check';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

// The customers list (rank_customers, a page at a time) against a reference sort written here: those who ordered
// first, by the figure in the direction asked, then by id; those who never ordered after them.
type Row = { id: number; spend: number; orders: number; last: number | null };

describe('the customers list, page by page', () => {
  let crm: TestCrm;
  let token: string;
  beforeAll(async () => {
    crm = await startTestCrm();
    token = (await crm.person('analyst')).token;
  });
  afterAll(async () => { await crm.stop(); });

  const customer = fc.record({ spend: fc.integer({ min: -50, max: 50 }).map((v) => v * 100), orders: fc.integer({ min: 0, max: 3 }), day: fc.integer({ min: 1, max: 9 }) });

  it('gives every customer once, in the order of the reference, whatever the figure, direction, page and rule', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(customer, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('total_spend', 'order_count', 'last_order_date') ,
        fc.constantFrom('asc', 'desc'),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        async (people, by, direction, limit, ruled) => {
          await crm.db.sql.query('truncate customers restart identity cascade');
          const rows: Row[] = [];
          for (const [i, p] of people.entries()) {
            const last = p.orders ? Date.UTC(2026, 0, p.day) : null;
            await crm.db.sql.query(
              `insert into customers (external_id, total_spend, order_count, last_order_at, average_order_value) values ($1, $2, $3, $4, $5)`,
              [`c${i}`, p.spend, p.orders, last === null ? null : new Date(last), p.orders ? p.spend / p.orders : null],
            );
            rows.push({ id: i + 1, spend: p.spend, orders: p.orders, last });
          }
          const matches = rows.filter((r) => !ruled || r.spend > 0);
          const figure = (r: Row) => (by === 'total_spend' ? r.spend : by === 'order_count' ? r.orders : r.last);
          const sign = direction === 'asc' ? 1 : -1;
          const expected = [...matches].sort((a, b) => Number(a.orders === 0) - Number(b.orders === 0)
            || (figure(a) === figure(b) ? 0 : figure(a) === null ? 1 : figure(b) === null ? -1 : sign * (figure(a)! - figure(b)!))
            || a.id - b.id).map((r) => r.id);

          const seen: number[] = [];
          for (let offset = 0; offset < matches.length + limit; offset += limit) {
            const res = await call(`${crm.url}/api/tools/rank_customers`, { token, body: { by, direction, limit, offset, ...(ruled ? { rules: { field: 'total_spend', op: '>', value: 0 } } : {}) } });
            expect(res.status).toBe(200);
            expect(res.body.total).toBe(matches.length);
            seen.push(...res.body.customers.map((c: { id: number }) => c.id));
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
