import type { Browser } from 'playwright-core';
import { describeInBrowser, launchBrowser } from './support/browser.js';
import { addCustomers } from './support/campaign-helpers.js';
import { SmtpSink } from './support/smtp-sink.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';


// The customer's side: an email arrives over real SMTP, its unsubscribe link is opened in chromium, the customer
// confirms, changes their mind, and confirms again; the marketer's next plan leaves them out and says why.
describeInBrowser('unsubscribing from a received email in a real browser', () => {
  const sink = new SmtpSink();
  let crm: TestCrm;
  let browser: Browser;
  beforeAll(async () => {
    await sink.start();
    crm = await startTestCrm({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', SEED_ON_EMPTY: 'false' });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await crm?.stop();
    await sink.stop();
  });

  it('opens the link, confirms, can subscribe again, and the next plan excludes the customer as unsubscribed', async () => {
    const marketer = await crm.person('marketer');
    await addCustomers(crm, [{ name: 'Anita Desai', email: 'anita@example.com', city: 'Linkpur' }, { name: 'Staying On', email: 'stay@example.com', city: 'Linkpur' }]);
    const rules = { field: 'city', op: 'equals', value: 'Linkpur' };
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Monsoon sale', rules, channel: 'email', subject: 'Monsoon sale', template: 'Hi {{first_name}}, 20% off.' } });
    await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    for (let i = 0; i < 100 && !sink.to('anita@example.com').length; i++) await new Promise((r) => setTimeout(r, 100));
    const link = /href="([^"]*\/unsubscribe\/[^"]+)"/.exec(sink.to('anita@example.com')[0].parsed.html as string)![1];

    const page = await browser.newPage();
    await page.goto(link);
    // Opening the link alone unsubscribes nobody (mail scanners open links too).
    await page.getByRole('heading', { name: 'Unsubscribe from our emails?' }).waitFor();
    expect(await page.textContent('main')).toContain('a••••@example.com');
    expect((await crm.db.sql.rows(`select count(*) as n from customer_consents`))[0].n).toBe(0);

    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await page.getByRole('button', { name: 'Subscribe again' }).click();
    await page.getByRole('heading', { name: 'You are subscribed again' }).waitFor();
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    // The page loads nothing from elsewhere and may not be framed.
    const response = await page.goto(link);
    expect(response!.headers()['x-frame-options']).toBe('DENY');
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();

    const next = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Next', rules, channel: 'email', subject: 'Hi', template: 'Hello' } });
    expect(next.body.audience).toMatchObject({ matching: 2, eligible: 1, excluded: { unsubscribed: 1 } });
    expect(next.body.samples.map((s: { address: string }) => s.address)).toEqual(['stay@example.com']);
  });
});
