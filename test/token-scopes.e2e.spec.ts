import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { mcpClient } from './support/mcp-client.js';
import { call, signInOnTheWeb, startTestCrm, type TestCrm } from './support/test-crm.js';

const quiet = { field: 'days_since_last_order', op: '>=', value: 90 };
const template = 'Hi {{first_name | "there"}}, 10% off with COMEBACK10.';

// A token is not a person. Whatever surface it uses, a send it asks for waits until a person approves it signed in,
// unless that person gave the token the send scope; and a token never does more than its scopes and tools say.
describe('token scopes and the rule that a person approves every send', () => {
  let crm: TestCrm;
  let marketer: Awaited<ReturnType<TestCrm['person']>>;
  let script: string; // the marketer's token made with no scopes named: read and write, no send
  const open: Client[] = [];

  const messagesOf = async (campaignId: number) =>
    Number((await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1`, [campaignId]))[0].n);
  const statusOf = async (campaignId: number) => (await crm.db.sql.rows(`select status from campaigns where id = $1`, [campaignId]))[0].status;
  const plan = async (token: string) => {
    const res = await call(`${crm.url}/api/tools/plan_campaign`, { token, body: { name: `Win-back ${Math.random()}`, rules: quiet, channel: 'email', template } });
    expect(res.status).toBe(200);
    return res.body as { campaignId: number; audience: { eligible: number }; approval: { id: string } };
  };
  const signIn = () => signInOnTheWeb(crm.url, marketer.email, marketer.password);
  const makeToken = async (body: Record<string, unknown>) => call(`${crm.url}/api/tokens`, { token: marketer.token, body });

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MAX_DELAY_MS: '50' });
    await seedDemoData(crm.db.sql, { seed: 5, customers: 200 });
    marketer = await crm.person('marketer');
    const made = await makeToken({ role: 'marketer', name: 'nightly script' });
    expect(made.body.scopes).toEqual(['read', 'write']);
    script = made.body.token;
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await crm.stop();
  });

  it('a token without the send scope sends nothing through the tools route or the launch route; the person then approves it on the web', async () => {
    const planned = await plan(script);
    expect(planned.audience.eligible).toBeGreaterThan(0);
    for (const [url, body] of [[`${crm.url}/api/tools/launch_campaign`, { approvalId: planned.approval.id }], [`${crm.url}/api/campaigns/launch`, { approvalId: planned.approval.id }]] as const) {
      const res = await call(url, { token: script, body });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'awaiting_person', approveAt: `/approvals/${planned.approval.id}` });
      expect(res.body.message).toMatch(/^Nothing was sent: a token without the send scope cannot send on its own/);
    }
    expect(await messagesOf(planned.campaignId)).toBe(0);
    expect(await statusOf(planned.campaignId)).toBe('draft');

    // The person, signed in on the web page, sees the same plan and approves it: it goes out once.
    const session = await signIn();
    const shown = await call(`${crm.url}/api/campaigns/approvals/${planned.approval.id}`, { headers: session });
    expect(shown.body).toMatchObject({ campaignId: planned.campaignId });
    const launched = await call(`${crm.url}/api/campaigns/launch`, { headers: session, body: { approvalId: planned.approval.id } });
    expect(launched.status).toBe(202);
    expect(await messagesOf(planned.campaignId)).toBe(planned.audience.eligible);
  });

  it('an assistant that answers its own elicitation sends nothing unless its person gave it the send scope', async () => {
    const selfApproving = await mcpClient(crm.url, script, () => ({ action: 'accept', content: { send: true } }));
    open.push(selfApproving.client);
    const planned = await plan(script);
    const result = await selfApproving.client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(result.isError).toBe(true);
    expect(selfApproving.asked).toHaveLength(0);
    expect((result.content as { text: string }[])[0].text).toContain(`${crm.url}/approvals/${planned.approval.id}`);
    expect(await messagesOf(planned.campaignId)).toBe(0);

    // Other sends are refused the same way, over HTTP too.
    const test = await call(`${crm.url}/api/tools/send_test_message`, { token: script, body: { channel: 'email', to: 'me@example.com', message: 'Hi' } });
    expect(test.status).toBe(403);
    expect(test.body.error).toBe('awaiting_person');

    const trusted = (await makeToken({ role: 'marketer', scopes: ['read', 'write', 'send'] })).body.token as string;
    const approver = await mcpClient(crm.url, trusted, () => ({ action: 'accept', content: { send: true } }));
    open.push(approver.client);
    const sent = await approver.client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(approver.asked).toHaveLength(1);
    expect(sent.isError).toBeFalsy();
    expect(await messagesOf(planned.campaignId)).toBe(planned.audience.eligible);
  });

  it('holds a token to its scopes and its tools on every route', async () => {
    const reader = (await makeToken({ role: 'marketer', scopes: ['read'] })).body.token as string;
    expect((await call(`${crm.url}/api/tools/preview_segment`, { token: reader, body: { rules: quiet } })).status).toBe(200);
    const write = await call(`${crm.url}/api/segments`, { token: reader, body: { name: 'Quiet', rules: quiet } });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: 'insufficient_scope', needed: 'write' });
    expect((await call(`${crm.url}/api/tools/create_segment`, { token: reader, body: { name: 'Quiet', rules: quiet } })).body.error).toBe('insufficient_scope');
    expect(Number((await crm.db.sql.rows(`select count(*) as n from segments where name = 'Quiet'`))[0].n)).toBe(0);

    const previewOnly = (await makeToken({ role: 'marketer', tools: ['preview_segment'] })).body.token as string;
    expect((await call(`${crm.url}/api/tools/preview_segment`, { token: previewOnly, body: { rules: quiet } })).status).toBe(200);
    expect((await call(`${crm.url}/api/tools/list_segments`, { token: previewOnly, body: {} })).body).toMatchObject({ error: 'insufficient_scope' });
    expect((await call(`${crm.url}/api/segments`, { token: previewOnly })).status).toBe(403);
    expect((await makeToken({ role: 'marketer', tools: ['drop_database'] })).status).toBe(400);
  });

  it('never grants more than the role, or than the token making it holds', async () => {
    // An analyst signed in on the web asks for a token that writes; their own read-only token cannot make one either.
    const analyst = await crm.person('analyst');
    const session = await signInOnTheWeb(crm.url, analyst.email, analyst.password);
    const beyond = await call(`${crm.url}/api/tokens`, { headers: session, body: { role: 'analyst', scopes: ['read', 'write'] } });
    expect(beyond.status).toBe(422);
    expect(beyond.body.message).toBe('An analyst token cannot hold the write scope.');
    expect((await call(`${crm.url}/api/tokens`, { token: analyst.token, body: { role: 'analyst', scopes: ['read', 'write'] } })).status).toBe(422);
    const fromScript = await call(`${crm.url}/api/tokens`, { token: script, body: { role: 'marketer', scopes: ['read', 'send'] } });
    expect(fromScript.status).toBe(422);
    expect(fromScript.body.message).toMatch(/cannot make a token with the send scope/);

    // A person demoted to analyst: their send-scoped token now only reads, from the next request on.
    const person = await crm.person('marketer');
    await call(`${crm.url}/api/users/${person.userId}`, { token: (await crm.person('admin')).token, method: 'PATCH', body: { role: 'analyst' } });
    const res = await call(`${crm.url}/api/tools/create_segment`, { token: person.token, body: { name: 'Demoted', rules: quiet } });
    expect(res.status).toBe(403);
  });
});
