import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, describeInBrowser, desktopPage, launchBrowser, signInThroughForm } from './support/browser.js';
import { projectRoot } from '../src/project-root.js';
import { addCustomers } from './support/campaign-helpers.js';
import { startTestCrm, type TestCrm } from './support/test-crm.js';

const shot = (page: Page, name: string) => page.screenshot({ path: join(projectRoot(), 'docs', 'screenshots', `${name}.png`), fullPage: false });

describeInBrowser('the web chat in a real browser', () => {
  let crm: TestCrm;
  let browser: Browser;
  let page: Page;
  let marketer: { email: string; password: string };
  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MIN_DELAY_MS: '200', VENDOR_MAX_DELAY_MS: '1500' });
    marketer = await crm.person('marketer', 'meera@example.com');
    const cities = ['Mumbai', 'Pune', 'Delhi'];
    await addCustomers(crm, Array.from({ length: 60 }, (_, i) => ({ name: `Customer ${i + 1}`, email: `c${i}@example.com`, spend: 200 + i * 97, city: cities[i % 3] })));
    browser = await launchBrowser();
    page = await desktopPage(browser);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await crm?.stop();
  });
  const count = async (sql: string) => (await crm.db.sql.rows(sql))[0].n as number;

  it('signs in, finds an audience, corrects its rule, plans and approves a campaign, and watches its statistics arrive', async () => {
    // A signed-out visitor's first page load asks whether it is signed in without a failed request in the console.
    const refused: string[] = [];
    page.on('response', (res) => { if (res.status() >= 400) refused.push(`${res.status()} ${res.url()}`); });
    await page.goto(crm.url);
    await page.getByLabel('Password').waitFor();
    expect(refused).toEqual([]);
    await signInThroughForm(page, marketer);
    await page.getByRole('heading', { name: 'What would you like to know?' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot(page, 'first-visit');

    await page.getByLabel('Message').fill('How many customers in Mumbai spent over 2,000?');
    await page.keyboard.press('Enter');
    const audience = page.getByTestId('audience-count');
    await audience.waitFor();
    expect(await audience.textContent()).toBe(String(await count(`select count(*) as n from customers where city = 'Mumbai' and total_spend > 2000`)));
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot(page, 'audience-preview');

    // The marketer corrects the amount in the form; the card shows the new audience without retyping the request.
    await page.getByRole('button', { name: 'Edit the rule' }).click();
    await page.getByLabel('Value of condition 2').fill('4000');
    await page.getByRole('button', { name: 'Preview this rule' }).click();
    const corrected = String(await count(`select count(*) as n from customers where city = 'Mumbai' and total_spend > 4000`));
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=audience-count]')].at(-1)?.textContent === n && document.querySelectorAll('[data-testid=audience-count]').length === 2, corrected);

    await page.getByLabel('Message').fill('Send them an email saying "Hi {{first_name | "there"}}, here is 10% off this week"');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const approve = page.getByRole('button', { name: 'Approve and send' });
    await approve.waitFor();
    const eligible = await count(`select count(*) as n from customers where city = 'Mumbai' and total_spend > 4000`);
    expect(await page.getByTestId('plan-eligible').textContent()).toBe(String(eligible));
    // Nothing leaves the machine in this run, and the plan says so; the email is shown as it would arrive.
    expect(await page.getByTestId('plan-delivery').textContent()).toMatch(/^Simulated: the built-in simulator: nothing leaves this machine/);
    expect(await page.getByTestId('plan-subject').textContent()).toBeTruthy();
    expect(await page.frameLocator('iframe[title="The email as it will arrive"]').locator('body').textContent()).toContain('here is 10% off this week');
    expect(await page.getByRole('cell', { name: /Hi Customer, here is 10% off this week/ }).count()).toBeGreaterThan(0);
    await shot(page, 'campaign-approval');
    expect(await count(`select count(*) as n from communication_logs`)).toBe(0);

    await approve.click();
    await page.waitForFunction(() => document.querySelector('[data-testid=campaign-status]')?.textContent === 'completed', undefined, { timeout: 30_000 });
    const sent = Number(await page.getByTestId('campaign-sent').textContent());
    const failed = Number(await page.getByTestId('campaign-failed').textContent());
    expect(sent + failed).toBe(eligible);
    expect(await count(`select count(*) as n from communication_logs where status = 'sent'`)).toBe(sent);
    await page.waitForTimeout(400); // the bar's last movement
    await shot(page, 'campaign-statistics');

    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('rowheader', { name: /Win-back|Offer|email/ }).first().waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot(page, 'campaign-history');

    // Two recipients order after the message: the report shows their revenue, the funnel and the verdict.
    await crm.db.sql.query(
      `insert into orders (external_id, customer_id, placed_at, status, total)
       select 'W' || customer_id, customer_id, sent_at + interval '1 second', 'completed', 1000 from communication_logs where status = 'sent' order by id limit 2`,
    );
    await page.getByRole('button', { name: 'Report' }).first().click();
    const verdict = page.getByTestId('report-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(/no control group/);
    expect(await page.getByTestId('report-revenue').textContent()).toMatch(/2,000/);
    expect(await page.getByRole('figure', { name: 'From delivered to ordered' }).getByText(`${sent}`, { exact: true }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot(page, 'campaign-report');

    // A recurring campaign written in the Automations page's editor: a mistake is answered in a sentence, the fixed
    // definition is checked, started on the person's click, listed as running, and pausing it there stops it.
    await page.getByRole('link', { name: 'Automations' }).click();
    await page.getByRole('button', { name: 'New automation' }).click();
    const editor = page.getByLabel('Definition (a campaign and a schedule, or a journey)');
    const example = await editor.inputValue();
    await editor.fill(example.replace('"monday"', '"someday"'));
    await page.getByRole('button', { name: 'Check it' }).click();
    await page.getByRole('alert').filter({ hasText: 'schedule' }).waitFor();
    await editor.fill(example);
    await page.getByRole('button', { name: 'Check it' }).click();
    expect(await page.getByTestId('automation-plan').textContent()).toMatch(/Runs every Monday at 10:00/);
    expect(await count(`select count(*) as n from automations where status = 'active'`)).toBe(0);
    await page.getByRole('button', { name: 'Approve and start' }).click();
    const status = page.getByRole('article', { name: 'Automation Monday win-back' }).getByTestId('automation-status');
    await status.waitFor();
    expect(await status.textContent()).toBe('running');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=automation-status]')?.textContent === 'paused');
    expect((await crm.db.sql.rows(`select status from automations where name = 'Monday win-back'`))[0].status).toBe('paused');
    expect(await accessibilityProblems(page)).toEqual([]);

    // A phone-sized screen: the conversation list folds behind a button, and the chat stays usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'New chat' }).click();
    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.getByRole('complementary', { name: 'Your conversations' }).getByRole('button').first().click();
    await page.getByTestId('campaign-status').first().waitFor();
    await shot(page, 'phone');
  }, 90_000);
});
