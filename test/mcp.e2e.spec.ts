import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { mcpClient, rawMcp } from './support/mcp-client.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const quiet = { field: 'days_since_last_order', op: '>=', value: 90 };
const template = 'Hi {{first_name | "there"}}, we miss you: 10% off with COMEBACK10.';

describe('the MCP server over Streamable HTTP', () => {
  let crm: TestCrm;
  let marketer: { token: string; userId: number };
  let analyst: { token: string };
  const open: Client[] = [];
  const connect = async (...args: Parameters<typeof mcpClient>) => {
    const c = await mcpClient(...args);
    open.push(c.client);
    return c;
  };
  const messagesOf = async (campaignId: number) =>
    Number((await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1`, [campaignId]))[0].n);
  const statusOf = async (campaignId: number) => (await crm.db.sql.rows(`select status from campaigns where id = $1`, [campaignId]))[0].status;
  const plan = async (client: Client) => {
    const planned = await client.callTool({ name: 'plan_campaign', arguments: { name: `MCP win-back ${Math.random()}`, rules: quiet, channel: 'email', template } });
    return planned.structuredContent as { campaignId: number; audience: { eligible: number }; approval: { id: string } };
  };

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MAX_DELAY_MS: '100' });
    await seedDemoData(crm.db.sql, { seed: 4, customers: 300 });
    marketer = await crm.person('marketer');
    analyst = await crm.person('analyst');
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await crm.stop();
  });

  it('lists the catalogue with schemas and risk annotations, and answers with structured content the database agrees with', async () => {
    const { client } = await connect(crm.url, marketer.token);
    const { tools } = await client.listTools();
    const launch = tools.find((t) => t.name === 'launch_campaign')!;
    expect(launch.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const preview = tools.find((t) => t.name === 'preview_segment')!;
    expect(preview.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(preview.inputSchema.required).toEqual(['rules']);
    expect(preview.outputSchema?.type).toBe('object');

    const result = await client.callTool({ name: 'preview_segment', arguments: { rules: quiet } });
    const [hand] = await crm.db.sql.rows(`select count(*)::int as n from customers where last_order_at <= now() - interval '90 days'`);
    expect(Math.abs((result.structuredContent as { count: number }).count - hand.n)).toBeLessThanOrEqual(1);
    expect((result.content as { text: string }[])[0].text).toMatch(/^preview_segment done — count: \d+/);

    const bad = await client.callTool({ name: 'preview_segment', arguments: { rules: { field: 'shoe_size', op: '>', value: 9 } } });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0].text).toMatch(/shoe_size/);
  });

  it('serves segments and campaigns as resources, the rule reference, and prompts', async () => {
    const saved = await call(`${crm.url}/api/segments`, { token: marketer.token, body: { name: 'Quiet for 90 days', rules: quiet } });
    const { client } = await connect(crm.url, analyst.token);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining([`crm://segments/${saved.body.id}`, 'crm://docs/segment-rules']));
    const segment = await client.readResource({ uri: `crm://segments/${saved.body.id}` });
    expect(JSON.parse((segment.contents[0] as { text: string }).text)).toMatchObject({ id: saved.body.id, name: 'Quiet for 90 days', rules: quiet });
    const reference = await client.readResource({ uri: 'crm://docs/segment-rules' });
    expect((reference.contents[0] as { text: string }).text).toContain('days_since_last_order');

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['segment_report', 'win_back_campaign']);
    const prompt = await client.getPrompt({ name: 'win_back_campaign', arguments: { quietDays: '120', channel: 'sms' } });
    expect((prompt.messages[0].content as { text: string }).text).toMatch(/sms campaign for customers whose last order was at least 120 days ago/);
  });

  it('does not offer an analyst the send tool and refuses it when called anyway, sending nothing', async () => {
    const { client } = await connect(crm.url, analyst.token, () => ({ action: 'accept', content: { send: true } }));
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('launch_campaign');
    const planned = await plan((await connect(crm.url, marketer.token)).client);
    const result = await client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0].text).toBe('Your role (analyst) does not allow campaigns.send.');
    expect(await messagesOf(planned.campaignId)).toBe(0);
  });

  it('asks the person through elicitation before a send: declining sends nothing, accepting sends once', async () => {
    const decliner = await connect(crm.url, marketer.token, () => ({ action: 'decline' }));
    const planned = await plan(decliner.client);
    const declined = await decliner.client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(decliner.asked).toHaveLength(1);
    expect(decliner.asked[0]).toContain(`to ${planned.audience.eligible.toLocaleString('en-IN')} customers`);
    expect(declined.isError).toBe(true);
    expect((declined.content as { text: string }[])[0].text).toMatch(/^Nothing was sent: the person chose decline/);
    expect(await messagesOf(planned.campaignId)).toBe(0);
    expect(await statusOf(planned.campaignId)).toBe('draft');

    const unticked = await connect(crm.url, marketer.token, () => ({ action: 'accept', content: { send: false } }));
    expect((await unticked.client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } })).isError).toBe(true);
    expect(await messagesOf(planned.campaignId)).toBe(0);

    const approver = await connect(crm.url, marketer.token, () => ({ action: 'accept', content: { send: true } }));
    const launched = await approver.client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(launched.isError).toBeFalsy();
    expect(launched.structuredContent).toMatchObject({ campaignId: planned.campaignId, audience: planned.audience.eligible });
    expect(await messagesOf(planned.campaignId)).toBe(planned.audience.eligible);
    const again = await approver.client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect((again.content as { text: string }[])[0].text).toMatch(/already used/);
    expect(await messagesOf(planned.campaignId)).toBe(planned.audience.eligible);
  });

  it('without elicitation returns the plan and where a person approves it, and sends nothing', async () => {
    const { client } = await connect(crm.url, marketer.token);
    const planned = await plan(client);
    const result = await client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    const text = (result.content as { text: string }[])[0].text;
    expect(result.isError).toBe(true);
    expect(text).toContain(`${crm.url}/approvals/${planned.approval.id}`);
    expect(text).toContain(`/crm approve ${planned.approval.id}`);
    expect(await messagesOf(planned.campaignId)).toBe(0);

    // The approval page's API: the person sees the same plan and approves it there; it is sent once.
    const shown = await call(`${crm.url}/api/campaigns/approvals/${planned.approval.id}`, { token: analyst.token });
    expect(shown.body).toMatchObject({ campaignId: planned.campaignId, audience: { eligible: planned.audience.eligible } });
    expect((await call(`${crm.url}/api/campaigns/launch`, { token: analyst.token, body: { approvalId: planned.approval.id } })).status).toBe(403);
    expect((await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.approval.id } })).status).toBe(202);
    expect(await messagesOf(planned.campaignId)).toBe(planned.audience.eligible);
  });

  it('refuses callers without a valid token, foreign Host or Origin, and another caller\'s session', async () => {
    expect((await rawMcp(crm.url, {})).status).toBe(401);
    expect((await rawMcp(crm.url, { authorization: 'Bearer crm_not_a_real_token' })).status).toBe(401);
    expect((await rawMcp(crm.url, { authorization: `Bearer ${marketer.token}`, host: 'evil.example.com' })).status).toBe(403);
    expect((await rawMcp(crm.url, { authorization: `Bearer ${marketer.token}`, origin: 'http://evil.example.com' })).status).toBe(403);
    const ok = await rawMcp(crm.url, { authorization: `Bearer ${marketer.token}` });
    expect(ok.status).toBe(200);

    const { transport } = await connect(crm.url, marketer.token);
    const stolen = await rawMcp(crm.url, { authorization: `Bearer ${analyst.token}`, 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': '2025-11-25' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(stolen.status).toBe(404);
  });
});
