import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '../src/db/free-port.js';
import { CookieJar } from './support/cookie-jar.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

// A real OpenID Connect provider on loopback: the CRM's openid-client code runs the whole flow against it.
const accounts: Record<string, { email: string; email_verified: boolean; name: string }> = {
  'sub-asha': { email: 'asha@example.com', email_verified: true, name: 'Asha Rao' },
  'sub-newcomer': { email: 'dev@shop.example', email_verified: true, name: 'New Person' },
  'sub-stranger': { email: 'someone@elsewhere.example', email_verified: true, name: 'Stranger' },
  'sub-unverified': { email: 'asha@example.com', email_verified: false, name: 'Impostor' },
};

describe('sign-in with OpenID Connect', () => {
  let issuer: string;
  let server: Server;
  let crm: TestCrm;

  beforeAll(async () => {
    const providerPort = await freePort();
    issuer = `http://127.0.0.1:${providerPort}`;
    const crmPort = await freePort();
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'crm', client_secret: 'crm-test-secret', redirect_uris: [`http://127.0.0.1:${crmPort}/api/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: async (_ctx, id) => (accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
      cookies: { keys: ['test-cookie-key'] },
    });
    server = createServer(provider.callback());
    await new Promise<void>((resolve) => server.listen(providerPort, '127.0.0.1', resolve));
    crm = await startTestCrm({
      OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: 'crm', OIDC_CLIENT_SECRET: 'crm-test-secret', OIDC_ALLOWED_DOMAINS: 'shop.example',
    }, crmPort);
    await crm.person('marketer', 'asha@example.com');
  });

  afterAll(async () => {
    await crm.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Signs in at the provider as `account`, the way a browser would, and returns where the CRM sent the browser. */
  async function signInAs(account: string) {
    const jar = new CookieJar();
    let { res, url } = await jar.follow(`${crm.url}/api/auth/oidc/start?returnTo=/campaigns`);
    for (const prompt of ['login', 'consent']) {
      if (!url.startsWith(issuer)) break;
      const action = /action="([^"]+)"/.exec(await res.text())?.[1];
      if (!action) break;
      const body = new URLSearchParams({ prompt, login: account, password: 'any' });
      ({ res, url } = await jar.follow(new URL(action, url).toString(), { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    }
    return { jar, url };
  }

  it('signs an existing person in by their verified email and returns them where they started', async () => {
    const { jar, url } = await signInAs('sub-asha');
    expect(new URL(url).pathname).toBe('/campaigns');
    const me = await call(`${crm.url}/api/auth/me`, { headers: { cookie: jar.header(crm.url) } });
    expect(me).toMatchObject({ status: 200, body: { role: 'marketer', user: { email: 'asha@example.com' } } });
  });

  it('creates an analyst for a person from an allowed domain', async () => {
    const { jar } = await signInAs('sub-newcomer');
    const me = await call(`${crm.url}/api/auth/me`, { headers: { cookie: jar.header(crm.url) } });
    expect(me.body).toMatchObject({ role: 'analyst', user: { email: 'dev@shop.example', name: 'New Person' } });
  });

  it('refuses a stranger and an unverified email, saying why', async () => {
    const stranger = await signInAs('sub-stranger');
    expect(new URL(stranger.url).searchParams.get('signInError')).toBe('There is no CRM account for someone@elsewhere.example; ask an admin to create one.');
    expect((await call(`${crm.url}/api/auth/me`, { headers: { cookie: stranger.jar.header(crm.url) } })).status).toBe(401);

    const unverified = await signInAs('sub-unverified');
    expect(new URL(unverified.url).searchParams.get('signInError')).toContain('did not share a verified email');
  });

  it('refuses a callback that was not started in this browser', async () => {
    const res = await fetch(`${crm.url}/api/auth/oidc/callback?code=forged&state=forged`, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!, crm.url).searchParams.get('signInError')).toContain('expired or was started in another browser');
  });
});
