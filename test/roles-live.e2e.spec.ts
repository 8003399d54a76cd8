import WebSocket from 'ws';
import { mcpClient } from './support/mcp-client.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(crm: TestCrm, email: string, password: string) {
  const res = await call(`${crm.url}/api/auth/sign-in`, { body: { email, password } });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { status: res.status, headers: { cookie, 'x-csrf-token': res.body?.csrfToken ?? '' } };
}

// What a person or token may do is decided by who they are now, on every request: not when a session or socket opened.
describe('roles and credentials, checked on every request', () => {
  let crm: TestCrm;
  let admin: Awaited<ReturnType<TestCrm['person']>>;
  beforeAll(async () => {
    crm = await startTestCrm({ WS_RECHECK_SECONDS: '1' });
    admin = await crm.person('admin');
  });
  afterAll(async () => { await crm.stop(); });

  it('a marketer demoted to analyst loses writes and sends in the MCP session already open', async () => {
    const marketer = await crm.person('marketer');
    const { client } = await mcpClient(crm.url, marketer.token);
    const names = async () => (await client.listTools()).tools.map((t) => t.name);
    expect(await names()).toEqual(expect.arrayContaining(['create_segment', 'launch_campaign', 'import_records']));

    const demoted = await call(`${crm.url}/api/users/${marketer.userId}`, { token: admin.token, method: 'PATCH', body: { role: 'analyst' } });
    expect(demoted.status).toBe(200);

    expect(await names()).not.toEqual(expect.arrayContaining(['create_segment']));
    const refused = await client.callTool({ name: 'create_segment', arguments: { name: 'After demotion', rules: { field: 'city', op: 'equals', value: 'Pune' } } });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('Your role (analyst) does not allow segments.write');
    const imported = await client.callTool({ name: 'import_records', arguments: { layout: 'customers', records: [{ externalId: 'sneaky' }] } });
    expect(imported.isError).toBe(true);
    expect(await crm.db.sql.rows(`select 1 from segments where name = 'After demotion'`)).toEqual([]);
    expect(await crm.db.sql.rows(`select 1 from imports`)).toEqual([]);
    // Reading is still what an analyst may do.
    expect((await client.callTool({ name: 'list_segments', arguments: {} })).isError).toBeFalsy();
    await client.close();
  });

  it('a websocket is closed once its token is revoked', async () => {
    const marketer = await crm.person('marketer');
    const created = await call(`${crm.url}/api/tokens`, { token: marketer.token, body: { role: 'marketer', name: 'socket' } });
    const socket = new WebSocket(`${crm.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${created.body.token}` } });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
    await call(`${crm.url}/api/tokens/${created.body.id}`, { token: marketer.token, method: 'DELETE' });
    const code = await Promise.race([closed, wait(5000).then(() => 0)]);
    expect(code).toBe(4401);
  });

  it('a password changes only signed in on the web, with the current one, and the other sign-ins end', async () => {
    const person = await crm.person('admin', 'owner@example.com');
    // An API token, even the person's own admin token, cannot change it.
    const byToken = await call(`${crm.url}/api/auth/password`, { token: person.token, body: { currentPassword: person.password, password: 'taken-over-by-a-token' } });
    expect(byToken.status).toBe(422);
    expect(byToken.body.message).toContain('an API token cannot change it');

    const here = await signIn(crm, person.email, person.password);
    const elsewhere = await signIn(crm, person.email, person.password);
    const wrong = await call(`${crm.url}/api/auth/password`, { headers: here.headers, body: { currentPassword: 'not-the-password', password: 'a-brand-new-password' } });
    expect(wrong).toMatchObject({ status: 422, body: { message: 'The current password is not right.' } });
    const missing = await call(`${crm.url}/api/auth/password`, { headers: here.headers, body: { password: 'a-brand-new-password' } });
    expect(missing.status).toBe(400);
    expect((await signIn(crm, person.email, person.password)).status).toBe(200);

    const changed = await call(`${crm.url}/api/auth/password`, { headers: here.headers, body: { currentPassword: person.password, password: 'a-brand-new-password' } });
    expect(changed.status).toBe(204);
    expect((await call(`${crm.url}/api/auth/me`, { headers: here.headers })).status).toBe(200);
    expect((await call(`${crm.url}/api/auth/me`, { headers: elsewhere.headers })).status).toBe(401);
    expect((await signIn(crm, person.email, person.password)).status).toBe(401);
    expect((await signIn(crm, person.email, 'a-brand-new-password')).status).toBe(200);
  });

  it('unknown or impossible user ids are a clear 404 or 400, never a server error', async () => {
    expect(await call(`${crm.url}/api/users/999999`, { token: admin.token, method: 'PATCH', body: { role: 'analyst' } })).toMatchObject({ status: 404, body: { message: 'There is no user 999999.' } });
    expect((await call(`${crm.url}/api/users/abc`, { token: admin.token, method: 'PATCH', body: { role: 'analyst' } })).status).toBe(400);
    expect((await call(`${crm.url}/api/users/99999999999999999999/slack`, { token: admin.token, method: 'PUT', body: { slackUserId: 'U0123ABCD' } })).status).toBe(400);
  });
});
