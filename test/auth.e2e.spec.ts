import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

describe('signing in and API tokens over HTTP', () => {
  let crm: TestCrm;
  beforeAll(async () => { crm = await startTestCrm(); });
  afterAll(async () => { await crm.stop(); });

  it('serves health without signing in', async () => {
    expect(await call(`${crm.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok', database: 'reachable', migrations: 'current' } });
  });

  it('refuses the API without a caller, with an unknown token, and with a revoked one', async () => {
    expect((await call(`${crm.url}/api/auth/me`)).status).toBe(401);
    expect((await call(`${crm.url}/api/auth/me`, { token: 'crm_' + 'x'.repeat(43) })).status).toBe(401);

    const marketer = await crm.person('marketer');
    expect(await call(`${crm.url}/api/auth/me`, { token: marketer.token })).toMatchObject({ status: 200, body: { role: 'marketer', user: { email: marketer.email } } });
    const created = await call(`${crm.url}/api/tokens`, { token: marketer.token, body: { role: 'analyst', name: 'reporting' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^crm_/);

    const revoked = await call(`${crm.url}/api/tokens/${created.body.id}`, { token: marketer.token, method: 'DELETE' });
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await call(`${crm.url}/api/auth/me`, { token: created.body.token });
    expect(after).toMatchObject({ status: 401, body: { message: 'This API token is unknown or has been revoked.' } });
  });

  it('answers 403 with the action a role lacks', async () => {
    const analyst = await crm.person('analyst');
    const res = await call(`${crm.url}/api/users`, { token: analyst.token });
    expect(res).toMatchObject({ status: 403, body: { error: 'forbidden', action: 'users.manage' } });
  });

  it('will not mint a token stronger than its user', async () => {
    const analyst = await crm.person('analyst');
    const res = await call(`${crm.url}/api/tokens`, { token: analyst.token, body: { role: 'admin' } });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('cannot carry more');
  });

  it('keeps a web session in an httpOnly cookie and demands the CSRF token for writes', async () => {
    const marketer = await crm.person('marketer');
    const wrong = await call(`${crm.url}/api/auth/sign-in`, { body: { email: marketer.email, password: 'not the password' } });
    expect(wrong.status).toBe(401);

    const signIn = await call(`${crm.url}/api/auth/sign-in`, { body: { email: marketer.email, password: marketer.password } });
    expect(signIn.status).toBe(200);
    const setCookies = signIn.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('crm_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');

    expect(await call(`${crm.url}/api/auth/me`, { headers: { cookie } })).toMatchObject({ status: 200, body: { surface: 'web', role: 'marketer' } });
    const noCsrf = await call(`${crm.url}/api/tokens`, { headers: { cookie }, body: { role: 'analyst' } });
    expect(noCsrf).toMatchObject({ status: 403, body: { error: 'csrf' } });
    const withCsrf = await call(`${crm.url}/api/tokens`, { headers: { cookie, 'x-csrf-token': signIn.body.csrfToken }, body: { role: 'analyst' } });
    expect(withCsrf.status).toBe(201);

    expect((await call(`${crm.url}/api/auth/sign-out`, { headers: { cookie }, method: 'POST' })).status).toBe(403);
    expect((await call(`${crm.url}/api/auth/sign-out`, { headers: { cookie, 'x-csrf-token': signIn.body.csrfToken }, method: 'POST' })).status).toBe(204);
    expect((await call(`${crm.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('records every write in the audit log, with who, where and what', async () => {
    const admin = await crm.person('admin');
    await call(`${crm.url}/api/users`, { token: admin.token, body: { email: 'new.analyst@example.com', role: 'analyst' } });
    const events = await call(`${crm.url}/api/audit-events`, { token: admin.token });
    expect(events.body[0]).toMatchObject({ actor: admin.email, surface: 'api', action: 'user.create', details: { email: 'new.analyst@example.com', role: 'analyst' } });
  });

  it('explains bad input instead of failing', async () => {
    const admin = await crm.person('admin');
    const res = await call(`${crm.url}/api/users`, { token: admin.token, body: { email: 'not-an-email', role: 'boss' } });
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['email', 'role']);
    const broken = await fetch(`${crm.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(broken.status).toBe(400);
  });
});
