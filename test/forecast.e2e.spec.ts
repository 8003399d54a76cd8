import { addCustomers } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const DAY = 86_400_000;

// The plan's forecast: what customers like these did after earlier campaigns, group by group.
describe('a campaign forecast', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const plan = (city: string) => call(`${crm.url}/api/tools/plan_campaign`, { token: marketer.token, body: { name: `To ${city}`, rules: { field: 'city', op: 'equals', value: city }, channel: 'email', template: 'Hi' } });
  const orders = (rows: { customerId: number; at: Date; total: number }[]) => crm.db.sql.query(
    `insert into orders (external_id, customer_id, placed_at, status, total) select 'F' || gen_random_uuid(), c, a, 'completed', t
     from unnest($1::bigint[], $2::timestamptz[], $3::numeric[]) as x(c, a, t)`,
    [rows.map((r) => r.customerId), rows.map((r) => r.at), rows.map((r) => r.total)],
  );

  beforeAll(async () => {
    crm = await startTestCrm();
    marketer = await crm.person('marketer');
  });
  afterAll(() => crm.stop());

  it('declines politely when no earlier campaign has a closed window to learn from', async () => {
    await addCustomers(crm, Array.from({ length: 20 }, (_, i) => ({ name: `New ${i}`, email: `new${i}@example.com`, city: 'Newpur' })));
    const res = await plan('Newpur');
    expect(res.body.forecast).toMatchObject({ conversions: null, revenue: null, basis: null, sentence: expect.stringMatching(/^No forecast yet: it needs at least 100 customers who got an earlier campaign/) });
  });

  it('expects, group by group, what the same groups did after an earlier campaign, and says what it stands on', async () => {
    // An earlier campaign, a month ago, to 200 frequent recent buyers (40 % ordered within 5 days, 1,000 each) and
    // 200 who bought once over a year before (5 % ordered, 500 each).
    const sentAt = new Date(Date.now() - 30 * DAY);
    const frequent = await addCustomers(crm, Array.from({ length: 200 }, (_, i) => ({ name: `Fan ${i}`, email: `fan${i}@example.com`, city: 'Pastpur' })));
    const once = await addCustomers(crm, Array.from({ length: 200 }, (_, i) => ({ name: `Once ${i}`, email: `once${i}@example.com`, city: 'Pastpur' })));
    await orders(frequent.flatMap((customerId) => [1, 3, 5, 8, 12].map((d) => ({ customerId, at: new Date(sentAt.getTime() - d * DAY), total: 300 }))));
    await orders(once.map((customerId) => ({ customerId, at: new Date(sentAt.getTime() - 400 * DAY), total: 300 })));
    const [{ id: campaignId }] = await crm.db.sql.rows(`insert into campaigns (name, rules, channel, template, status, launched_at, attribution_days) values ('Earlier', '{}', 'email', 'x', 'completed', $1, 5) returning id`, [sentAt]);
    await crm.db.sql.query(
      `insert into communication_logs (campaign_id, customer_id, channel, address, message, status, sent_at) select $1, c, 'email', 'x@example.com', 'x', 'sent', $2 from unnest($3::bigint[]) c`,
      [campaignId, sentAt, [...frequent, ...once]],
    );
    await orders(frequent.slice(0, 80).map((customerId) => ({ customerId, at: new Date(sentAt.getTime() + 2 * DAY), total: 1000 })));
    await orders(once.slice(0, 10).map((customerId) => ({ customerId, at: new Date(sentAt.getTime() + DAY), total: 500 })));
    await orders(once.slice(10, 20).map((customerId) => ({ customerId, at: new Date(sentAt.getTime() + 6 * DAY), total: 500 }))); // outside the window

    // Today's audience: 100 frequent recent buyers, 300 who bought once long ago, 50 who never ordered (no history: the overall rate).
    const ids = await addCustomers(crm, Array.from({ length: 450 }, (_, i) => ({ name: `Now ${i}`, email: `now${i}@example.com`, city: 'Nowpur' })));
    await crm.db.sql.query(`update customers set order_count = 6, last_order_at = now() - interval '5 days' where id = any($1)`, [ids.slice(0, 100)]);
    await crm.db.sql.query(`update customers set order_count = 1, last_order_at = now() - interval '500 days' where id = any($1)`, [ids.slice(100, 400)]);
    await crm.db.sql.query(`update customers set order_count = 0, last_order_at = null where id = any($1)`, [ids.slice(400)]);

    const { forecast } = (await plan('Nowpur')).body;
    // The reference: each group's size times its earlier rate; the group without history at the overall rate (90 of 400).
    const expected = 100 * 0.4 + 300 * 0.05 + 50 * (90 / 400);
    const revenue = 100 * (80 * 1000 / 200) + 300 * (10 * 500 / 200) + 50 * ((80 * 1000 + 10 * 500) / 400);
    expect(forecast.conversions).toBe(Math.round(expected));
    expect(forecast.revenue).toBeCloseTo(revenue, 2);
    expect(forecast.conversionsRange[0]).toBeLessThan(expected);
    expect(forecast.conversionsRange[1]).toBeGreaterThan(expected);
    expect(forecast.basis).toMatchObject({ campaigns: 1, recipients: 400 });
    expect(forecast.basis.groups).toEqual([
      { group: 'last ordered over a year ago, ordered once', audience: 300, pastRecipients: 200, conversionRate: 0.05, revenuePerRecipient: 25, borrowed: false },
      { group: 'ordered in the last 30 days, ordered 5 times or more', audience: 100, pastRecipients: 200, conversionRate: 0.4, revenuePerRecipient: 400, borrowed: false },
      { group: 'never ordered', audience: 50, pastRecipients: 0, conversionRate: 0.225, revenuePerRecipient: 212.5, borrowed: true },
    ]);
    expect(forecast.sentence).toMatch(/^About 66 of them should order within 5 days .* judging by 400 recipients of 1 earlier campaign .*50 customers are in groups with too little history/);
  });
});
