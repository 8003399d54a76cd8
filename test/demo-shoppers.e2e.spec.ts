import { simulateShoppers } from '../src/crm/outcomes/simulated-shoppers.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

// The demo shop's simulated customers answer a campaign with a lift known in advance; the report must find it.
describe('demo shoppers and the report that measures them', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const tool = (name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token: marketer.token, body });
  const launchTo = async (city: string) => {
    const plan = await tool('plan_campaign', { name: `Win-back ${city}`, rules: { field: 'city', op: 'equals', value: city }, channel: 'email', template: 'We miss you https://shop.example/back', holdoutPercent: 50 });
    const launched = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    await waitForCampaign(crm, marketer.token, launched.body.campaignId);
    return launched.body as { campaignId: number; audience: number; holdout: number };
  };
  const answered = (campaignId: number) => crm.db.sql.rows<{ n: number }>(`select count(*) as n from demo_shopper_answers where campaign_id = $1`, [campaignId]).then((r) => r[0].n);

  beforeAll(async () => {
    crm = await startTestCrm({
      VENDOR_FAILURE_RATE: '0', VENDOR_DUPLICATE_RATE: '0', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20', OUTCOMES_SECONDS: '1',
      DEMO_CONVERSION_RATE: '0.1', DEMO_UPLIFT: '0.5', DEMO_OPEN_RATE: '0.4', DEMO_CLICK_RATE: '0.5', SEED: '11',
    });
    marketer = await crm.person('marketer');
    await addCustomers(crm, Array.from({ length: 6000 }, (_, i) => ({ name: `Shopper ${i}`, email: `shopper${i}@example.com`, city: 'Demopur' })));
    await addCustomers(crm, Array.from({ length: 6000 }, (_, i) => ({ name: `Real ${i}`, email: `real${i}@example.com`, city: 'Realpur' })));
  });
  afterAll(() => crm.stop());

  it('answers in the demo shop only, and the report recovers the 50 % lift the shoppers were given', async () => {
    await crm.db.sql.query(`insert into demo_shop (seed) values (11)`);
    const { campaignId, audience, holdout } = await launchTo('Demopur');
    await until('every demo shopper to answer', async () => (await answered(campaignId)) === audience + holdout);
    const report = (await tool('get_campaign_report', { campaignId })).body;
    expect(report.sent.customers).toBe(audience);
    // Each group converts at its rate, give or take chance (four standard deviations).
    expect(Math.abs(report.lift.conversionRate.holdout - 0.1)).toBeLessThan(4 * Math.sqrt(0.1 * 0.9 / holdout));
    expect(Math.abs(report.lift.conversionRate.sent - 0.15)).toBeLessThan(4 * Math.sqrt(0.15 * 0.85 / audience));
    expect(report.lift.significant).toBe(true);
    expect(report.lift.interval95[0]).toBeLessThan(0.5);
    expect(report.lift.interval95[1]).toBeGreaterThan(0.5);
    // Opens and clicks at their rates too, made by people (not machines).
    expect(Math.abs(report.engagement.openRate - 0.4)).toBeLessThan(4 * Math.sqrt(0.24 / audience));
    expect(Math.abs(report.engagement.clickRate - 0.2)).toBeLessThan(4 * Math.sqrt(0.16 / audience));
    expect(report.engagement.machineOpens).toBe(0);
    // Answering again changes nothing: each customer answers once.
    const orders = (await crm.db.sql.rows(`select count(*) as n from orders where external_id like $1`, [`SIM-${campaignId}-%`]))[0].n;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await crm.db.sql.rows(`select count(*) as n from orders where external_id like $1`, [`SIM-${campaignId}-%`]))[0].n).toBe(orders);
  });

  it('never invents orders outside the demo shop, and with no true lift (A/A) the report finds none', async () => {
    // Real data coming in ends the demo shop: from then on the simulated shoppers answer nothing.
    const imported = await call(`${crm.url}/api/customers`, { token: marketer.token, body: { externalId: 'REAL-1', name: 'Real Person', email: 'real.person@example.com' } });
    expect(imported.status).toBe(202);
    expect(await crm.db.sql.rows(`select * from demo_shop`)).toEqual([]);
    const { campaignId, audience, holdout } = await launchTo('Realpur');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await answered(campaignId)).toBe(0);
    expect((await crm.db.sql.rows(`select count(*) as n from orders where external_id like 'SIM-%' and customer_id in (select id from customers where city = 'Realpur')`))[0].n).toBe(0);

    await simulateShoppers(crm.db.sql, campaignId, { seed: 5, conversionRate: 0.1, uplift: 0, variantUplift: 0, openRate: 0.4, clickRate: 0.5 });
    expect(await answered(campaignId)).toBe(audience + holdout);
    const report = (await tool('get_campaign_report', { campaignId })).body;
    expect(report.lift.significant).toBe(false);
    expect(report.lift.interval95[0]).toBeLessThan(0);
    expect(report.lift.interval95[1]).toBeGreaterThan(0);
    expect(report.lift.verdict).toMatch(/^Not significant yet/);
  });

  it('loads the demo shop with a past win-back campaign whose report and whose forecast have figures, once', async () => {
    const shoppers = { seed: 9, conversionRate: 0.06, uplift: 0.5, variantUplift: 0, openRate: 0.4, clickRate: 0.25 };
    await seedDemoData(crm.db.sql, { seed: 9, customers: 3000, shoppers });
    await seedDemoData(crm.db.sql, { seed: 9, customers: 3000, shoppers });
    const demo = await crm.db.sql.rows<{ id: number }>(`select id from campaigns where name = 'Win-back 10% (demo)'`);
    expect(demo).toHaveLength(1);
    const report = (await tool('get_campaign_report', { campaignId: demo[0].id })).body;
    expect(report).toMatchObject({ windowOpen: false, holdoutPercent: 10 });
    expect(report.holdout.customers).toBeGreaterThan(50);
    expect(report.engagement.opened).toBeGreaterThan(0);
    expect(report.engagement.clicked).toBeGreaterThan(0);
    expect(report.lift.conversionRate.sent).toBeGreaterThan(report.lift.conversionRate.holdout);
    expect(report.sent.revenue).toBeGreaterThan(0);
    const plan = await tool('plan_campaign', { name: 'Next win-back', rules: { field: 'days_since_last_order', op: '>=', value: 60 }, channel: 'email', template: 'Hi' });
    expect(plan.body.forecast.conversions).toBeGreaterThan(0);
    expect(plan.body.forecast.basis.campaigns).toBeGreaterThanOrEqual(1);
  });
});
