import { CampaignsService } from '../src/crm/campaigns/campaigns.service.js';
import { runDueAutomations } from '../src/crm/automations/automation-runner.js';
import { addCustomers } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

// Recurring campaigns: approved once with their caps, then sending on their own, never twice, stopping at a cap.
describe('recurring campaigns', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  let analyst: { token: string };
  const tool = (name: string, body: unknown, token = marketer.token) => call(`${crm.url}/api/tools/${name}`, { token, body });
  const definition = (city: string, extra: Record<string, unknown> = {}) => ({
    name: `Weekly ${city}`, campaign: { rules: { field: 'city', op: 'equals', value: city }, channel: 'email', subject: 'This week', template: 'Hi {{first_name | "there"}}' },
    schedule: { every: 'week', on: 'monday', at: '10:00' }, skipDays: 7, maxPerRun: 100, maxPerDay: 200, ...extra,
  });
  const runs = (automationId: number) => crm.db.sql.rows<{ status: string; campaign_id: number | null; recipients: number; reason: string | null }>(
    `select status, campaign_id, recipients, reason from automation_runs where automation_id = $1 order by id`, [automationId]);
  const dueNow = (automationId: number) => crm.db.sql.query(`update automations set next_run_at = now() - interval '1 second' where id = $1`, [automationId]);

  beforeAll(async () => {
    crm = await startTestCrm({ OUTCOMES_SECONDS: '1', VENDOR_FAILURE_RATE: '0', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20', TIME_ZONE: 'Asia/Kolkata' });
    marketer = await crm.person('marketer');
    analyst = await crm.person('analyst');
  });
  afterAll(() => crm.stop());

  it('refuses schedules that never come round, run too often or do not parse, and caps that contradict', async () => {
    for (const [schedule, message] of [[{ cron: '0 0 30 2 *' }, /not a schedule this CRM can run/], [{ cron: '*/5 * * * *' }, /more than once an hour/], [{ cron: 'every monday' }, /not a schedule/], [{ every: 'week', on: 'someday', at: '10:00' }, /schedule/]] as const) {
      const res = await tool('plan_automation', definition('Nowhere', { schedule }));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await tool('plan_automation', definition('Nowhere', { maxPerRun: 300 }))).body.message).toMatch(/maxPerRun cannot be more than maxPerDay/);
    expect((await crm.db.sql.rows(`select count(*) as n from automations`))[0].n).toBe(0);
  });

  it('runs only once a person approved it, sends each run once, and leaves out those a run reached within skipDays', async () => {
    await addCustomers(crm, Array.from({ length: 6 }, (_, i) => ({ name: `Regular ${i}`, email: `regular${i}@example.com`, city: 'Weekpur' })));
    const planned = await tool('plan_automation', definition('Weekpur'));
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({ matchingNow: 6, cron: '0 10 * * 1', timeZone: 'Asia/Kolkata', schedule: expect.stringMatching(/^Runs every Monday at 10:00 \(Asia\/Kolkata\); next: /) });
    expect(planned.body.nextRuns).toHaveLength(1);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(planned.body.nextRuns[0]))).toBe('Monday 10:00');
    const { automationId } = planned.body;
    // A draft never runs, even if its time has come.
    await dueNow(automationId);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await runs(automationId)).toEqual([]);

    expect((await tool('approve_automation', { approvalId: planned.body.approval.id }, analyst.token)).status).toBe(403);
    const approved = await tool('approve_automation', { approvalId: planned.body.approval.id });
    expect(approved.body).toMatchObject({ automationId, status: 'active' });
    expect((await tool('approve_automation', { approvalId: planned.body.approval.id })).status).toBe(409);

    // Its time comes: one run, several runners at once (the worker and two more here), one campaign.
    await dueNow(automationId);
    const campaigns = crm.app.get(CampaignsService);
    await Promise.all([runDueAutomations(crm.db.sql, campaigns, { publish: async () => {} } as never, crm.config), runDueAutomations(crm.db.sql, campaigns, { publish: async () => {} } as never, crm.config)]);
    const [first] = await until('the run', async () => { const r = await runs(automationId); return r.length > 0 && r[0].status !== 'failed' && r; });
    expect(first).toMatchObject({ status: 'sent', recipients: 6 });
    expect(await runs(automationId)).toHaveLength(1);
    const [campaign] = await crm.db.sql.rows(`select name, automation_id from campaigns where id = $1`, [first.campaign_id]);
    expect(campaign).toEqual({ name: expect.stringMatching(/^Weekly Weekpur · \d{4}-\d{2}-\d{2}$/), automation_id: automationId });
    expect((await crm.db.sql.rows(`select count(*) as n, count(distinct customer_id) as people from communication_logs where campaign_id = $1`, [first.campaign_id]))[0]).toEqual({ n: 6, people: 6 });
    const next = (await tool('list_automations', {})).body.automations.find((a: { automationId: number }) => a.automationId === automationId);
    expect(next).toMatchObject({ status: 'active', sent: 6, approvedBy: expect.stringContaining('marketer') });
    expect(Date.parse(next.nextRunAt)).toBeGreaterThan(Date.now());

    // The next run, days early here: everyone got this automation within 7 days, so nobody is sent anything.
    await dueNow(automationId);
    const second = await until('the second run', async () => { const r = await runs(automationId); return r.length === 2 && r[1].status !== 'failed' && r[1]; });
    expect(second).toMatchObject({ status: 'empty', recipients: 0 });
    expect((await crm.db.sql.rows(`select count(*) as n from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1`, [automationId]))[0].n).toBe(6);

    // What the runs earned together: the one run that sent, and an order placed after its message.
    await until('the messages to be delivered', async () => (await crm.db.sql.rows(`select bool_and(status = 'sent') as done from communication_logs where campaign_id = $1`, [first.campaign_id]))[0].done);
    await crm.db.sql.query(`insert into orders (external_id, customer_id, placed_at, status, total)
      select 'AR1', customer_id, sent_at + interval '1 hour', 'completed', 750 from communication_logs where campaign_id = $1 order by id limit 1`, [first.campaign_id]);
    const report = await until('the order in the report', async () => { const r = await tool('get_automation_report', { automationId }); return r.body.sent?.converted === 1 && r; }, 10_000);
    expect(report.body).toMatchObject({
      automationId, runs: [{ campaignId: first.campaign_id, sent: { customers: 6, converted: 1, revenue: 750 } }],
      sent: { customers: 6, converted: 1, orders: 1, revenue: 750 }, holdout: { customers: 0 }, lift: { verdict: expect.stringMatching(/no control group/) },
    });
  });

  it('stops and asks when a run would exceed its cap, and sends nothing of it', async () => {
    await addCustomers(crm, Array.from({ length: 12 }, (_, i) => ({ name: `Crowd ${i}`, email: `crowd${i}@example.com`, city: 'Crowdpur' })));
    const planned = await tool('plan_automation', definition('Crowdpur', { maxPerRun: 10, maxPerDay: 10 }));
    expect(planned.body.warnings.join(' ')).toMatch(/12 customers match today, more than maxPerRun \(10\)/);
    await tool('approve_automation', { approvalId: planned.body.approval.id });
    await dueNow(planned.body.automationId);
    const [held] = await until('the held run', async () => { const r = await runs(planned.body.automationId); return r.length > 0 && r[0].status !== 'failed' && r; });
    expect(held).toMatchObject({ status: 'held', reason: 'this run would send 12 messages, more than its cap of 10 a run; nothing was sent' });
    expect((await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1`, [held.campaign_id]))[0].n).toBe(0);
    const listed = (await tool('list_automations', {})).body.automations.find((a: { automationId: number }) => a.automationId === planned.body.automationId);
    expect(listed).toMatchObject({ status: 'paused', nextRunAt: null, statusReason: expect.stringMatching(/^stopped: this run would send 12 messages/) });
  });

  it('pauses at once without approval; a change stops it until the change is approved; the old approval no longer works', async () => {
    await addCustomers(crm, [{ name: 'Pat', email: 'pat@example.com', city: 'Pausepur' }]);
    const planned = await tool('plan_automation', definition('Pausepur'));
    const { automationId } = planned.body;
    const second = await tool('plan_automation', { ...definition('Pausepur'), automationId, skipDays: 3 });
    expect(second.status).toBe(200);
    expect((await tool('approve_automation', { approvalId: planned.body.approval.id })).body.message).toMatch(/changed after this approval/);
    await tool('approve_automation', { approvalId: second.body.approval.id });
    const paused = await tool('pause_automation', { automationId });
    expect(paused.body).toEqual({ automationId, status: 'paused' });
    await crm.db.sql.query(`update automations set next_run_at = now() - interval '1 second' where id = $1`, [automationId]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await runs(automationId)).toEqual([]);
    const resumed = await tool('resume_automation', { automationId });
    expect(resumed.body).toMatchObject({ automationId, status: 'active' });
    expect(Date.parse(resumed.body.nextRunAt)).toBeGreaterThan(Date.now());
  });

  it('never starts without a fresh approval: a draft cannot be paused into running, an analyst cannot change one, a demoted approver stops it', async () => {
    await addCustomers(crm, [{ name: 'Guarded', email: 'guarded@example.com', city: 'Guardpur' }]);
    const planned = await tool('plan_automation', definition('Guardpur'));
    const { automationId } = planned.body;
    expect((await tool('pause_automation', { automationId })).status).toBe(409);
    expect((await tool('resume_automation', { automationId })).status).toBe(409);
    expect((await tool('plan_automation', { ...definition('Guardpur'), automationId, maxPerRun: 50 }, analyst.token)).status).toBe(403);
    // Approved by a marketer who is then made an analyst: the next run sends nothing and stops the automation.
    const approver = await crm.person('marketer');
    await call(`${crm.url}/api/tools/approve_automation`, { token: approver.token, body: { approvalId: planned.body.approval.id } });
    await crm.db.sql.query(`update users set role = 'analyst' where id = $1`, [approver.userId]);
    await dueNow(automationId);
    const [held] = await until('the held run', async () => { const r = await runs(automationId); return r.length > 0 && r[0].status !== 'failed' && r; });
    expect(held).toMatchObject({ status: 'held', reason: expect.stringMatching(/may no longer launch campaigns; nothing was sent$/) });
    expect((await crm.db.sql.rows(`select status from automations where id = $1`, [automationId]))[0].status).toBe('paused');
  });

  it('stops, saying why, when the segment it sends to was deleted', async () => {
    await addCustomers(crm, [{ name: 'Seg Member', email: 'segmember@example.com', city: 'Gonepur' }]);
    const segment = await tool('create_segment', { name: 'Gonepur people', rules: { field: 'city', op: 'equals', value: 'Gonepur' } });
    const planned = await tool('plan_automation', { ...definition('Gonepur'), campaign: { segmentId: segment.body.id, channel: 'email', subject: 'Hi', template: 'Hi' } });
    expect(planned.status).toBe(200);
    await tool('approve_automation', { approvalId: planned.body.approval.id });
    expect((await call(`${crm.url}/api/segments/${segment.body.id}`, { token: marketer.token, method: 'DELETE' })).status).toBeLessThan(300);
    await dueNow(planned.body.automationId);
    const [failed] = await until('the failed run', async () => { const r = await runs(planned.body.automationId); return r.length > 0 && r[0].reason !== 'the run stopped before it sent' && r; });
    expect(failed).toMatchObject({ status: 'failed', reason: `There is no segment ${segment.body.id}.` });
    const [a] = await crm.db.sql.rows(`select status, status_reason from automations where id = $1`, [planned.body.automationId]);
    expect(a).toEqual({ status: 'paused', status_reason: `stopped: There is no segment ${segment.body.id}. Change it, then approve it again` });
  });
});
