import WebSocket from 'ws';
import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const testpur = { field: 'city', op: 'equals', value: 'Testpur' };

describe('campaigns: plan, approve, launch, deliver', () => {
  let crm: TestCrm;
  let marketer: { token: string; userId: number; email: string };
  let analyst: { token: string };

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MIN_DELAY_MS: '10', VENDOR_MAX_DELAY_MS: '300', VENDOR_DUPLICATE_RATE: '0.3', DELIVERY_BATCH_SIZE: '25', FREQUENCY_CAP_MESSAGES: '1', FREQUENCY_CAP_DAYS: '7' });
    marketer = await crm.person('marketer');
    analyst = await crm.person('analyst');
    await addCustomers(crm, [
      { name: '<script>alert(1)</script> Rao', email: 'rao@example.com', spend: 12500.5 },
      { name: null, email: 'nameless@example.com' },
      { name: 'Unsub Person', email: 'unsub@example.com', unsubscribed: true },
      { name: 'No Address', email: null, phone: '+91 98765 43210' },
      { name: 'Bad Address', email: 'not-an-email' },
      ...Array.from({ length: 115 }, (_, i) => ({ name: `Asha ${i}`, email: `asha${i}@example.com`, spend: 1000 + i })),
    ]);
  });
  afterAll(() => crm.stop());

  it('plans with exclusions and escaped samples, launches once with the approval, and every message gets a receipt', async () => {
    const plan = await call(`${crm.url}/api/campaigns/plan`, {
      token: analyst.token,
      body: { name: 'Win back', rules: testpur, channel: 'email', template: 'Hi {{first_name | "there"}}, you have spent {{total_spend}} with us. 10% off!' },
    });
    expect(plan.status).toBe(200);
    expect(plan.body.audience).toEqual({ matching: 120, eligible: 117, holdout: 0, excluded: { unsubscribed: 1, no_consent: 0, no_address: 2, suppressed: 0, frequency_cap: 0 } });
    expect(plan.body.samples).toHaveLength(5);
    expect(plan.body.samples[0].message).toBe('Hi &lt;script&gt;alert(1)&lt;/script&gt;, you have spent ₹12,500.50 with us. 10% off!');
    expect(plan.body.samples[1].message).toBe('Hi there, you have spent ₹100 with us. 10% off!');
    expect(plan.body.approval.id).toMatch(/^[0-9a-f-]{36}$/);

    // An analyst may plan but not launch; a marketer redeems the approval once.
    const byAnalyst = await call(`${crm.url}/api/campaigns/launch`, { token: analyst.token, body: { approvalId: plan.body.approval.id } });
    expect(byAnalyst.status).toBe(403);

    const socket = new WebSocket(`${crm.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${marketer.token}` } });
    const progress: any[] = [];
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.event === 'campaign.progress') progress.push(message.data);
    });
    await new Promise((resolve) => socket.once('open', resolve));

    const launched = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    expect(launched.status).toBe(202);
    expect(launched.body).toMatchObject({ campaignId: plan.body.campaignId, audience: 117, status: 'sending' });
    const again = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already used');

    const done = await waitForCampaign(crm, marketer.token, plan.body.campaignId);
    expect(done.sent + done.failed + done.unconfirmed).toBe(117);
    expect(done.pending).toBe(0);
    expect(done.failed).toBeGreaterThan(0);
    expect(done.launchedBy).toBe(marketer.email);
    const logs = await crm.db.sql.rows(`select count(*) as n, count(distinct customer_id) as customers from communication_logs where campaign_id = $1`, [plan.body.campaignId]);
    expect(logs[0]).toEqual({ n: 117, customers: 117 });
    // The simulator sent some receipts twice; each message still settled once and every key reached it once.
    expect(crm.vendor!.stats()).toMatchObject({ messages: 117, maxSubmissionsPerKey: 1 });

    await new Promise((r) => setTimeout(r, 500));
    socket.close();
    const last = progress.filter((p) => p.campaignId === plan.body.campaignId).at(-1);
    expect(last).toMatchObject({ status: 'completed', audience: 117, pending: 0 });

    const history = await call(`${crm.url}/api/campaigns`, { token: analyst.token });
    expect(history.body[0]).toMatchObject({ id: plan.body.campaignId, audience: 117, status: 'completed', launchedBy: marketer.email });
    expect(history.body[0].deliveryRate).toBeCloseTo(done.sent / (done.sent + done.failed), 4);
  });

  it('applies the frequency cap to the next campaign and refuses an audience nobody would receive', async () => {
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Again', rules: testpur, channel: 'email', template: 'Hello again' } });
    // Everyone who got the first campaign (and did not fail) has reached the cap of one message a week.
    const [reached] = await crm.db.sql.rows(`select count(*) as n from communication_logs where status <> 'failed'`);
    expect(plan.body.audience.excluded.frequency_cap).toBe(reached.n);
    const nobody = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Nobody', rules: { field: 'city', op: 'equals', value: 'Atlantis' }, channel: 'sms', template: 'Hi' } });
    expect(nobody.status).toBe(200);
    expect(nobody.body.approval).toBeNull();
    expect(nobody.body.warnings[0]).toContain('nothing to approve');
  });

  it('refuses unknown placeholders, expired approvals and approvals that do not exist, changing nothing', async () => {
    const before = await crm.db.sql.rows(`select count(*) as n from campaigns`);
    const badTemplate = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Typo', rules: testpur, channel: 'sms', template: 'Hi {{frist_name}}' } });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.message).toContain('unknown placeholder {{frist_name}}; valid placeholders: first_name');
    const badRule = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Typo', rules: { field: 'spend', op: '>', value: 1 }, channel: 'sms', template: 'Hi' } });
    expect(badRule.status).toBe(400);
    expect((await crm.db.sql.rows(`select count(*) as n from campaigns`))[0].n).toBe(before[0].n);

    await addCustomers(crm, [{ name: 'Late Larry', email: 'larry@example.com', city: 'Elsewhere' }]);
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Late', rules: { field: 'email', op: 'equals', value: 'larry@example.com' }, channel: 'email', template: 'Hi' } });
    await crm.db.sql.query(`update campaign_approvals set expires_at = now() - interval '1 second' where id = $1`, [plan.body.approval.id]);
    const expired = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    expect(expired.status).toBe(422);
    expect(expired.body.message).toContain('expired');
    const unknown = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    const logs = await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1`, [plan.body.campaignId]);
    expect(logs[0].n).toBe(0);
  });
});
