import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

// An A/B test from plan to the winner reaching the rest of the audience, under one approval.
describe('an A/B test', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const tool = (name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token: marketer.token, body });
  const launch = (approvalId: string) => call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId } });
  const versions = { variants: [{ subject: 'B: a gift for {{first_name | "you"}}' }, { subject: 'C: 10 % off, today only', template: 'C body https://shop.example/c' }], testPercent: 60, metric: 'clicks', hours: 2 };
  /** People click the messages of one version at the given rate (by position, so the figures are exact). */
  const clicks = async (campaignId: number, rates: number[]) => {
    for (const [variant, rate] of rates.entries()) {
      await crm.db.sql.query(
        `insert into message_events (log_id, campaign_id, kind, link_index, machine, user_agent)
         select id, $1::bigint, 'click', 0, false, 'Mozilla/5.0' from (select id, row_number() over (order by id) as n, count(*) over () as total
           from communication_logs where campaign_id = $1 and variant = $2) x where n <= round(total * $3::float8)`,
        [campaignId, variant, rate],
      );
    }
  };
  const deadlineNow = (campaignId: number) => crm.db.sql.query(`update campaign_ab_tests set decide_at = now() - interval '1 second' where campaign_id = $1`, [campaignId]);
  const decided = (campaignId: number) => until('the test to be decided', async () => (await crm.db.sql.rows(`select winner from campaign_ab_tests where campaign_id = $1 and decided_at is not null`, [campaignId]))[0]);

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_FAILURE_RATE: '0', VENDOR_DUPLICATE_RATE: '0', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20', OUTCOMES_SECONDS: '1', HOLDOUT_PERCENT: '10' });
    marketer = await crm.person('marketer');
    await addCustomers(crm, Array.from({ length: 3000 }, (_, i) => ({ name: `Tester ${i}`, email: `ab${i}@example.com`, city: 'Abpur' })));
  });
  afterAll(() => crm.stop());

  it('refuses tests it could not run: too many versions, a subject for SMS, clicks where none are tracked', async () => {
    const base = { name: 'Bad', rules: { field: 'city', op: 'equals', value: 'Abpur' }, template: 'Hi https://shop.example' };
    const tooMany = await tool('plan_campaign', { ...base, channel: 'email', abTest: { variants: [{ subject: 'B' }, { subject: 'C' }, { subject: 'D' }, { subject: 'E' }] } });
    expect(tooMany.status).toBe(400);
    const smsSubject = await tool('plan_campaign', { ...base, channel: 'sms', abTest: { variants: [{ subject: 'B' }], metric: 'conversions' } });
    expect(smsSubject.body.message).toMatch(/SMS has no subject/);
    const untracked = await tool('plan_campaign', { ...base, channel: 'email', tracking: false, abTest: { variants: [{ subject: 'B' }] } });
    expect(untracked.body.message).toMatch(/clicks decide a test only with tracking on/);
    const badTemplate = await tool('plan_campaign', { ...base, channel: 'email', abTest: { variants: [{ template: 'Hi {{no_such_field}}' }], metric: 'conversions' } });
    expect(badTemplate.status).toBe(400);
    expect((await crm.db.sql.rows(`select count(*) as n from campaigns where name = 'Bad'`))[0].n).toBe(0);
  });

  it('shows every version side by side with its share, tries them at launch, then sends the clear winner to the rest', async () => {
    const plan = await tool('plan_campaign', { name: 'Subject test', rules: { field: 'city', op: 'equals', value: 'Abpur' }, channel: 'email', subject: 'A: hello {{first_name | "there"}}', template: 'Come back https://shop.example/a', abTest: versions });
    expect(plan.status).toBe(200);
    const { abTest, audience } = plan.body;
    const sendable = audience.eligible - audience.holdout;
    expect(abTest.perVariant).toHaveLength(3);
    expect(abTest.perVariant.reduce((a: number, b: number) => a + b, 0) + abTest.remainder).toBe(sendable);
    // 60 % of those sent to, in three even parts, give or take chance (three standard deviations).
    for (const n of abTest.perVariant) expect(Math.abs(n - sendable * 0.2)).toBeLessThan(3 * Math.sqrt(sendable * 0.2 * 0.8));
    expect(abTest.samples.map((s: { email: { subject: string } }) => s.email.subject)).toEqual(['A: hello Tester', 'B: a gift for Tester', 'C: 10 % off, today only']);
    expect(abTest.samples[2].message).toContain('C body');
    expect(abTest.schedule).toMatch(/after 2 hours the version with the most clicks goes to the other \d+/);

    const launched = await launch(plan.body.approval.id);
    expect(launched.body.audience).toBe(sendable);
    const { campaignId } = launched.body;
    const frozen = await crm.db.sql.rows<{ variant: number; n: number; subject: string }>(
      `select variant, count(*) as n, min(subject) as subject from communication_logs where campaign_id = $1 group by variant order by variant`, [campaignId]);
    expect(frozen.map((r) => r.n)).toEqual(abTest.perVariant);
    expect(frozen.map((r) => r.subject.slice(0, 2))).toEqual(['A:', 'B:', 'C:']);
    // The test's messages are delivered, but the campaign is not finished while the rest waits for the winner.
    await until('the test messages to be delivered', async () => (await crm.db.sql.rows(`select count(*) filter (where status = 'sent') = count(*) as done from communication_logs where campaign_id = $1`, [campaignId]))[0].done);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call(`${crm.url}/api/campaigns/${campaignId}`, { token: marketer.token })).body.status).toBe('sending');
    const running = await tool('get_campaign_report', { campaignId });
    expect(running.body.abTest).toMatchObject({ winner: null, metric: 'clicks', sentence: expect.stringMatching(/^Running/) });

    await clicks(campaignId, [0.04, 0.05, 0.15]);
    await deadlineNow(campaignId);
    expect((await decided(campaignId)).winner).toBe(2);
    const done = await waitForCampaign(crm, marketer.token, campaignId);
    expect(done.audience).toBe(sendable);
    const rest = await crm.db.sql.rows<{ n: number; subjects: string[] }>(
      `select count(*) as n, array_agg(distinct subject) as subjects from communication_logs l join campaign_ab_tests t using (campaign_id)
       where campaign_id = $1 and l.created_at >= t.decided_at`, [campaignId]);
    const report = await tool('get_campaign_report', { campaignId });
    expect(report.body.abTest).toMatchObject({ winner: 'C', significant: true, sentence: expect.stringMatching(/^C won: 15\.\d % clicked/) });
    expect(report.body.abTest.variants.map((v: { recipients: number }) => v.recipients)).toEqual(abTest.perVariant);
    const all = await crm.db.sql.rows<{ variant: number; n: number }>(`select variant, count(*) as n from communication_logs where campaign_id = $1 group by variant order by variant`, [campaignId]);
    expect(all.find((r) => r.variant === 2)!.n).toBe(abTest.perVariant[2] + abTest.remainder);
    expect(rest[0]).toEqual({ n: abTest.remainder, subjects: ['C: 10 % off, today only'] });
    // Nobody got two messages, and the control group got none.
    expect((await crm.db.sql.rows(`select count(*) as n from communication_logs m join campaign_holdouts h using (campaign_id, customer_id) where campaign_id = $1`, [campaignId]))[0].n).toBe(0);
    const audit = await crm.db.sql.rows(`select details from audit_events where action = 'campaign.ab_decided' and target = $1`, [`campaign:${campaignId}`]);
    expect(audit).toEqual([{ details: { winner: 'C', significant: true, queued: abTest.remainder } }]);
  });

  it('sends the leader when nothing is significant, and says it only led', async () => {
    const plan = await tool('plan_campaign', { name: 'Close call', rules: { field: 'city', op: 'equals', value: 'Abpur' }, channel: 'email', subject: 'A', template: 'Hi https://shop.example/x', holdoutPercent: 0, abTest: { ...versions, testPercent: 30 } });
    const { campaignId } = (await launch(plan.body.approval.id)).body;
    await until('the test messages to be delivered', async () => (await crm.db.sql.rows(`select count(*) filter (where status = 'sent') = count(*) as done from communication_logs where campaign_id = $1`, [campaignId]))[0].done);
    await clicks(campaignId, [0.05, 0.06, 0.05]);
    await deadlineNow(campaignId);
    expect((await decided(campaignId)).winner).toBe(1);
    await waitForCampaign(crm, marketer.token, campaignId);
    const report = await tool('get_campaign_report', { campaignId });
    expect(report.body.abTest).toMatchObject({ winner: 'B', significant: false, sentence: expect.stringMatching(/B only led/) });
  });
});
