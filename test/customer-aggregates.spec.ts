import fc from 'fast-check';
import type { OrderInput } from '../src/crm/orders/order-input.js';
import { writeOrders } from '../src/crm/orders/order-writer.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// The reference: the customers' figures computed from scratch over the final state of every order, in integer
// thousandths, written here independently of the SQL under test.
type Stored = { customer: string; placedAt: number; status: OrderInput['status']; thousandths: bigint };

const thousandths = (amount: string) => {
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0'));
  return amount.startsWith('-') ? -value : value;
};

function orderTotal(order: OrderInput): bigint {
  if (order.total !== undefined) return thousandths(order.total);
  return order.lines.reduce((sum, line) => sum + BigInt(line.quantity) * thousandths(line.unitPrice), 0n);
}

function roundDiv(numerator: bigint, divisor: bigint) {
  // PostgreSQL rounds numeric halves away from zero.
  const sign = numerator < 0n ? -1n : 1n;
  const abs = numerator * sign;
  return sign * ((2n * abs + divisor) / (2n * divisor));
}

function expectedFigures(orders: Map<string, Stored>, customer: string) {
  const mine = [...orders.values()].filter((o) => o.customer === customer);
  const spend = mine.filter((o) => o.status !== 'cancelled').reduce((s, o) => s + o.thousandths, 0n);
  const visits = mine.filter((o) => o.status === 'pending' || o.status === 'completed');
  const times = visits.map((o) => o.placedAt);
  return {
    spend,
    count: visits.length,
    first: times.length ? Math.min(...times) : null,
    last: times.length ? Math.max(...times) : null,
    average: visits.length ? roundDiv(spend, BigInt(visits.length)) : null,
  };
}

const customers = ['c-1', 'c-2', 'c-3', 'c-4'];
const amount = fc.bigInt({ min: -5_000_000n, max: 50_000_000n }).map((v) => {
  const sign = v < 0n ? '-' : '';
  const abs = v < 0n ? -v : v;
  return `${sign}${abs / 1000n}.${String(abs % 1000n).padStart(3, '0')}`;
});
const order: fc.Arbitrary<OrderInput> = fc.record({
  externalId: fc.constantFrom('o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6', 'o-7', 'o-8'),
  customerExternalId: fc.constantFrom(...customers),
  placedAt: fc.integer({ min: 0, max: 1000 }).map((d) => new Date(Date.UTC(2024, 0, 1) + d * 3_600_000)),
  status: fc.constantFrom('pending', 'completed', 'completed', 'refunded', 'cancelled'),
  total: fc.option(amount, { nil: undefined }),
  lines: fc.array(fc.record({ sku: fc.constant('SKU'), description: fc.constant(null), quantity: fc.integer({ min: -3, max: 9 }), unitPrice: amount.filter((a) => !a.startsWith('-')) }), { maxLength: 3 }),
}).filter((o) => o.total !== undefined || o.lines.length > 0);

describe('customer aggregates', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  async function figures(customer: string) {
    const [row] = await db.sql.rows(`select total_spend, order_count, first_order_at, last_order_at, average_order_value from customers where external_id = $1`, [customer]);
    if (!row) return null;
    return {
      spend: thousandths(row.total_spend),
      count: row.order_count,
      first: row.first_order_at?.getTime() ?? null,
      last: row.last_order_at?.getTime() ?? null,
      average: row.average_order_value === null ? null : thousandths(row.average_order_value),
    };
  }

  it('always equal a from-scratch computation over the orders, whatever sequence of writes came before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(order, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (batches) => {
        await db.sql.query('truncate customers, orders, order_lines restart identity cascade');
        const state = new Map<string, Stored>();
        for (const batch of batches) {
          await db.sql.transaction((client) => writeOrders(client, batch));
          for (const o of batch) state.set(o.externalId, { customer: o.customerExternalId, placedAt: o.placedAt.getTime(), status: o.status, thousandths: orderTotal(o) });
        }
        for (const customer of customers) {
          const actual = await figures(customer);
          const expected = expectedFigures(state, customer);
          if (actual === null) expect(expected.count + Number(expected.spend !== 0n)).toBe(0);
          else expect(actual).toEqual(expected);
        }
        // Sending the last batch again is a retry: nothing may change, and every record received (an order sent
        // twice in the batch counts twice) is reported unchanged, so the counts add up to what was sent.
        const before = await db.sql.rows(`select external_id, total_spend, order_count, updated_at from customers order by external_id`);
        const last = batches[batches.length - 1];
        const counts = await db.sql.transaction((client) => writeOrders(client, last));
        expect(counts).toEqual({ inserted: 0, updated: 0, unchanged: last.length });
        expect(await db.sql.rows(`select external_id, total_spend, order_count, updated_at from customers order by external_id`)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it('counts a refund against spend but not as an order', async () => {
    await db.sql.query('truncate customers, orders, order_lines restart identity cascade');
    await db.sql.transaction((client) => writeOrders(client, [
      { externalId: 'A', customerExternalId: 'asha', placedAt: new Date('2026-01-05T10:00:00Z'), status: 'completed', lines: [{ sku: 'KUR-001', quantity: 2, unitPrice: '899.00' }] },
      { externalId: 'B', customerExternalId: 'asha', placedAt: new Date('2026-02-05T10:00:00Z'), status: 'completed', total: '12000', lines: [] },
      { externalId: 'C', customerExternalId: 'asha', placedAt: new Date('2026-02-09T10:00:00Z'), status: 'refunded', total: '-899', lines: [] },
      { externalId: 'D', customerExternalId: 'asha', placedAt: new Date('2026-03-01T10:00:00Z'), status: 'cancelled', total: '5000', lines: [] },
    ]));
    const [asha] = await db.sql.rows(`select total_spend, order_count, last_order_at, average_order_value from customers where external_id = 'asha'`);
    expect(asha).toEqual({ total_spend: '12899.000', order_count: 2, last_order_at: new Date('2026-02-05T10:00:00Z'), average_order_value: '6449.500' });
  });
});
