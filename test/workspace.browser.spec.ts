import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems as audit, describeInBrowser, desktopPage, launchBrowser, signInThroughForm } from './support/browser.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { projectRoot } from '../src/project-root.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const shot = (page: Page, name: string) => page.screenshot({ path: join(projectRoot(), 'docs', 'screenshots', `${name}.png`), fullPage: true });
const fmt = (n: number) => n.toLocaleString('en-IN');


// The pages beside the chat, each used for a real task in a real browser: the dashboard's figures and charts, a
// segment built and changed with its count following the form, a campaign's page, a file imported with its mapping
// changed and its rejected lines downloaded. Every page passes an accessibility audit.
describeInBrowser('the workspace pages in a real browser', () => {
  let crm: TestCrm;
  let browser: Browser;
  let page: Page;
  let marketer: Awaited<ReturnType<TestCrm['person']>>;
  beforeAll(async () => {
    crm = await startTestCrm();
    await seedDemoData(crm.db.sql, { seed: 12, customers: 300 });
    marketer = await crm.person('marketer', 'pages@example.com');
    browser = await launchBrowser();
    // A page of its own context: the accessibility audit needs one.
    page = await desktopPage(browser);
    await page.goto(`${crm.url}/dashboard`);
    await signInThroughForm(page, marketer);
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await crm?.stop();
  });

  it('shows the dashboard: headline figures, charts with named axes and values, partial months marked, and a table of each chart', async () => {
    const [figures] = await crm.db.sql.rows(`select count(*)::int as customers from customers`);
    expect(await page.getByTestId('customers-total').textContent()).toBe(fmt(figures.customers));
    const revenue = page.getByRole('figure').filter({ has: page.getByText('Revenue by month', { exact: true }) });
    await revenue.locator('.recharts-label').first().waitFor();
    expect(await revenue.locator('.recharts-label').allTextContents()).toEqual(expect.arrayContaining(['Month', 'Revenue (INR)']));
    // Every month's revenue is written on its bar and in the table, as the orders say it.
    const months = await crm.db.sql.rows(`select to_char(date_trunc('month', placed_at at time zone 'Asia/Kolkata'), 'YYYY-MM') as month, sum(total) filter (where status <> 'cancelled') as revenue
      from orders where placed_at >= (date_trunc('month', now() at time zone 'Asia/Kolkata') - interval '11 months') at time zone 'Asia/Kolkata' group by 1 order by 1`);
    // Twelve months, the first of them whole (it begins on the 1st where the business is).
    expect(months).toHaveLength(12);
    await revenue.getByText('Revenue by month as a table').click();
    const rows = revenue.getByRole('row');
    expect(await rows.count()).toBe(months.length + 1);
    const last = months.at(-1)!;
    const lastRow = await rows.last().textContent();
    expect(lastRow).toContain(`₹${Math.round(Number(last.revenue)).toLocaleString('en-IN')}`);
    // The month under way is marked as partial, in the note and in its row.
    expect(lastRow).toMatch(/\(to \d{1,2} \w{3} \d{4}\)/);
    expect(await revenue.locator('.chart-note').textContent()).toMatch(/^Paler: .+ \(to /);
    expect(await revenue.locator('.chart-value').count()).toBe(months.length);
    expect(await audit(page)).toEqual([]);
    await shot(page, 'dashboard');
  });

  it('builds a segment whose count follows the form, saves it, changes it into version 2 and says who joins', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('button', { name: 'New segment' }).click();
    const n = async (sql: string) => (await crm.db.sql.rows(sql))[0].n as number;
    const over = (x: number) => n(`select count(*)::int as n from customers where total_spend > ${x}`);
    const count = page.getByTestId('audience-count');
    await page.waitForFunction((want) => document.querySelector('[data-testid=audience-count]')?.textContent === want, fmt(await over(10000)));
    // Typing a new value counts again, without pressing anything.
    await page.getByLabel('Value of condition 1').fill('20000');
    await page.waitForFunction((want) => document.querySelector('[data-testid=audience-count]')?.textContent === want, fmt(await over(20000)));
    expect(await audit(page)).toEqual([]);
    await page.getByLabel('Name').fill('Big spenders');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: /Big spenders/, level: 2 }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    expect(await n(`select version as n from segments where id = ${id}`)).toBe(1);

    await page.getByLabel('Value of condition 1').fill('5000');
    await page.waitForFunction((want) => document.querySelector('[data-testid=audience-count]')?.textContent === want, fmt(await over(5000)));
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByRole('heading', { name: /version 2/, level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Who joins and who leaves' }).click();
    const diff = page.getByTestId('segment-diff');
    await diff.waitFor();
    const joined = (await over(5000)) - (await over(20000));
    expect(await diff.textContent()).toContain(`${fmt(joined)} join, 0 leave`);
    expect(await count.textContent()).toBe(fmt(await over(5000)));
    expect(await audit(page)).toEqual([]);
    await shot(page, 'segment-page');

    // The assistant beside the page knows which customers "them" are: the segment on screen.
    await page.getByRole('button', { name: 'Ask about this page' }).click();
    const panel = page.getByRole('complementary', { name: 'Assistant' });
    await panel.getByLabel('Message').fill('send them an email with 10% off');
    await panel.getByLabel('Message').press('Enter');
    await panel.getByRole('region', { name: /^Campaign plan/ }).waitFor();
    expect(await panel.getByText(/^Asked from segment "Big spenders"/).count()).toBe(1);
    const [planned] = await crm.db.sql.rows(`select rules from campaigns order by id desc limit 1`);
    expect(planned.rules).toEqual({ field: 'total_spend', op: 'gt', value: 5000 });
    await shot(page, 'segment-with-assistant');
    await page.getByRole('button', { name: 'Close the assistant' }).click();

    // The list counts each segment as it is now, and back goes to it.
    await page.goBack();
    await page.goBack();
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.waitForFunction((want) => document.querySelector('[data-testid=segment-count]')?.textContent === want, fmt(await over(5000)));
  });

  it('opens a campaign at its own address with its plan, delivery and report', async () => {
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Pages win-back', rules: { field: 'total_spend', op: 'gt', value: 20000 }, channel: 'email', template: 'Hi {{first_name | "there"}}, 10% off for you.' } });
    expect(plan.status).toBe(200);
    const launched = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    expect(launched.status).toBe(202);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'Pages win-back' }).click();
    expect(new URL(page.url()).pathname).toBe(`/campaigns/${plan.body.campaignId}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=campaign-status]')?.textContent === 'completed', undefined, { timeout: 30_000 });
    const sent = (await crm.db.sql.rows(`select count(*)::int as n from communication_logs where campaign_id = $1 and status in ('sent', 'delivered')`, [plan.body.campaignId]))[0].n;
    await page.reload();
    await page.getByTestId('report-verdict').waitFor();
    expect(await page.getByTestId('campaign-sent').textContent()).toBe(fmt(sent));
    expect(await page.locator('.message-text').first().textContent()).toBe('Hi {{first_name | "there"}}, 10% off for you.');
    // The message as a customer received it, with their name in it.
    const [first] = await crm.db.sql.rows(`select c.name from communication_logs m join customers c on c.id = m.customer_id where m.campaign_id = $1 order by c.id limit 1`, [plan.body.campaignId]);
    expect(await page.getByTestId('sent-samples').locator('li').first().textContent()).toContain(`Hi ${String(first.name).split(' ')[0]}, 10% off for you.`);
    expect(await audit(page)).toEqual([]);
    await shot(page, 'campaign-page');
  });

  it('opens one automation at its own address, with its runs and an accessible page', async () => {
    const created = await call(`${crm.url}/api/tools/plan_automation`, { token: marketer.token, body: {
      name: 'Pages weekly', campaign: { channel: 'email', rules: { field: 'total_spend', op: '>', value: 20000 }, subject: 'For you', template: 'Come back for 10% off.' },
      schedule: { every: 'week', on: 'monday', at: '10:00' }, maxPerRun: 500, maxPerDay: 500,
    } });
    expect([created.status, created.body.message]).toEqual([200, undefined]);
    const id = created.body.automationId;
    await page.goto(`${crm.url}/automations/${id}`);
    await page.getByRole('article', { name: 'Automation Pages weekly' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    expect(await page.getByTestId('automation-status').textContent()).toBe('waiting for approval');
    expect(await audit(page)).toEqual([]);
  });

  it('imports a file with the keyboard alone: the mapping is shown and changed first, and the rejected lines come back as CSV', async () => {
    const csv = ['Customer,Invoice,Day,Pieces,Each,Note', 'K-1,INV-1,2026-11-02,2,150.00,first', 'K-1,INV-1,2026-11-02,1,99.50,first', 'K-2,INV-2,not a date,1,10,bad', 'K-3,INV-3,2026-11-03,1,=2+2,bad'].join('\n');
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByTestId('drop-zone').waitFor();
    // Keyboard: the file chooser opens from the label with Enter after tabbing to it.
    const chooser = page.waitForEvent('filechooser');
    await page.getByLabel('Choose a file').focus();
    await page.keyboard.press('Enter');
    await (await chooser).setFiles({ name: 'november.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const field = (column: string) => page.getByLabel(`Field of column ${column}`);
    await field('Customer').waitFor();
    expect(await field('Customer').inputValue()).toBe('customerId');
    expect(await field('Invoice').inputValue()).toBe('orderId');
    // "Day", "Pieces" and "Each" are not names the CRM knows: read as it is, the file would be one of customers.
    expect(await page.getByLabel('Each line is').inputValue()).toBe('customers');
    for (const [column, to] of [['Day', 'date'], ['Pieces', 'quantity'], ['Each', 'unitPrice']]) {
      await field(column).focus();
      await field(column).selectOption(to);
      await page.waitForFunction(([c, t]) => (document.querySelector(`select[aria-label="Field of column ${c}"]`) as HTMLSelectElement | null)?.value === t, [column, to]);
    }
    expect(await page.getByLabel('Each line is').inputValue()).toBe('order-lines');
    await page.getByRole('button', { name: 'Import' }).focus();
    await page.keyboard.press('Enter');
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.textContent()).toMatch(/^Imported: 4 lines, 2 new, 0 updated, 0 unchanged, 2 rejected/);
    const [order] = await crm.db.sql.rows(`select total from orders where external_id = 'INV-1'`);
    expect(order.total).toBe('399.500');
    expect(await audit(page)).toEqual([]);
    await shot(page, 'imports');

    const download = page.waitForEvent('download');
    await page.getByTestId('rejections-csv').click();
    const text = await (await (await download).createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString());
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('line,column,reason');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^4,Day,/);
    expect(lines[2]).toBe('5,Each,"""=2+2"" is not an amount"');
  });

  it('lays the pages out for a phone without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies(await page.context().cookies());
    const phone = await context.newPage();
    for (const path of ['/dashboard', '/segments', '/imports', '/campaigns']) {
      await phone.goto(`${crm.url}${path}`);
      await phone.getByRole('heading', { level: 2 }).first().waitFor();
      await phone.waitForTimeout(300);
      const wider = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      // Named when it fails: the outermost elements reaching past the screen's edge.
      const culprits = wider ? await phone.evaluate(() => { const t = [...document.querySelectorAll('body *')].find((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1); const out = []; for (let e: Element | null | undefined = t; e; e = e.parentElement) out.push(`${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().width)} ${getComputedStyle(e).overflowX}`); return out; }) : [];
      expect([path, wider, culprits]).toEqual([path, 0, []]);
    }
    await shot(phone, 'dashboard-phone');
    await context.close();
  });
});
