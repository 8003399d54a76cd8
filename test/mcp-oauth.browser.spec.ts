import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, signInThroughForm } from './support/browser.js';
import { projectRoot } from '../src/project-root.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { AssistantOAuth } from './support/oauth-client.js';
import { call, signInOnTheWeb, startTestCrm, type TestCrm } from './support/test-crm.js';

const quiet = { field: 'days_since_last_order', op: '>=', value: 90 };

// An assistant connects the way Claude Desktop or any MCP client does: it finds the metadata from the 401, registers
// itself, sends the person to sign in and consent in a real browser, and comes back with tokens for /mcp.
describeInBrowser('OAuth 2.1 for AI assistants connecting to /mcp', () => {
  let crm: TestCrm;
  let browser: Browser;
  let marketer: Awaited<ReturnType<TestCrm['person']>>;
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MAX_DELAY_MS: '50' });
    await seedDemoData(crm.db.sql, { seed: 6, customers: 150 });
    marketer = await crm.person('marketer', 'asha@example.com');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const o of open) await o.close().catch(() => undefined);
    await browser?.close();
    await crm?.stop();
  });

  /** The person's part in the browser: sign in if needed, tick the scopes, allow or deny. */
  async function consent(page: Page, url: URL, choice: { allow: boolean; send?: boolean; screenshot?: string }) {
    await page.goto(url.href);
    const heading = page.getByRole('heading', { name: /^Connect Desk Assistant to the CRM\?$/ });
    // Each page opens in a fresh browser context: the person signs in first, and the consent page follows.
    await page.getByLabel('Password').or(heading).first().waitFor();
    if (await page.getByLabel('Password').isVisible()) {
      await signInThroughForm(page, marketer);
    }
    await heading.waitFor();
    if (choice.send) await page.getByRole('checkbox', { name: /send/ }).check();
    if (choice.screenshot) await page.screenshot({ path: join(projectRoot(), 'docs', 'screenshots', `${choice.screenshot}.png`) });
    await page.getByRole('button', { name: choice.allow ? 'Allow' : 'Deny' }).click();
  }

  async function connectWithOAuth(options: { send?: boolean } = {}) {
    const assistant = await AssistantOAuth.start('Desk Assistant', options.send ? 'read write send' : undefined);
    open.push(assistant);
    const first = new StreamableHTTPClientTransport(new URL('/mcp', crm.url), { authProvider: assistant });
    await expect(new Client({ name: 'desk', version: '1' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(assistant.authorizationUrl?.pathname).toBe('/oauth/authorize');
    expect(assistant.authorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    const page = await browser.newPage();
    const back = assistant.nextCallback();
    await consent(page, assistant.authorizationUrl!, { allow: true, send: options.send, screenshot: options.send ? undefined : 'oauth-consent' });
    const code = (await back).get('code')!;
    await page.close();
    await first.finishAuth(code);
    const client = new Client({ name: 'desk', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { send: true } }));
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', crm.url), { authProvider: assistant }));
    open.push(client);
    return { assistant, client };
  }

  it('connects with the SDK\'s own OAuth flow and a person\'s consent, acts as that person, and never sends without the send scope', async () => {
    const unauthorized = await fetch(`${crm.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toContain(`resource_metadata="${crm.url}/.well-known/oauth-protected-resource/mcp"`);

    const { assistant, client } = await connectWithOAuth();
    expect(assistant.saved?.scope).toBe('read write');
    const preview = await client.callTool({ name: 'preview_segment', arguments: { rules: quiet } });
    expect(preview.isError).toBeFalsy();
    const [call1] = await crm.db.sql.rows(`select actor, surface, client from tool_calls where tool = 'preview_segment' order by id desc limit 1`);
    expect(call1).toMatchObject({ actor: marketer.email, surface: 'mcp', client: expect.stringMatching(/^Desk Assistant \(OAuth client [0-9a-f]{8}\)$/) });

    // It answers its own "send?" question with yes; without the send scope that is no approval.
    const planned = (await client.callTool({ name: 'plan_campaign', arguments: { name: 'OAuth win-back', rules: quiet, channel: 'email', template: 'Hi {{first_name | "there"}}' } })).structuredContent as { campaignId: number; approval: { id: string } };
    const launched = await client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(launched.isError).toBe(true);
    expect((launched.content as { text: string }[])[0].text).toContain(`/approvals/${planned.approval.id}`);
    expect(Number((await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1`, [planned.campaignId]))[0].n)).toBe(0);
  });

  it('sends after the assistant\'s own question only when the person granted the send scope on the consent page', async () => {
    const { assistant, client } = await connectWithOAuth({ send: true });
    expect(assistant.saved?.scope).toBe('read write send');
    const planned = (await client.callTool({ name: 'plan_campaign', arguments: { name: 'OAuth send', rules: quiet, channel: 'email', template: 'Hi {{first_name | "there"}}' } })).structuredContent as { campaignId: number; audience: { eligible: number }; approval: { id: string } };
    const launched = await client.callTool({ name: 'launch_campaign', arguments: { approvalId: planned.approval.id } });
    expect(launched.isError).toBeFalsy();
    expect(Number((await crm.db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1`, [planned.campaignId]))[0].n)).toBe(planned.audience.eligible);
  });

  it('refreshes with rotation, treats a replayed refresh token as theft, and revokes', async () => {
    const { assistant } = await connectWithOAuth();
    const clientId = assistant.information!.client_id;
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const oldRefresh = assistant.saved!.refresh_token!;
    const refreshed = await (await fetch(`${crm.url}/oauth/token`, form({ grant_type: 'refresh_token', refresh_token: oldRefresh, client_id: clientId }))).json();
    expect(refreshed).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
    const mcpWith = (token: string) => fetch(`${crm.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }) });
    expect((await mcpWith(refreshed.access_token)).status).toBe(200);
    // The old refresh token again: refused, and everything from that consent stops working.
    const replay = await fetch(`${crm.url}/oauth/token`, form({ grant_type: 'refresh_token', refresh_token: oldRefresh, client_id: clientId }));
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toBe('invalid_grant');
    expect((await mcpWith(refreshed.access_token)).status).toBe(401);

    // A fresh consent, then revocation of its access token.
    const again = await connectWithOAuth();
    const token = again.assistant.saved!.access_token;
    expect((await mcpWith(token)).status).toBe(200);
    expect((await fetch(`${crm.url}/oauth/revoke`, form({ token, client_id: again.assistant.information!.client_id }))).status).toBe(200);
    expect((await mcpWith(token)).status).toBe(401);
    // Refreshing can never add a scope.
    const wider = await fetch(`${crm.url}/oauth/token`, form({ grant_type: 'refresh_token', refresh_token: again.assistant.saved!.refresh_token!, client_id: again.assistant.information!.client_id, scope: 'read write send' }));
    expect((await wider.json()).error).toBe('invalid_scope');
  });

  it('refuses hostile registrations, missing or wrong PKCE, replayed codes, other resources, scopes beyond the role and revoked clients', async () => {
    const register = (body: unknown) => call(`${crm.url}/oauth/register`, { body });
    for (const uri of ['http://evil.example.com/cb', 'javascript:alert(1)', 'https://app.example.com/cb#frag', 'ftp://127.0.0.1/cb']) {
      const res = await register({ redirect_uris: [uri], client_name: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_redirect_uri');
    }
    expect((await register({ redirect_uris: ['https://app.example.com/cb'], token_endpoint_auth_method: 'client_secret_basic' })).body.error).toBe('invalid_client_metadata');
    const redirect = 'http://127.0.0.1:9/cb';
    const client = await register({ redirect_uris: [redirect, 'https://app.example.com/cb'], client_name: 'Desk Assistant' });
    expect(client.status).toBe(201);
    const clientId = client.body.client_id as string;

    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorizeUrl = (params: Record<string, string>) => `${crm.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirect, state: 's1', ...params })}`;
    // Refused on the CRM's own page, never redirected to an address anyone could have registered.
    const errorOf = async (params: Record<string, string>) => {
      const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
      return (await res.json()).error as string;
    };
    expect(await errorOf({})).toBe('invalid_request');
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'plain' })).toBe('invalid_request');
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'S256', resource: 'https://other.example.com/mcp' })).toBe('invalid_target');
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'S256', scope: 'read everything' })).toBe('invalid_scope');
    // An unregistered redirect URI is never followed.
    const foreign = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example.com/cb', code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' });
    expect(foreign.status).toBe(400);

    // A person consents over the API the consent page uses; the code comes back once.
    const consentId = new URL((await fetch(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256', scope: 'read' }), { redirect: 'manual' })).headers.get('location')!, crm.url).searchParams.get('request')!;
    const session = await signInOnTheWeb(crm.url, marketer.email, marketer.password);
    expect((await call(`${crm.url}/api/oauth/requests/${consentId}/decision`, { token: marketer.token, body: { approve: true, scopes: ['read'] } })).status).toBe(422);
    const decided = await call(`${crm.url}/api/oauth/requests/${consentId}/decision`, { headers: session, body: { approve: true, scopes: ['read'] } });
    const code = new URL(decided.body.redirectTo).searchParams.get('code')!;
    const token = (fields: Record<string, string>) => fetch(`${crm.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirect, resource: 'https://other.example.com/mcp', code_verifier: verifier })).body.error).toBe('invalid_target');
    const good = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirect, code_verifier: verifier });
    expect(good.status).toBe(200);
    const replayed = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirect, code_verifier: verifier });
    expect([replayed.status, replayed.body.error]).toEqual([400, 'invalid_grant']);
    expect((await token({ grant_type: 'password', client_id: clientId })).body.error).toBe('unsupported_grant_type');

    // A wrong verifier gets nothing (and burns the code).
    const consent2 = new URL((await fetch(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' })).headers.get('location')!, crm.url).searchParams.get('request')!;
    const code2 = new URL((await call(`${crm.url}/api/oauth/requests/${consent2}/decision`, { headers: session, body: { approve: true, scopes: ['read', 'write'] } })).body.redirectTo).searchParams.get('code')!;
    expect((await token({ grant_type: 'authorization_code', code: code2, client_id: clientId, code_verifier: randomBytes(32).toString('base64url') })).body.error).toBe('invalid_grant');
    expect((await token({ grant_type: 'authorization_code', code: code2, client_id: clientId, code_verifier: verifier })).body.error).toBe('invalid_grant');

    // An analyst cannot grant writing; the client hears invalid_scope.
    const analyst = await crm.person('analyst');
    const analystSession = await signInOnTheWeb(crm.url, analyst.email, analyst.password);
    const consent3 = new URL((await fetch(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' })).headers.get('location')!, crm.url).searchParams.get('request')!;
    expect((await call(`${crm.url}/api/oauth/requests/${consent3}`, { headers: analystSession })).body.grantable).toEqual(['read']);
    const beyond = await call(`${crm.url}/api/oauth/requests/${consent3}/decision`, { headers: analystSession, body: { approve: true, scopes: ['read', 'write'] } });
    expect(new URL(beyond.body.redirectTo).searchParams.get('error')).toBe('invalid_scope');

    // An admin revokes the client: its token stops working and it cannot start again.
    const admin = await crm.person('admin');
    expect((await call(`${crm.url}/api/oauth/clients/${clientId}`, { token: admin.token, method: 'DELETE' })).status).toBe(200);
    const mcp = await fetch(`${crm.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${good.body.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(mcp.status).toBe(401);
    const again = await fetch(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' });
    expect([again.status, (await again.json()).error]).toEqual([400, 'invalid_client']);
  });
});
