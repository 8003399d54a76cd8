import { seedDemoData } from '../src/db/seed/seeder.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

describe('the tool catalogue over HTTP', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  let analyst: { token: string };
  const tool = (token: string, name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token, body });

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MAX_DELAY_MS: '200' });
    await seedDemoData(crm.db.sql, { seed: 9, customers: 300 });
    marketer = await crm.person('marketer');
    analyst = await crm.person('analyst');
  });
  afterAll(() => crm.stop());

  it('lists every tool once with its risk and input schema', async () => {
    const res = await call(`${crm.url}/api/tools`, { token: analyst.token });
    expect(res.body.map((t: any) => t.name).sort()).toEqual([
      'approve_automation', 'cancel_campaign', 'change_consent', 'create_segment', 'get_automation_report', 'get_campaign_report', 'get_campaign_stats', 'get_customer', 'get_import_status', 'get_insights', 'get_overview', 'get_segment', 'get_segment_insights', 'import_records',
      'launch_campaign', 'list_automations', 'list_campaigns', 'list_segments', 'pause_automation', 'plan_automation', 'plan_campaign', 'preview_segment', 'rank_customers', 'reschedule_campaign', 'resume_automation', 'search_customers', 'send_test_message', 'suggest_messages',
    ]);
    expect(res.body.find((t: any) => t.name === 'launch_campaign').risk).toBe('send');
    expect(res.body.find((t: any) => t.name === 'send_test_message').risk).toBe('send');
    expect(res.body.find((t: any) => t.name === 'change_consent').risk).toBe('write');
    expect(res.body.find((t: any) => t.name === 'preview_segment').inputSchema.required).toEqual(['rules']);
  });

  it('answers bad arguments, unknown tools and forbidden tools with clear errors', async () => {
    const bad = await tool(analyst.token, 'preview_segment', { rules: { field: 'total_spend', op: 'gt', value: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('value');
    const missing = await tool(analyst.token, 'get_customer', {});
    expect(missing.status).toBe(400);
    expect(missing.body.problems[0].path).toBe('customerId');
    const unknown = await tool(analyst.token, 'delete_everything', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('the tools are: get_overview');
    const forbidden = await tool(analyst.token, 'create_segment', { name: 'x', rules: { field: 'city', op: 'equals', value: 'Pune' } });
    expect(forbidden.status).toBe(403);
    expect((await tool(analyst.token, 'launch_campaign', { approvalId: '00000000-0000-4000-8000-000000000000' })).status).toBe(403);
  });

  it('previews, plans and launches through tools, with compact answers', async () => {
    const rules = { field: 'days_since_last_order', op: '>=', value: 90 };
    const preview = await tool(analyst.token, 'preview_segment', { rules });
    expect(preview.status).toBe(200);
    const [hand] = await crm.db.sql.rows(`select count(*) as n from customers where last_order_at <= now() - interval '90 days'`);
    expect(Math.abs(preview.body.count - hand.n)).toBeLessThanOrEqual(1);
    expect(preview.body.samples.length).toBeLessThanOrEqual(10);
    expect(Object.keys(preview.body.samples[0]).sort()).toEqual(['city', 'country', 'id', 'lastOrderAt', 'name', 'orderCount', 'totalSpend']);

    const drafts = await tool(marketer.token, 'suggest_messages', { goal: 'win_back', channel: 'sms', discountPercent: 10 });
    const plan = await tool(marketer.token, 'plan_campaign', { name: 'Tool win-back', rules, channel: 'sms', template: drafts.body.templates[0] });
    expect(plan.status).toBe(200);
    expect(plan.body.samples[0].message).toContain('10% off');
    const launched = await tool(marketer.token, 'launch_campaign', { approvalId: plan.body.approval.id });
    expect(launched.body).toMatchObject({ campaignId: plan.body.campaignId, status: 'sending' });
    const listed = await tool(analyst.token, 'list_campaigns', {});
    expect(listed.body.campaigns[0].id).toBe(plan.body.campaignId);
    const insights = await tool(analyst.token, 'get_insights', {});
    expect(insights.body.insights.map((i: any) => i.kind)).toEqual(['churn_risk', 'lifetime_value', 'best_hour']);
    const found = await tool(analyst.token, 'search_customers', { query: 'gmail' });
    expect(found.body.total).toBeGreaterThan(found.body.customers.length - 1);
  });
});
