import { instantAt } from '../src/crm/time/time-zone.js';
import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

// Campaigns approved now and sent later: at a time, or to each customer at their own best hour; cancellable until then.
describe('scheduled campaigns', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const plan = (body: Record<string, unknown>) => call(`${crm.url}/api/tools/plan_campaign`, { token: marketer.token, body: { channel: 'email', template: 'Hi', ...body } });
  const launch = (approvalId: string) => call(`${crm.url}/api/tools/launch_campaign`, { token: marketer.token, body: { approvalId } });
  const sent = async (campaignId: number) => (await crm.db.sql.rows(`select count(*) filter (where status <> 'queued') as n from communication_logs where campaign_id = $1`, [campaignId]))[0].n;
  const city = (value: string) => ({ field: 'city', op: 'equals', value });

  beforeAll(async () => {
    crm = await startTestCrm({ TIME_ZONE: 'Asia/Kolkata', RECONCILE_SECONDS: '1', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20', VENDOR_FAILURE_RATE: '0' });
    marketer = await crm.person('marketer');
  });
  afterAll(() => crm.stop());

  it('refuses times that are not times, in the past, or more than a year away, and stores nothing', async () => {
    await addCustomers(crm, [{ name: 'Early Bird', email: 'early@example.com', city: 'Laterpur' }]);
    for (const [sendAt, message] of [['2026-02-30 10:00', /is not a time/], ['tomorrow-ish', /is not a time/], ['2020-01-01 10:00', /is in the past; it is now/], ['2099-01-01T10:00:00Z', /more than a year away/]] as const) {
      const res = await plan({ name: 'Bad time', rules: city('Laterpur'), sendAt });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await crm.db.sql.rows(`select count(*) as n from campaigns where name = 'Bad time'`))[0].n).toBe(0);
  });

  it('waits until its time, says so on every read, then sends', async () => {
    await addCustomers(crm, Array.from({ length: 5 }, (_, i) => ({ name: `Later ${i}`, email: `later${i}@example.com`, city: 'Soonpur' })));
    const at = new Date(Date.now() + 4000);
    const planned = await plan({ name: 'In four seconds', rules: city('Soonpur'), sendAt: at.toISOString() });
    expect(planned.body.schedule).toMatchObject({ sendAt: at.toISOString(), bestHour: false, sentence: expect.stringMatching(/^Sent at .* \(Asia\/Kolkata\)\. Until then it can be cancelled/) });
    const launched = await launch(planned.body.approval.id);
    expect(launched.body).toMatchObject({ status: 'scheduled', scheduledFor: at.toISOString(), audience: 5 });
    const { campaignId } = launched.body;
    const stats = await call(`${crm.url}/api/tools/get_campaign_stats`, { token: marketer.token, body: { campaignId } });
    expect(stats.body).toMatchObject({ status: 'scheduled', scheduledFor: at.toISOString(), pending: 5 });
    await new Promise((r) => setTimeout(r, 2000));
    expect(await sent(campaignId)).toBe(0);
    const done = await waitForCampaign(crm, marketer.token, campaignId);
    expect(done.sent).toBe(5);
    const first = (await crm.db.sql.rows(`select min(sent_at) as at from communication_logs where campaign_id = $1`, [campaignId]))[0].at;
    expect(new Date(first).getTime()).toBeGreaterThanOrEqual(at.getTime());
  });

  it('cancels a scheduled campaign: nothing is sent, each message says why, and a second cancel is refused', async () => {
    await addCustomers(crm, Array.from({ length: 3 }, (_, i) => ({ name: `Never ${i}`, email: `never${i}@example.com`, city: 'Stoppur' })));
    const planned = await plan({ name: 'Tomorrow', rules: city('Stoppur'), sendAt: new Date(Date.now() + 86_400_000).toISOString() });
    const { campaignId } = (await launch(planned.body.approval.id)).body;
    const cancelled = await call(`${crm.url}/api/campaigns/${campaignId}/cancel`, { token: marketer.token, method: 'POST' });
    expect(cancelled.body).toEqual({ campaignId, status: 'cancelled', notSent: 3 });
    expect(await crm.db.sql.rows(`select distinct status, failure_reason from communication_logs where campaign_id = $1`, [campaignId]))
      .toEqual([{ status: 'skipped', failure_reason: 'not sent: the campaign was cancelled' }]);
    expect((await call(`${crm.url}/api/campaigns/${campaignId}/cancel`, { token: marketer.token, method: 'POST' })).status).toBe(409);
    const analyst = await crm.person('analyst');
    expect((await call(`${crm.url}/api/tools/cancel_campaign`, { token: analyst.token, body: { campaignId } })).status).toBe(403);
  });

  it('moves a scheduled campaign to a new time with the same customers and messages, and refuses once it has begun', async () => {
    await addCustomers(crm, Array.from({ length: 3 }, (_, i) => ({ name: `Moved ${i}`, email: `moved${i}@example.com`, city: 'Shiftpur' })));
    const planned = await plan({ name: 'Next week', rules: city('Shiftpur'), sendAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), template: 'Hello {{first_name}}' });
    const { campaignId } = (await launch(planned.body.approval.id)).body;
    const before = await crm.db.sql.rows(`select customer_id, message from communication_logs where campaign_id = $1 order by customer_id`, [campaignId]);
    const move = (body: Record<string, unknown>, token = marketer.token) => call(`${crm.url}/api/tools/reschedule_campaign`, { token, body: { campaignId, ...body } });
    expect((await move({ sendAt: '2020-01-01 10:00' })).body.message).toMatch(/is in the past/);
    expect((await move({})).status).toBe(400);
    expect((await move({ sendAt: '' })).status).toBe(400);
    expect((await move({ sendAt: new Date(Date.now() + 2000).toISOString() }, (await crm.person('analyst')).token)).status).toBe(403);
    const at = new Date(Date.now() + 2000);
    const moved = await move({ sendAt: at.toISOString() });
    expect(moved.body).toMatchObject({ campaignId, status: 'scheduled', scheduledFor: at.toISOString(), sentence: expect.stringMatching(/^Sent at /) });
    const stats = await call(`${crm.url}/api/tools/get_campaign_stats`, { token: marketer.token, body: { campaignId } });
    expect(stats.body.scheduledFor).toBe(at.toISOString());
    const done = await waitForCampaign(crm, marketer.token, campaignId);
    expect(done.sent).toBe(3);
    expect(await crm.db.sql.rows(`select customer_id, message from communication_logs where campaign_id = $1 order by customer_id`, [campaignId])).toEqual(before);
    expect((await crm.db.sql.rows(`select count(*) as n from audit_events where action = 'campaign.reschedule' and target = $1`, [`campaign:${campaignId}`]))[0].n).toBe(1);
    const late = await move({ sendAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/is (sending|completed); only a scheduled campaign/);
  });

  it("sends each customer at their own best hour, or at the shop's when they have few orders", async () => {
    const [evening, newcomer] = await addCustomers(crm, [{ name: 'Evening Buyer', email: 'evening@example.com', city: 'Hourpur' }, { name: 'New Buyer', email: 'new@example.com', city: 'Hourpur' }]);
    // The evening buyer orders at 19:xx in Kolkata, four times; the shop's other orders (the newcomer's one among them) are at 11:xx.
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const orders = [
      ...[3, 4, 5, 6].map((n) => ({ c: evening, at: instantAt(day(n), '19:15', 'Asia/Kolkata') })),
      ...[3, 4, 5, 6, 7, 8].map((n) => ({ c: newcomer, at: instantAt(day(n), '11:40', 'Asia/Kolkata') })),
    ];
    await crm.db.sql.query(
      `insert into orders (external_id, customer_id, placed_at, status, total) select 'H' || gen_random_uuid(), c, a, 'completed', 100 from unnest($1::bigint[], $2::timestamptz[]) x(c, a)`,
      [orders.map((o) => o.c), orders.map((o) => o.at)],
    );
    await crm.db.sql.query(`update customers set order_count = case when id = $1 then 4 else 2 end where id = any($2)`, [evening, [evening, newcomer]]);
    const planned = await plan({ name: 'Best hour', rules: city('Hourpur'), bestHour: true });
    expect(planned.body.schedule.sentence).toMatch(/^Each customer gets it at their own best hour/);
    const { campaignId, scheduledFor } = (await launch(planned.body.approval.id)).body;
    const due = new Map((await crm.db.sql.rows<{ customer_id: number; at: Date }>(`select customer_id, next_attempt_at as at from communication_logs where campaign_id = $1`, [campaignId])).map((r) => [r.customer_id, new Date(r.at)]));
    const hourIn = (d: Date) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', hourCycle: 'h23' }).format(d));
    expect(hourIn(due.get(evening)!)).toBe(19);
    // The newcomer has too few orders of their own (2 < 3): the shop's best hour, 11:00, where most orders are.
    expect(hourIn(due.get(newcomer)!)).toBe(11);
    for (const at of due.values()) {
      expect(at.getTime()).toBeGreaterThanOrEqual(Date.now() - 60_000);
      expect(at.getTime()).toBeLessThanOrEqual(Date.now() + 86_400_000);
      expect(at.getUTCMinutes()).toBe(30); // whole hours in Kolkata (UTC+5:30)
    }
    expect(scheduledFor).toBe(new Date(Math.min(...[...due.values()].map((d) => d.getTime()))).toISOString());
    // Nothing leaves before its hour.
    await until('a reconciler pass', async () => (await crm.db.sql.rows(`select status from campaigns where id = $1`, [campaignId]))[0].status, 3000);
    await new Promise((r) => setTimeout(r, 1500));
    const early = await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1 and status <> 'queued' and next_attempt_at > now()`, [campaignId]);
    expect(early[0].n).toBe(0);
  });
});
