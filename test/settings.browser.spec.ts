import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, describeInBrowser, desktopPage, launchBrowser, signInThroughForm } from './support/browser.js';
import { projectRoot } from '../src/project-root.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';


// The settings page at its own address: the one-time password changed, a token made with its scopes and revoked,
// a person's role changed — each checked against what the server then does.
describeInBrowser('the settings page in a real browser', () => {
  let crm: TestCrm;
  let browser: Browser;
  let page: Page;
  let admin: Awaited<ReturnType<TestCrm['person']>>;
  beforeAll(async () => {
    crm = await startTestCrm();
    admin = await crm.person('admin', 'owner@example.com');
    browser = await launchBrowser();
    page = await desktopPage(browser);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await crm?.stop();
  });

  it("changes the password, makes and revokes a token with chosen scopes, and changes a person's role", async () => {
    const colleague = await crm.person('marketer', 'colleague@example.com');
    await page.goto(crm.url);
    await signInThroughForm(page, admin);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings');

    await page.getByLabel('Current password').fill(admin.password);
    await page.getByLabel('New password (at least 12 characters)').fill('a-new-long-password');
    await page.getByLabel('New password again').fill('a-new-long-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    expect((await call(`${crm.url}/api/auth/sign-in`, { body: { email: admin.email, password: 'a-new-long-password' } })).status).toBe(200);

    // A token for a script: read and write ticked, send left unticked as offered.
    await page.getByLabel('Name').fill('nightly import');
    await page.getByRole('button', { name: 'Make a token' }).click();
    const token = (await page.getByTestId('new-token').textContent())!;
    expect(token).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    const listed = await call(`${crm.url}/api/tokens`, { token });
    expect(listed.body.find((t: { name: string }) => t.name === 'nightly import')).toMatchObject({ scopes: ['read', 'write'], role: 'admin' });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(projectRoot(), 'docs', 'screenshots', 'settings.png'), fullPage: true });
    await page.getByRole('button', { name: 'Revoke nightly import' }).click();
    await page.getByRole('cell', { name: 'revoked' }).waitFor();
    expect((await call(`${crm.url}/api/segments`, { token })).status).toBe(401);

    // The colleague becomes an analyst: their token may no longer change data.
    await page.getByLabel(`Role of ${colleague.email}`).selectOption('analyst');
    await page.getByText('Role changed.').waitFor();
    expect((await call(`${crm.url}/api/segments`, { token: colleague.token, body: { name: 'x', rules: { field: 'order_count', op: '>=', value: 1 } } })).status).toBe(403);

    // The colleague's Slack account is linked: in Slack they act as themselves. A malformed id is refused in words.
    await page.getByLabel(`Slack member id of ${colleague.email}`).fill('not-an-id');
    await page.getByRole('button', { name: `Link ${colleague.email} to this Slack member` }).click();
    await page.getByText(/must be a Slack member id/).waitFor();
    await page.getByLabel(`Slack member id of ${colleague.email}`).fill('U0SETTINGS1');
    await page.getByRole('button', { name: `Link ${colleague.email} to this Slack member` }).click();
    await page.getByText(`${colleague.email} now acts as themselves in Slack.`).waitFor();
    expect((await crm.db.sql.rows(`select slack_user_id from users where email = $1`, [colleague.email]))[0].slack_user_id).toBe('U0SETTINGS1');
    await page.getByRole('heading', { name: 'Channels' }).waitFor();
    expect(await page.getByText('email:').count()).toBeGreaterThan(0);
  });

  it('is reachable by its address after a reload, with the keyboard alone', async () => {
    await page.goto(`${crm.url}/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Current password').focus();
    await page.keyboard.type('wrong-password-here');
    await page.keyboard.press('Tab');
    await page.keyboard.type('another-long-password');
    await page.keyboard.press('Tab');
    await page.keyboard.type('another-long-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The current password is not right.' }).waitFor();
  });
});
