import { startTestCrm, call, type TestCrm } from './support/test-crm.js';
import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { chatTurn, newConversation, toolCalls } from './support/chat-client.js';

const sentCount = async (crm: TestCrm) => (await crm.db.sql.rows<{ n: number }>(`select count(*) as n from communication_logs`))[0].n;

describe('the agent with the offline model, over /api/chat', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  let analyst: { token: string };
  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '50' });
    marketer = await crm.person('marketer');
    analyst = await crm.person('analyst');
    await addCustomers(crm, Array.from({ length: 30 }, (_, i) => ({ name: `Customer ${i}`, email: `c${i}@example.com`, spend: i * 100, city: i % 2 ? 'Mumbai' : 'Pune' })));
  });
  afterAll(() => crm?.stop());

  it('previews an audience described in words and says it is the offline model', async () => {
    const turn = await chatTurn(crm.url, marketer.token, newConversation(), { text: 'How many customers in Mumbai spent over 1k?' });
    expect(turn.status).toBe(200);
    const [preview] = toolCalls(turn.chunks);
    expect(preview.toolName).toBe('preview_segment');
    const expected = (await crm.db.sql.rows(`select count(*) as n from customers where city = 'Mumbai' and total_spend > 1000`))[0].n;
    expect(preview.output.count).toBe(expected);
    expect(turn.text).toContain('offline model');
    expect(turn.text).toContain(`**${expected}**`);
  });

  it('takes "them" from the page the person asks from, keeps what the conversation narrowed while the page stays, and refuses nothing for a long page name', async () => {
    const conversationId = newConversation();
    const count = async (where: string) => (await crm.db.sql.rows(`select count(*)::int as n from customers where ${where}`))[0].n;
    const screen = { page: `segment "${'Big spenders '.repeat(30)}"`, rules: { field: 'total_spend', op: '>=', value: 1000 } };
    const first = await chatTurn(crm.url, marketer.token, conversationId, { text: 'who are they?' }, screen);
    expect(first.status).toBe(200);
    const [described] = toolCalls(first.chunks);
    expect(described.input.rules).toEqual(screen.rules);
    expect(described.output.customers).toBe(await count('total_spend >= 1000'));
    const narrowed = await chatTurn(crm.url, marketer.token, conversationId, { text: 'only those in Mumbai' }, screen);
    expect(toolCalls(narrowed.chunks)[0].output.count).toBe(await count(`total_spend >= 1000 and city = 'Mumbai'`));
    const again = await chatTurn(crm.url, marketer.token, conversationId, { text: 'who are they?' }, screen);
    expect(toolCalls(again.chunks)[0].output.customers).toBe(await count(`total_spend >= 1000 and city = 'Mumbai'`));
    // Another page: "them" follows it. A rule the page holds half-edited (not a rule at all) is left out, not refused.
    const other = await chatTurn(crm.url, marketer.token, conversationId, { text: 'who are they?' }, { page: 'the customers list', rules: { field: 'total_spend', op: '>=', value: 2000 } });
    expect(toolCalls(other.chunks)[0].output.customers).toBe(await count('total_spend >= 2000'));
    expect((await chatTurn(crm.url, marketer.token, conversationId, { text: 'how many customers spent over 100?' }, { page: 'a segment', rules: [1, 2] })).status).toBe(200);
  });

  it('says who the customers just counted are, with figures, when asked "who are they?"', async () => {
    const conversationId = newConversation();
    await chatTurn(crm.url, marketer.token, conversationId, { text: 'customers who spent at least 100' });
    const turn = await chatTurn(crm.url, marketer.token, conversationId, { text: 'who are they?' });
    const [insights] = toolCalls(turn.chunks);
    expect(insights.toolName).toBe('get_segment_insights');
    expect(insights.output.customers).toBe(29);
    expect(turn.text).toContain('29 customers, 97% of all 30');
    // A group too small gets a decline, not figures that would mislead.
    const small = await chatTurn(crm.url, marketer.token, newConversation(), { text: 'customers in Pune who spent at least 2,000 — who are they?' });
    expect(small.text).toContain('too few to say anything about them');
  });

  it('plans, waits for approval, and sends only after a person approves; the conversation is stored and resumable', async () => {
    const conversationId = newConversation();
    const first = await chatTurn(crm.url, marketer.token, conversationId, { text: 'customers who spent at least 2,500 — send them an email saying "Hi {{first_name | "there"}}, 10% off this week"' });
    const calls = toolCalls(first.chunks);
    expect(calls.map((c) => c.toolName)).toEqual(['preview_segment', 'plan_campaign', 'launch_campaign']);
    // Named after who it is for, so two campaigns of one day are told apart.
    expect(calls[1].input.name).toMatch(/^.+ email to total spend is at least ₹2,500, \d{4}-\d{2}-\d{2}$/);
    const launch = calls[2];
    expect(launch.approvalId).toBeTruthy();
    expect(launch.output).toBeUndefined();
    expect(await sentCount(crm)).toBe(0);
    // The approval request carries the plan the person is deciding on.
    const request = first.chunks.find((c) => c.type === 'tool-approval-request')!;
    expect(request.reason ?? JSON.stringify(request)).toMatch(/to 5 customers/);

    // Someone else cannot answer this approval, and nothing changes.
    const intruder = await chatTurn(crm.url, analyst.token, conversationId, { approvals: [{ id: launch.approvalId!, approved: true }] });
    expect(intruder.status).toBe(404);
    expect(await sentCount(crm)).toBe(0);

    const approved = await chatTurn(crm.url, marketer.token, conversationId, { approvals: [{ id: launch.approvalId!, approved: true }] });
    const launched = toolCalls(approved.chunks).find((c) => c.toolName === 'launch_campaign' || c.output?.campaignId);
    expect(approved.text).toMatch(/on its way to 5 customers/);
    const campaignId = launched?.output?.campaignId ?? (await crm.db.sql.rows(`select max(id) as id from campaigns`))[0].id;
    const done = await waitForCampaign(crm, marketer.token, campaignId);
    expect(done.sent + done.failed).toBe(5);

    // "How much did it make?" by the campaign's name: its report, in the offline model's sentences.
    const [{ name }] = await crm.db.sql.rows(`select name from campaigns where id = $1`, [campaignId]);
    const asked = await chatTurn(crm.url, marketer.token, newConversation(), { text: `How much did the ${name} campaign make?` });
    expect(toolCalls(asked.chunks).map((c) => c.toolName)).toEqual(['list_campaigns', 'get_campaign_report']);
    expect(asked.text).toContain(`Campaign ${campaignId} "${name}": ${done.sent} delivered`);
    expect(asked.text).toMatch(/no control group/);

    // A second answer to the same approval changes nothing.
    const again = await chatTurn(crm.url, marketer.token, conversationId, { approvals: [{ id: launch.approvalId!, approved: true }] });
    expect(again.status).toBe(409);
    expect(await sentCount(crm)).toBe(5);

    const stored = await call(`${crm.url}/api/conversations/${conversationId}`, { token: marketer.token });
    expect(stored.body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant']);
    expect(stored.body.messages[1].parts.some((p: any) => p.state === 'output-available' && p.output?.campaignId === campaignId)).toBe(true);
    expect(stored.body.messages[1].metadata.usage.totalTokens).toBeGreaterThan(0);
    const list = await call(`${crm.url}/api/conversations`, { token: marketer.token });
    expect(list.body.map((c: any) => c.id)).toContain(conversationId);
    expect((await call(`${crm.url}/api/conversations/${conversationId}`, { token: analyst.token })).status).toBe(404);
  });

  it('turns "every Monday at 10, send …" into a recurring campaign that starts only when a person approves it', async () => {
    const conversationId = newConversation();
    const first = await chatTurn(crm.url, marketer.token, conversationId, { text: 'Every Monday at 10am, send customers who spent at least 2,500 an email saying "We miss you, {{first_name | "friend"}}"' });
    const calls = toolCalls(first.chunks);
    expect(calls.map((c) => c.toolName)).toEqual(['preview_segment', 'plan_automation', 'approve_automation']);
    expect(calls[1].output).toMatchObject({ cron: '0 10 * * 1', matchingNow: 5, caps: { maxPerRun: 100, maxPerDay: 100, skipDays: 7 } });
    const request = first.chunks.find((c) => c.type === 'tool-approval-request')!;
    expect(request.reason ?? JSON.stringify(request)).toMatch(/Start the recurring campaign .*: runs on the schedule "0 10 \* \* 1" .*at most 100 messages a run/);
    const approve = calls[2];
    expect(approve.output).toBeUndefined();
    expect((await crm.db.sql.rows(`select status from automations`))[0].status).toBe('draft');
    const approved = await chatTurn(crm.url, marketer.token, conversationId, { approvals: [{ id: approve.approvalId!, approved: true }] });
    expect(approved.text).toMatch(/Planned the recurring campaign .*: Runs every Monday at 10:00/);
    expect(approved.text).toMatch(/Automation \d+ is running; its first run is due/);
    expect((await crm.db.sql.rows(`select status from automations`))[0].status).toBe('active');
  });

  it('turns "after a first order, a thank-you, then a week later a tip, unless they ordered again" into a journey a person starts', async () => {
    const conversationId = newConversation();
    const first = await chatTurn(crm.url, marketer.token, conversationId, { text: 'After a first order, a thank-you, then a week later a tip, unless they ordered again.' });
    const calls = toolCalls(first.chunks);
    expect(calls.map((c) => c.toolName)).toEqual(['plan_automation', 'approve_automation']);
    expect(calls[0].output).toMatchObject({ kind: 'journey', schedule: expect.stringMatching(/^Customers enter when they place their first order, once each; then 1\. send an email "Thank you.*2\. wait 7 days; 3\. if ordered since entry, go to 5, else to 4; 4\. send an email "A tip for you"; 5\. leave\./) });
    const request = first.chunks.find((c) => c.type === 'tool-approval-request')!;
    expect(request.reason ?? JSON.stringify(request)).toMatch(/^Start the journey "Journey after first order/);
    const approved = await chatTurn(crm.url, marketer.token, conversationId, { approvals: [{ id: calls[1].approvalId!, approved: true }] });
    expect(approved.text).toMatch(/Planned the journey .*Automation \d+ is running: customers enter as it says/s);
    expect((await crm.db.sql.rows(`select kind, status from automations where kind = 'journey'`))[0]).toEqual({ kind: 'journey', status: 'active' });
  });

  it('a rejected launch sends nothing and says so', async () => {
    const before = await sentCount(crm);
    const conversationId = newConversation();
    const first = await chatTurn(crm.url, marketer.token, conversationId, { text: 'email customers in Pune: "Hello from the shop"' });
    const launch = toolCalls(first.chunks).find((c) => c.toolName === 'launch_campaign')!;
    const rejected = await chatTurn(crm.url, marketer.token, conversationId, { approvals: [{ id: launch.approvalId!, approved: false, reason: 'wrong audience' }] });
    expect(rejected.text).toMatch(/Nothing was sent/);
    expect(await sentCount(crm)).toBe(before);
  });

  it('remembers the audience: "save it as a segment", then "launch it" after a plan', async () => {
    const conversationId = newConversation();
    await chatTurn(crm.url, marketer.token, conversationId, { text: 'customers with a total spend under 500' });
    const saved = await chatTurn(crm.url, marketer.token, conversationId, { text: 'save it as segment Small spenders' });
    const created = toolCalls(saved.chunks).find((c) => c.toolName === 'create_segment')!;
    expect(created.output.name).toBe('Small spenders');
    expect(created.input.rules).toEqual({ field: 'total_spend', op: 'lt', value: 500 });
  });

  it('an analyst is refused a launch without anyone being asked, and nothing is sent', async () => {
    const before = await sentCount(crm);
    const turn = await chatTurn(crm.url, analyst.token, newConversation(), { text: 'send an email to customers in Mumbai saying "Hi there"' });
    const launch = toolCalls(turn.chunks).find((c) => c.toolName === 'launch_campaign')!;
    expect(launch.denied).toBe(true);
    expect(turn.text).toMatch(/does not allow campaigns.send/);
    expect(await sentCount(crm)).toBe(before);
  });

  it('asks a clarifying question instead of guessing', async () => {
    const turn = await chatTurn(crm.url, marketer.token, newConversation(), { text: 'customers with purple hats' });
    expect(toolCalls(turn.chunks)).toEqual([]);
    expect(turn.text).toMatch(/"purple", "hats"/);
    expect(turn.text).toMatch(/\?/);
  });

  it('bad turns are refused with clear errors', async () => {
    expect((await chatTurn(crm.url, marketer.token, 'not-a-uuid', { text: 'hi' })).error.message).toMatch(/conversationId/);
    expect((await chatTurn(crm.url, marketer.token, newConversation(), { text: '' })).status).toBe(400);
    expect((await chatTurn(crm.url, marketer.token, newConversation(), { approvals: [{ id: 'nope', approved: true }] })).status).toBe(404);
  });
});
