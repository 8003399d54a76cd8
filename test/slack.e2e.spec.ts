import { seedDemoData } from '../src/db/seed/seeder.js';
import { buttonPress, mentionEvent, postToSlackEndpoint, startFakeSlack } from './support/fake-slack.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const SECRET = 'slack-signing-secret-for-tests';
const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

describe('the Slack bot at /slack/events', () => {
  let crm: TestCrm;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  let marketer: { email: string; token: string; userId: number };
  let seq = 0;
  const newTs = () => `1800000${String(++seq).padStart(3, '0')}.000100`;
  const send = (body: string, options?: Parameters<typeof postToSlackEndpoint>[3]) => postToSlackEndpoint(crm.url, SECRET, body, options);
  const repliesIn = (threadTs: string) => slack.of('chat.postMessage').filter((c) => c.args.thread_ts === threadTs);
  const launches = async () => Number((await crm.db.sql.rows(`select count(*) as n from campaigns where status <> 'draft'`))[0].n);
  const messages = async () => Number((await crm.db.sql.rows(`select count(*) as n from communication_logs`))[0].n);
  const settle = () => new Promise((r) => setTimeout(r, 700));

  beforeAll(async () => {
    slack = await startFakeSlack();
    crm = await startTestCrm({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `${slack.url}/api`, VENDOR_MAX_DELAY_MS: '100', OUTCOMES_SECONDS: '1', SLACK_RUNS_CHANNEL: 'CRUNS' });
    await seedDemoData(crm.db.sql, { seed: 6, customers: 200 });
    marketer = await crm.person('marketer');
    const analyst = await crm.person('analyst');
    Object.assign(slack.people, {
      UMARKETER: { email: marketer.email.toUpperCase() }, // Slack's email in another case is still the same person
      UANALYST: { email: analyst.email },
      USTRANGER: { email: 'stranger@example.com' },
      UUNCONFIRMED: { email: marketer.email, confirmed: false },
    });
  });
  afterAll(async () => {
    await crm.stop();
    await slack.stop();
  });

  it('answers a mention once, in its thread, with the audience the database holds — even when Slack retries', async () => {
    const ts = newTs();
    const event = mentionEvent('EvMention1', 'UMARKETER', 'customers who went quiet for 90 days — how many?', ts);
    expect((await send(event)).status).toBe(200);
    const [reply] = await slack.waitFor(() => repliesIn(ts).length > 0 && repliesIn(ts), 'answer in the thread');
    const [hand] = await crm.db.sql.rows(`select count(*)::int as n from customers where last_order_at <= now() - interval '90 days'`);
    expect(blocksText(reply!.args.blocks)).toContain(`*Audience: ${hand.n.toLocaleString('en-IN')} customers*`);

    expect((await send(event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    expect((await send(event, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await settle();
    expect(repliesIn(ts)).toHaveLength(1);
  });

  it('refuses unsigned, wrongly signed and stale requests with 401 and answers none of them', async () => {
    const ts = newTs();
    const event = mentionEvent('EvBadSig', 'UMARKETER', 'how many customers?', ts);
    expect((await postToSlackEndpoint(crm.url, null, event)).status).toBe(401);
    expect((await postToSlackEndpoint(crm.url, 'another-secret-entirely', event)).status).toBe(401);
    expect((await send(event, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    await settle();
    expect(repliesIn(ts)).toHaveLength(0);
  });

  it('tells a Slack user without a CRM user (or with an unconfirmed email) how to get access, and does nothing else', async () => {
    for (const user of ['USTRANGER', 'UUNCONFIRMED']) {
      const ts = newTs();
      await send(mentionEvent(`EvStranger${user}`, user, 'how many customers spent over 10k?', ts));
      const [reply] = await slack.waitFor(() => repliesIn(ts).length > 0 && repliesIn(ts), 'access answer');
      expect(reply!.args.text).toContain(`I don't know you in the CRM yet`);
      expect(reply!.args.text).toContain(`--slack ${user}`);
    }
    const linked = await crm.db.sql.rows(`select slack_user_id from users where slack_user_id in ('USTRANGER', 'UUNCONFIRMED')`);
    expect(linked).toHaveLength(0);
  });

  it('lets an admin link a Slack member whose profile email differs, and that member is then answered', async () => {
    const admin = await crm.person('admin');
    const colleague = await crm.person('analyst', 'colleague@example.com');
    expect((await call(`${crm.url}/api/users/${colleague.userId}/slack`, { token: marketer.token, method: 'PUT', body: { slackUserId: 'ULINKED' } })).status).toBe(403);
    expect((await call(`${crm.url}/api/users/${colleague.userId}/slack`, { token: admin.token, method: 'PUT', body: { slackUserId: 'not an id' } })).status).toBe(400);
    expect((await call(`${crm.url}/api/users/${colleague.userId}/slack`, { token: admin.token, method: 'PUT', body: { slackUserId: 'ULINKED' } })).status).toBe(200);
    const ts = newTs();
    await send(mentionEvent('EvLinked', 'ULINKED', 'customers who went quiet for 90 days — how many?', ts));
    const [reply] = await slack.waitFor(() => repliesIn(ts).length > 0 && repliesIn(ts), 'answer to the linked member');
    expect(blocksText(reply!.args.blocks)).toContain('*Audience: ');
  });

  it('plans in a thread; Approve by an unlinked user or an analyst sends nothing, by the linked marketer exactly one campaign', async () => {
    const root = newTs();
    await send(mentionEvent('EvPlan1', 'UMARKETER', 'customers who went quiet for 90 days — how many?', root));
    await slack.waitFor(() => repliesIn(root).length, 'audience answer');
    await send(mentionEvent('EvPlan2', 'UMARKETER', 'send them an email saying "Hi {{first_name | "there"}}, 10% off this week"', newTs(), root));
    const plan = await slack.waitFor(() => repliesIn(root).find((c) => blocksText(c.args.blocks).includes('campaign_approve')), 'plan with buttons');
    const actions = (plan.args.blocks as any[]).find((b) => b.type === 'actions');
    const approveValue = actions.elements.find((e: any) => e.action_id === 'campaign_approve').value;
    const message = { ts: '1900000000.000100', thread_ts: root, blocks: plan.args.blocks };
    const press = (user: string) => send(buttonPress(user, 'campaign_approve', approveValue, message, `${slack.url}/respond`), { contentType: 'application/x-www-form-urlencoded' });
    const ephemeralTo = (user: string) => slack.of('chat.postEphemeral').filter((c) => c.args.user === user);

    expect((await press('USTRANGER')).status).toBe(200);
    await slack.waitFor(() => ephemeralTo('USTRANGER').length, 'answer to the stranger');
    expect((await press('UANALYST')).status).toBe(200);
    const [refused] = await slack.waitFor(() => ephemeralTo('UANALYST').length > 0 && ephemeralTo('UANALYST'), 'answer to the analyst');
    expect(refused!.args.text).toBe('Only a marketer or admin can approve a send; your CRM role is analyst. Nothing was sent.');
    expect(await launches()).toBe(0);
    expect(await messages()).toBe(0);

    expect((await press('UMARKETER')).status).toBe(200);
    const figures = await slack.waitFor(() => repliesIn(root).find((c) => blocksText(c.args.blocks).includes('*Delivery rate*')), 'campaign figures');
    expect(await launches()).toBe(1);
    const [campaign] = await crm.db.sql.rows(`select id, audience_size as "audience" from campaigns where status <> 'draft'`);
    expect(await messages()).toBe(campaign.audience);
    // The plan's buttons are replaced by who approved; the figures update in place until the campaign completes.
    expect(slack.of('chat.update').some((c) => c.args.ts === message.ts && c.args.text === 'Approved by <@UMARKETER>; sending.')).toBe(true);
    await slack.waitFor(() => slack.of('chat.update').find((c) => c.args.text?.endsWith(': completed')), 'figures updated to completed', 30_000);
    expect(figures.args.blocks).toBeDefined();

    // Once the attribution window has closed (here: the messages moved a week back), the report is posted in the thread, once.
    expect(repliesIn(root).some((c) => c.args.text?.startsWith('What "'))).toBe(false);
    await crm.db.sql.query(`update communication_logs set sent_at = now() - interval '7 days' where campaign_id = $1`, [campaign.id]);
    const report = await slack.waitFor(() => repliesIn(root).find((c) => c.args.text?.startsWith('What "')), 'the report when the window closed');
    expect(blocksText(report.args.blocks)).toMatch(/Delivered → opened → clicked\*\\n[\d,]+ → /);
    expect(blocksText(report.args.blocks)).toMatch(/no control group|Too few orders|converted|Not significant/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(repliesIn(root).filter((c) => c.args.text?.startsWith('What "'))).toHaveLength(1);

    await press('UMARKETER');
    await slack.waitFor(() => ephemeralTo('UMARKETER').find((c) => /^Nothing was sent: /.test(c.args.text)), 'answer to a second press');
    expect(await launches()).toBe(1);
    expect(await messages()).toBe(campaign.audience);
  });

  it('acknowledges /crm at once and answers in a new thread; /crm approve shows a plan made elsewhere', async () => {
    const command = (text: string) => `command=%2Fcrm&text=${encodeURIComponent(text)}&user_id=UMARKETER&channel_id=C1&team_id=T1&response_url=${encodeURIComponent(`${slack.url}/respond`)}&trigger_id=t`;
    const before = slack.of('chat.postMessage').length;
    expect((await send(command('how many customers spent over 10k?'), { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    const root = await slack.waitFor(() => slack.of('chat.postMessage').slice(before).find((c) => c.args.text?.startsWith('<@UMARKETER> asked:')), 'question posted');
    await slack.waitFor(() => slack.of('chat.postMessage').find((c) => c.args.thread_ts && c.args.thread_ts.startsWith('17') && c !== root && blocksText(c.args.blocks).includes('Audience')), 'answer in the new thread');

    const planned = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Planned over MCP', rules: { field: 'order_count', op: '>=', value: 5 }, channel: 'sms', template: 'Hi {{first_name | "there"}}' } });
    await send(command(`approve ${planned.body.approval.id}`), { contentType: 'application/x-www-form-urlencoded' });
    const shown = await slack.waitFor(() => slack.of('chat.postMessage').find((c) => c.args.text === 'Campaign plan Planned over MCP'), 'plan from elsewhere');
    expect(blocksText(shown.args.blocks)).toContain(planned.body.approval.id);
    // Approved from Slack by a marketer (not through any agent conversation): launched once.
    const value = (shown.args.blocks as any[]).find((b) => b.type === 'actions').elements[0].value;
    const before2 = await launches();
    await send(buttonPress('UMARKETER', 'campaign_approve', value, { ts: '1900000001.000100', blocks: shown.args.blocks }, `${slack.url}/respond`), { contentType: 'application/x-www-form-urlencoded' });
    await slack.waitFor(() => slack.of('chat.update').find((c) => c.args.ts === '1900000001.000100'), 'plan marked approved');
    expect(await launches()).toBe(before2 + 1);
    expect((await crm.db.sql.rows(`select status from campaigns where id = $1`, [planned.body.campaignId]))[0].status).not.toBe('draft');
  });

  it('posts each run of a recurring campaign in the runs channel, once: what it sent, or why it stopped', async () => {
    const tool = (name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token: marketer.token, body });
    const start = async (name: string, maxPerRun: number) => {
      const planned = await tool('plan_automation', { name, campaign: { rules: { field: 'order_count', op: '>=', value: 1 }, channel: 'email', subject: 'Hello', template: 'Hi' },
        schedule: { every: 'day', at: '10:00' }, skipDays: 0, maxPerRun, maxPerDay: 100_000 });
      await tool('approve_automation', { approvalId: planned.body.approval.id });
      await crm.db.sql.query(`update automations set next_run_at = now() - interval '1 second' where id = $1`, [planned.body.automationId]);
    };
    const posted = () => slack.of('chat.postMessage').filter((c) => c.args.channel === 'CRUNS');
    await start('Daily regulars', 100_000);
    const sent = await slack.waitFor(() => posted().find((c) => c.args.text.startsWith('Recurring campaign Daily regulars sent to')), 'the run posted');
    expect(sent.args.text).toMatch(/sent to [\d,]+ customers \(campaign \d+\)\.$/);
    await start('Tiny cap', 1);
    const held = await slack.waitFor(() => posted().find((c) => c.args.text.includes('Tiny cap stopped and sent nothing')), 'the held run posted');
    expect(held.args.text).toMatch(/more than its cap of 1 a run/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(posted()).toHaveLength(2);
  });

  it("posts a journey's stop with its reason and, once the day is over, that day's work, each once", async () => {
    const tool = (name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token: marketer.token, body });
    const planned = await tool('plan_automation', {
      name: 'Thank-you journey', maxPerRun: 1, maxPerDay: 1,
      journey: { entry: { event: 'first_order' }, steps: [{ send: { channel: 'email', subject: 'Thank you', template: 'Thanks {{first_name}}' } }], exitOnConversion: false },
    });
    expect(planned.status).toBe(200);
    const { automationId } = planned.body;
    await tool('approve_automation', { approvalId: planned.body.approval.id });
    const [a, b] = (await crm.db.sql.rows<{ id: number }>(
      `insert into customers (external_id, name, email) values ('JRN-1', 'Asha Rao', 'asha.journey@example.com'), ('JRN-2', 'Ben Roy', 'ben.journey@example.com') returning id`,
    )).map((r) => r.id);
    for (const [i, id] of [a, b].entries()) {
      await crm.db.sql.query(`insert into orders (external_id, customer_id, placed_at, status, total) values ($1, $2, now(), 'completed', 500)`, [`JRN-O${i}`, id]);
    }
    const posted = () => slack.of('chat.postMessage').filter((c) => c.args.channel === 'CRUNS' && c.args.text.includes('Thank-you journey'));
    const stopped = await slack.waitFor(() => posted().find((c) => c.args.text.startsWith(':warning: Journey Thank-you journey stopped: it reached its cap of 1 message a day')), 'the stop posted');
    expect(stopped.args.text).toMatch(/wait where they are until it is resumed\.$/);
    // The day is over: what happened today is moved back a day, as if the clock had passed midnight.
    await crm.db.sql.query(`update journey_entries set entered_at = entered_at - interval '1 day' where automation_id = $1`, [automationId]);
    await crm.db.sql.query(`update journey_steps_done d set at = at - interval '1 day' from journey_entries e where e.id = d.entry_id and e.automation_id = $1`, [automationId]);
    const day = await slack.waitFor(() => posted().find((c) => c.args.text.startsWith('Journey Thank-you journey on ')), "the day's work posted");
    expect(day.args.text).toMatch(/: 2 entered; step 1 \(email "Thank you"\): 1 sent\. 1 in it now\.$/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(posted()).toHaveLength(2);
  });
});

