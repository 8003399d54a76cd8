import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const DAY = 86_400_000;

// What a campaign earned, against the control group held out at launch, with orders placed around the window's edges.
describe('a campaign report', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const tool = (name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token: marketer.token, body });
  const order = (customerId: number, externalId: string, at: Date, total: number, status = 'completed') => crm.db.sql.query(
    `insert into orders (external_id, customer_id, placed_at, status, total) values ($1, $2, $3, $4, $5)`, [externalId, customerId, at, status, total],
  );

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_FAILURE_RATE: '0', VENDOR_DUPLICATE_RATE: '0', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '50' });
    marketer = await crm.person('marketer');
  });
  afterAll(() => crm.stop());

  it('holds out the planned share at launch, sends them nothing, and records them', async () => {
    await addCustomers(crm, Array.from({ length: 2000 }, (_, i) => ({ name: `Held ${i}`, email: `held${i}@example.com`, city: 'Holdpur' })));
    const plan = await tool('plan_campaign', { name: 'With control', rules: { field: 'city', op: 'equals', value: 'Holdpur' }, channel: 'email', template: 'Hi', holdoutPercent: 20 });
    expect(plan.body.holdoutPercent).toBe(20);
    const { holdout, eligible } = plan.body.audience;
    // A fifth, give or take what chance allows (three standard deviations).
    expect(Math.abs(holdout - 400)).toBeLessThan(3 * Math.sqrt(2000 * 0.2 * 0.8));
    const launched = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    expect(launched.body).toMatchObject({ audience: eligible - holdout, holdout });
    const overlap = await crm.db.sql.rows(`select count(*) as n from campaign_holdouts h join communication_logs m on m.campaign_id = h.campaign_id and m.customer_id = h.customer_id`);
    expect(overlap[0].n).toBe(0);
    // The samples shown were people who get the message, never the control group.
    const held = new Set((await crm.db.sql.rows<{ customer_id: number }>(`select customer_id from campaign_holdouts`)).map((r) => r.customer_id));
    for (const s of plan.body.samples) expect(held.has(s.customerId)).toBe(false);
  });

  it('counts orders inside the window for the latest message only, leaves out refunds and earlier orders, and compares with the control group', async () => {
    const ids = await addCustomers(crm, Array.from({ length: 10 }, (_, i) => ({ name: `Edge ${i}`, email: `edge${i}@example.com`, city: 'Edgepur' })));
    const plan = await tool('plan_campaign', { name: 'Edges', rules: { field: 'city', op: 'equals', value: 'Edgepur' }, channel: 'email', template: 'Hi', holdoutPercent: 0, attributionDays: 5 });
    const { campaignId } = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } })).body;
    await waitForCampaign(crm, marketer.token, campaignId);
    // Each message as handed over a week ago, so the edges of its five days are in the past.
    const sentAt = new Date(Date.now() - 7 * DAY);
    await crm.db.sql.query(`update communication_logs set sent_at = $2 where campaign_id = $1`, [campaignId, sentAt]);
    // A second holdout-free campaign to the last customer, two days later: it claims that customer's later order.
    const later = await tool('plan_campaign', { name: 'Later', rules: { field: 'city', op: 'equals', value: 'Edgepur' }, channel: 'email', template: 'Again', holdoutPercent: 0 });
    const laterId = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: later.body.approval.id } })).body.campaignId;
    await waitForCampaign(crm, marketer.token, laterId);
    await crm.db.sql.query(`update communication_logs set sent_at = $2 where campaign_id = $1`, [laterId, new Date(sentAt.getTime() + 2 * DAY)]);
    await crm.db.sql.query(`update communication_logs set status = 'failed' where campaign_id = $1 and customer_id <> $2`, [laterId, ids[9]]);

    const at = (days: number) => new Date(sentAt.getTime() + days * DAY);
    await order(ids[0], 'E0', at(1), 500);                 // inside: counts
    await order(ids[1], 'E1', at(5 - 1 / 1440), 300);      // a minute before the window closes: counts
    await order(ids[2], 'E2', at(5 + 1 / 1440), 900);      // a minute after: does not
    await order(ids[3], 'E3', at(-1), 700);                // before the message: does not
    await order(ids[4], 'E4', at(2), 400, 'refunded');     // refunded: does not
    await order(ids[5], 'E5', at(1), 200);                 // two orders from one customer: one conversion, both count as revenue
    await order(ids[5], 'E5b', at(3), 100);
    await order(ids[9], 'E9', at(3), 1000);                // after the later campaign's message: that one claims it

    const report = await tool('get_campaign_report', { campaignId });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      campaignId, attributionDays: 5, holdoutPercent: 0, windowOpen: false,
      sent: { customers: 10, converted: 3, orders: 4, revenue: 1100 },
      holdout: { customers: 0, converted: 0, orders: 0, revenue: 0 },
      lift: { relativeLift: null, significant: false, verdict: expect.stringMatching(/no control group/) },
    });
    const laterReport = await tool('get_campaign_report', { campaignId: laterId });
    expect(laterReport.body.sent).toMatchObject({ customers: 1, converted: 1, revenue: 1000 });

    // A late import of an order inside the window changes the report.
    await order(ids[6], 'E6', at(4), 250);
    expect((await tool('get_campaign_report', { campaignId })).body.sent).toMatchObject({ converted: 4, revenue: 1350 });
  });

  it('refuses a report of a campaign that was never launched', async () => {
    const plan = await tool('plan_campaign', { name: 'Draft only', rules: { field: 'city', op: 'equals', value: 'Edgepur' }, channel: 'email', template: 'Hi' });
    const res = await tool('get_campaign_report', { campaignId: plan.body.campaignId });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/has not been launched/);
  });
});
