import { seedDemoData } from '../src/db/seed/seeder.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const now = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

describe('analytics and insights', () => {
  let crm: TestCrm;
  let analyst: { token: string };

  beforeAll(async () => {
    crm = await startTestCrm({ RUN_WORKERS: 'false', TIME_ZONE: 'Asia/Kolkata' }, undefined, () => now);
    analyst = await crm.person('analyst');
  });
  afterAll(() => crm.stop());

  it('declines every insight politely on an empty CRM, with the figures it looked at', async () => {
    const res = await call(`${crm.url}/api/analytics/insights`, { token: analyst.token });
    expect(res.status).toBe(200);
    expect(res.body.map((i: any) => i.status)).toEqual(['not_enough_data', 'not_enough_data', 'not_enough_data']);
    expect(res.body[0].message).toContain('Only 0 customers have three or more orders');
    expect(res.body[2].figures.ordersLastYear).toBe(0);
  });

  it('computes churn risk, lifetime value and the best hour from the orders themselves', async () => {
    await seedDemoData(crm.db.sql, { seed: 5, customers: 800, endDate: new Date('2026-11-20T00:00:00Z') });
    const res = await call(`${crm.url}/api/analytics/insights`, { token: analyst.token });
    const [churn, ltv, hour] = res.body;
    expect([churn.status, ltv.status, hour.status]).toEqual(['ok', 'ok', 'ok']);

    const customers = await crm.db.sql.rows(`select order_count, first_order_at, last_order_at from customers where order_count >= 3 and last_order_at > first_order_at`);
    const atRisk = customers.filter((c) => (now.getTime() - c.last_order_at.getTime()) > 2 * ((c.last_order_at.getTime() - c.first_order_at.getTime()) / (c.order_count - 1))).length;
    expect(churn.figures).toMatchObject({ regularCustomers: customers.length, atRisk });

    const orders = await crm.db.sql.rows(`select placed_at from orders where status in ('pending', 'completed') and placed_at >= $1 and placed_at <= $2`, [new Date(now.getTime() - 365 * DAY), now]);
    const byHour = Array(24).fill(0);
    // India is five and a half hours ahead of UTC all year.
    for (const o of orders) byHour[new Date(o.placed_at.getTime() + 5.5 * 3_600_000).getUTCHours()]++;
    expect(hour.figures.ordersByHour).toEqual(byHour);
    expect(hour.figures.bestHour).toBe(byHour.indexOf(Math.max(...byHour)));
    const [spend] = await crm.db.sql.rows(`select sum(total_spend) / sum(order_count) as aov from customers where order_count > 0`);
    expect(ltv.figures.averageOrderValue).toBeCloseTo(Number(spend.aov), 2);
    // The parts are shown rounded; their product agrees with the value to within rounding.
    const product = ltv.figures.averageOrderValue * ltv.figures.ordersPerCustomerPerYear * ltv.figures.expectedLifespanYears;
    expect(Math.abs(ltv.figures.lifetimeValue - product) / product).toBeLessThan(0.01);
  });

  it('shows the overview: totals, twelve months of revenue, top customers and RFM groups covering every buyer', async () => {
    const res = await call(`${crm.url}/api/analytics/overview`, { token: analyst.token });
    expect(res.status).toBe(200);
    const [totals] = await crm.db.sql.rows(`select count(*) as total, count(*) filter (where order_count > 0) as buyers from customers`);
    expect(res.body.customers.total).toBe(totals.total);
    expect(res.body.revenueByMonth.length).toBeLessThanOrEqual(12);
    expect(res.body.revenueByMonth.at(-1).month).toBe('2026-11');
    expect(res.body.topCustomers).toHaveLength(10);
    expect(Number(res.body.topCustomers[0].totalSpend)).toBeGreaterThanOrEqual(Number(res.body.topCustomers[9].totalSpend));
    expect(res.body.rfmGroups.reduce((s: number, g: any) => s + g.customers, 0)).toBe(totals.buyers);
    expect(res.body.rfmGroups.map((g: any) => g.group)).toContain('Champions');
  });
});
