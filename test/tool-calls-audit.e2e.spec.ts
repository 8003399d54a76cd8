import { ToolCallLog } from '../src/audit/tool-calls.js';
import { mcpClient } from './support/mcp-client.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const quiet = { field: 'days_since_last_order', op: '>=', value: 90 };

// Who called which tool, from where, with what (as a digest) and how it ended: on every surface, refusals included.
describe('the record of every tool call', () => {
  let crm: TestCrm;
  let admin: Awaited<ReturnType<TestCrm['person']>>;
  let marketer: Awaited<ReturnType<TestCrm['person']>>;
  beforeAll(async () => {
    crm = await startTestCrm();
    admin = await crm.person('admin');
    marketer = await crm.person('marketer');
  });
  afterAll(() => crm.stop());
  const calls = (query: string, token = admin.token) => call(`${crm.url}/api/tool-calls?${query}`, { token });

  it('records calls over HTTP and MCP with their outcome, filters them for admins, and hides them from others', async () => {
    expect((await call(`${crm.url}/api/tools/preview_segment`, { token: marketer.token, body: { rules: quiet } })).status).toBe(200);
    // The same rule with its keys in another order is the same arguments.
    await call(`${crm.url}/api/tools/preview_segment`, { token: marketer.token, body: { rules: { value: 90, op: '>=', field: 'days_since_last_order' } } });
    expect((await call(`${crm.url}/api/tools/preview_segment`, { token: marketer.token, body: { rules: { field: 'shoe_size', op: '>', value: 1 } } })).status).toBe(400);
    expect((await call(`${crm.url}/api/tools/no_such_tool`, { token: marketer.token, body: {} })).status).toBe(404);
    const reader = (await call(`${crm.url}/api/tokens`, { token: marketer.token, body: { role: 'marketer', scopes: ['read'] } })).body.token;
    expect((await call(`${crm.url}/api/tools/create_segment`, { token: reader, body: { name: 'x', rules: quiet } })).status).toBe(403);
    const { client } = await mcpClient(crm.url, marketer.token);
    await client.callTool({ name: 'list_segments', arguments: {} });
    await client.close();

    const previews = (await calls('tool=preview_segment')).body as { outcome: string; argumentsDigest: string; surface: string; actor: string; client: string }[];
    expect(previews.map((c) => c.outcome)).toEqual(['bad_rule', 'ok', 'ok']);
    expect(previews[1].argumentsDigest).toBe(previews[2].argumentsDigest);
    expect(previews[0].argumentsDigest).not.toBe(previews[1].argumentsDigest);
    expect(previews[1]).toMatchObject({ surface: 'api', actor: marketer.email, client: expect.stringMatching(/^api token \d+$/) });
    expect((await calls('outcome=insufficient_scope')).body).toEqual([expect.objectContaining({ tool: 'create_segment', surface: 'api' })]);
    expect((await calls('outcome=unknown_tool')).body).toEqual([expect.objectContaining({ tool: 'no_such_tool' })]);
    expect((await calls('surface=mcp')).body).toEqual([expect.objectContaining({ tool: 'list_segments', outcome: 'ok' })]);
    expect((await calls(`userId=${admin.userId}`)).body).toEqual([]);
    expect((await calls(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body).toEqual([]);
    // Nothing of the arguments themselves is kept.
    expect(JSON.stringify((await calls('limit=1000')).body)).not.toContain('days_since_last_order');

    expect((await calls('tool=preview_segment', marketer.token)).status).toBe(403);
    expect((await calls('surface=telepathy')).status).toBe(400);
  });

  it('forgets calls older than the time it keeps them', async () => {
    await crm.db.sql.query(`update tool_calls set at = now() - interval '400 days' where tool = 'no_such_tool'`);
    const before = Number((await crm.db.sql.rows(`select count(*) as n from tool_calls`))[0].n);
    expect(await new ToolCallLog(crm.db.sql).prune(365)).toBe(1);
    expect(Number((await crm.db.sql.rows(`select count(*) as n from tool_calls`))[0].n)).toBe(before - 1);
  });
});
