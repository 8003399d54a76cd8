import { writeOrders } from '../src/crm/orders/order-writer.js';
import type { OrderInput } from '../src/crm/orders/order-input.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const DAY = 86_400_000;

// Insights for a group of customers against everyone, on a shop whose answers are known by construction.
describe('segment insights', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const insights = (body: unknown) => call(`${crm.url}/api/tools/get_segment_insights`, { token: marketer.token, body });
  const inGroup = { field: 'city', op: 'equals', value: 'Insightpur' };
  // 19:30 in India (the CRM's time zone), n days ago.
  const eveningIst = (daysAgo: number) => new Date(Math.floor((Date.now() - daysAgo * DAY) / DAY) * DAY + 14 * 3600_000);

  beforeAll(async () => {
    crm = await startTestCrm({ TIME_ZONE: 'Asia/Kolkata' });
    marketer = await crm.person('marketer');
    await crm.db.sql.query(
      `insert into customers (external_id, name, email, city, country) select 'G' || i, 'Group ' || i, 'g' || i || '@example.com', 'Insightpur', 'India' from generate_series(1, 40) i
       union all select 'O' || i, 'Other ' || i, 'o' || i || '@example.com', 'Otherpur', 'United Kingdom' from generate_series(1, 160) i`,
    );
    const orders: OrderInput[] = [];
    // Each of the group: an order of a RED MUG and a TEA CUP (2,000) 10 days ago at 19:30; ten of them also one 120 days ago (churn risk).
    for (let i = 1; i <= 40; i++) {
      orders.push({ externalId: `GA${i}`, customerExternalId: `G${i}`, placedAt: eveningIst(i <= 10 ? 120 : 10), status: 'completed', lines: [{ sku: 'M', description: 'Red mug', quantity: 1, unitPrice: '1500' }, { sku: 'T', description: 'Tea cup', quantity: 1, unitPrice: '500' }] });
      if (i <= 10) orders.push({ externalId: `GB${i}`, customerExternalId: `G${i}`, placedAt: eveningIst(150), status: 'completed', lines: [{ sku: 'T', description: 'Tea cup', quantity: 1, unitPrice: '500' }] });
    }
    // Everyone else buys a TEA CUP (500) in the morning; one in ten a RED MUG too.
    for (let i = 1; i <= 160; i++) {
      orders.push({ externalId: `OA${i}`, customerExternalId: `O${i}`, placedAt: new Date(eveningIst(30).getTime() - 10 * 3600_000), status: 'completed', lines: [{ sku: 'T', description: 'Tea cup', quantity: 1, unitPrice: '500' }, ...(i % 10 === 0 ? [{ sku: 'M', description: 'Red mug', quantity: 1, unitPrice: '1500' }] : [])] });
    }
    await crm.db.sql.transaction((client) => writeOrders(client, orders));
  });
  afterAll(() => crm.stop());

  it('says who the group is against everyone, with the figures behind each sentence', async () => {
    const res = await insights({ rules: inGroup });
    expect(res.status).toBe(200);
    const i = res.body;
    // The reference, from the orders written above.
    const groupSpend = 40 * 2000 + 10 * 500, otherSpend = 160 * 500 + 16 * 1500;
    expect(i).toMatchObject({ customers: 40, totalCustomers: 200 });
    expect(i.figures.revenueShare).toBeCloseTo(groupSpend / (groupSpend + otherSpend), 6);
    expect(i.figures.averageOrderValue.group).toBeCloseTo(groupSpend / 50, 2);
    expect(i.figures.averageOrderValue.everyone).toBeCloseTo((groupSpend + otherSpend) / 210, 2);
    expect(i.figures.ordersPerCustomer).toEqual({ group: 50 / 40, everyone: 210 / 200 });
    expect(i.figures.churnRiskShare).toEqual({ group: 10 / 40, everyone: 10 / 200 });
    expect(i.places).toEqual([{ city: 'Insightpur', share: 1, everyoneShare: 0.2 }]);
    expect(i.countries).toEqual([{ country: 'India', share: 1, everyoneShare: 0.2 }]);
    // Every one of them bought the mug, against 56 of 200: a lift of 1 / 0.28. The tea cup, bought by all, is no finding.
    expect(i.products).toEqual([{ product: 'red mug', share: 1, everyoneShare: 0.28, lift: Math.round((1 / 0.28) * 100) / 100 }]);
    expect(i.bestHour).toEqual({ hour: 19, from: 'orders', share: 1 });
    expect(i.pastCampaigns).toBeNull();
    expect(i.sentences).toEqual(expect.arrayContaining([
      expect.stringMatching(/^40 customers, 20% of all 200, who brought /),
      expect.stringMatching(/^They buy these more than others do: RED MUG \(×3\.6: 100% of them, 28% of everyone\)/),
      '25% are at churn risk, having ordered at least twice but not in the last 90 days (everyone: 5.0%).',
      expect.stringMatching(/^Their best hour to send is around 19:00 \(Asia\/Kolkata\): 100% of their orders this past year happen then/),
    ]));
  });

  it('works the same from a saved segment, and declines a group too small to say anything about', async () => {
    const saved = await call(`${crm.url}/api/tools/create_segment`, { token: marketer.token, body: { name: 'Insight group', rules: inGroup } });
    const bySegment = await insights({ segmentId: saved.body.id });
    expect(bySegment.body).toMatchObject({ segment: 'Insight group', customers: 40 });
    const few = await insights({ rules: { all: [inGroup, { field: 'order_count', op: '>=', value: 2 }] } });
    expect(few.body).toMatchObject({ customers: 10, figures: null, products: [] });
    expect(few.body.sentences).toEqual(['Only 10 customers match: too few to say anything about them that would hold (at least 20 are needed).']);
    const both = await insights({ rules: inGroup, segmentId: saved.body.id });
    expect(both.status).toBe(400);
  });
});
