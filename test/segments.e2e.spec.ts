import { seedDemoData } from '../src/db/seed/seeder.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

// The marketer's everyday rule: spent over 10,000 and fewer than 3 visits, or quiet for 90 days.
const winBack = {
  any: [
    { all: [{ field: 'total_spend', op: '>', value: 10000 }, { field: 'order_count', op: '<', value: 3 }] },
    { field: 'days_since_last_order', op: '>=', value: 90 },
  ],
};

describe('segments over HTTP', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  let analyst: { token: string };

  beforeAll(async () => {
    crm = await startTestCrm({ RUN_WORKERS: 'false' }, undefined, () => new Date('2026-11-20T12:00:00Z'));
    await seedDemoData(crm.db.sql, { seed: 11, customers: 600, endDate: new Date('2026-11-20T00:00:00Z') });
    marketer = await crm.person('marketer');
    analyst = await crm.person('analyst');
  });
  afterAll(() => crm.stop());

  it('previews the win-back rule: count equal to hand-written SQL, funnel, ten samples and an English sentence', async () => {
    const res = await call(`${crm.url}/api/segments/preview`, { token: analyst.token, body: { rules: winBack } });
    expect(res.status).toBe(200);
    const [hand] = await crm.db.sql.rows(
      `select count(*) filter (where (total_spend > 10000 and order_count < 3) or last_order_at <= $1) as n, count(*) filter (where total_spend > 10000 and order_count < 3) as a, count(*) filter (where last_order_at <= $1) as b from customers`,
      [new Date(Date.parse('2026-11-20T12:00:00Z') - 90 * 86_400_000)],
    );
    expect(res.body.count).toBe(hand.n);
    expect(res.body.count).toBeGreaterThan(0);
    expect(res.body.totalCustomers).toBe(600);
    expect(res.body.funnel.map((s: any) => s.alone)).toEqual([hand.a, hand.b]);
    expect(res.body.funnel[1].together).toBe(hand.n);
    expect(res.body.samples).toHaveLength(10);
    expect(res.body.sentence).toBe('Customers where (total spend is more than ₹10,000 and number of orders is less than 3) or days since the last order is at least 90.');
  });

  it('refuses unknown fields and operators with the valid ones listed, and too-deep or contradictory rules', async () => {
    const unknownField = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: { field: 'shoe_size', op: 'gt', value: 3 } } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.problems[0].message).toContain('valid fields: total_spend, order_count');
    const unknownOp = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: { field: 'city', op: 'gt', value: 'Pune' } } });
    expect(unknownOp.body.problems[0].message).toContain('valid operators: equals, in, contains, starts_with');
    let deep: object = { field: 'city', op: 'equals', value: 'Pune' };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    const tooDeep = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: deep } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.message).toContain('at most 8 levels');
    const tooLarge = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: { any: Array.from({ length: 101 }, (_, i) => ({ field: 'order_count', op: 'eq', value: i })) } } });
    expect(tooLarge.body.message).toContain('at most 100 conditions');
    const contradiction = await call(`${crm.url}/api/segments/preview`, {
      token: marketer.token, body: { rules: { all: [{ field: 'total_spend', op: 'gt', value: 10000 }, { field: 'total_spend', op: 'lt', value: 5000 }] } },
    });
    expect(contradiction.status).toBe(400);
    expect(contradiction.body.message).toContain('no customer can match both "total spend is more than ₹10,000" and "total spend is less than ₹5,000"');
    // Four levels deep is allowed.
    const fourLevels = await call(`${crm.url}/api/segments/preview`, {
      token: marketer.token, body: { rules: { all: [{ any: [{ not: { all: [{ field: 'city', op: 'in', value: ['Pune', 'Mumbai'] }, { bought: { contains: 'lamp', withinDays: 365 } }] } }] }] } },
    });
    expect(fourLevels.status).toBe(200);
  });

  it('saves a segment, versions an edit, and shows who joined and who left between versions', async () => {
    const v1 = { field: 'total_spend', op: 'gte', value: 20000 };
    const created = await call(`${crm.url}/api/segments`, { token: marketer.token, body: { name: 'Big spenders', description: 'Top of the tail', rules: v1 } });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    const duplicate = await call(`${crm.url}/api/segments`, { token: marketer.token, body: { name: 'big SPENDERS', rules: v1 } });
    expect(duplicate.status).toBe(409);
    const forbidden = await call(`${crm.url}/api/segments`, { token: analyst.token, body: { name: 'Analyst segment', rules: v1 } });
    expect(forbidden.status).toBe(403);

    const v2 = { all: [{ field: 'total_spend', op: 'gte', value: 15000 }, { field: 'country', op: 'equals', value: 'india' }] };
    const edited = await call(`${crm.url}/api/segments/${created.body.id}`, { token: marketer.token, method: 'PATCH', body: { rules: v2 } });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.body.versions.map((v: any) => v.version)).toEqual([2, 1]);

    const diff = await call(`${crm.url}/api/segments/${created.body.id}/diff?from=1&to=2`, { token: analyst.token });
    expect(diff.status).toBe(200);
    const [expected] = await crm.db.sql.rows(
      `select count(*) filter (where total_spend >= 15000 and lower(country) = 'india' and not total_spend >= 20000) as added,
              count(*) filter (where total_spend >= 20000 and not (total_spend >= 15000 and lower(country) = 'india')) as removed from customers`,
    );
    expect(diff.body.added.count).toBe(expected.added);
    expect(diff.body.removed.count).toBe(expected.removed);
    expect(expected.added + expected.removed).toBeGreaterThan(0);
    expect(diff.body.added.sample.every((c: any) => Number(c.totalSpend) >= 15000 && Number(c.totalSpend) < 20000)).toBe(true);

    const missing = await call(`${crm.url}/api/segments/${created.body.id}/diff?from=1&to=7`, { token: analyst.token });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('has no version 7');
  });
});
