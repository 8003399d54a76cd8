import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, describeInBrowser, desktopPage, launchBrowser, signInThroughForm } from './support/browser.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { projectRoot } from '../src/project-root.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';


// Customers have pages of their own: found by search, opened from the list or from an audience's samples, with
// their orders and each order's lines, and back and forward work.
describeInBrowser('customer pages in a real browser', () => {
  let crm: TestCrm;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    crm = await startTestCrm();
    await seedDemoData(crm.db.sql, { seed: 11, customers: 200 });
    const person = await crm.person('analyst', 'reader@example.com');
    browser = await launchBrowser();
    page = await desktopPage(browser);
    await page.goto(crm.url);
    await signInThroughForm(page, person);
    await page.getByRole('link', { name: 'Customers' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await crm?.stop();
  });

  it('finds a customer, opens their page with every recent order and its lines, and goes back to the list', async () => {
    const marketer = await crm.person('marketer');
    for (const [name, rules] of [['Repeat buyers', { field: 'order_count', op: '>=', value: 2 }], ['Never ordered', { field: 'order_count', op: '=', value: 0 }]] as const) {
      expect((await call(`${crm.url}/api/segments`, { token: marketer.token, body: { name, rules } })).status).toBe(201);
    }
    const [someone] = await crm.db.sql.rows(`select c.id, c.name, c.total_spend from customers c where c.order_count >= 2 order by c.total_spend desc limit 1`);
    const surname = String(someone.name).split(' ').at(-1)!;
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Name, email, phone or customer id').fill(surname);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: someone.name }).first().click();
    await page.getByRole('heading', { name: someone.name, level: 2 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/customers/${someone.id}`);

    const [latest] = await crm.db.sql.rows(`select o.external_id, (select count(*)::int from order_lines l where l.order_id = o.id) as lines from orders o where o.customer_id = $1 order by o.placed_at desc limit 1`, [someone.id]);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: latest.external_id }) });
    expect(await row.getByRole('listitem').count()).toBe(latest.lines);
    // The segments they are in now, and a timeline with each of their latest orders.
    expect(await page.getByTestId('customer-segments').getByRole('link').allTextContents()).toEqual(['Repeat buyers']);
    const orders = Math.min(10, (await crm.db.sql.rows(`select count(*)::int as n from orders where customer_id = $1`, [someone.id]))[0].n);
    expect(await page.getByTestId('customer-timeline').getByRole('listitem').filter({ hasText: /Order / }).count()).toBe(orders);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(projectRoot(), 'docs', 'screenshots', 'customer-page.png'), fullPage: true });

    await page.goBack();
    await page.getByRole('heading', { name: 'Customers', level: 2 }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { name: someone.name, level: 2 }).waitFor();
  });

  it('lists every customer a page at a time, sorted on the server and filtered by a rule, with the list in the address', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    const status = page.getByTestId('list-status');
    const total = (await crm.db.sql.rows(`select count(*)::int as n from customers`))[0].n;
    await page.waitForFunction((want) => document.querySelector('[data-testid=list-status]')?.textContent === want, `1–50 of ${total} customers`);
    expect(await accessibilityProblems(page)).toEqual([]);

    // Fewest orders first; among those who ordered, then by id, as the server sorts.
    await page.getByLabel('Sort by', { exact: true }).selectOption('order_count');
    await page.getByLabel('Order', { exact: true }).selectOption('asc');
    await page.getByRole('button', { name: 'Filter by a rule' }).click();
    await page.getByLabel('Value of condition 1').fill('2000');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const matching = await crm.db.sql.rows(`select id, name, external_id from customers where total_spend > 2000 order by (order_count = 0), order_count asc nulls last, id`);
    expect(matching.length).toBeGreaterThan(50);
    await page.waitForFunction((want) => document.querySelector('[data-testid=list-status]')?.textContent === want, `1–50 of ${matching.length} customers`);
    const names = async () => page.locator('.customer-list tbody th').allTextContents();
    expect(await names()).toEqual(matching.slice(0, 50).map((c) => c.name ?? c.external_id));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForFunction((want) => document.querySelector('[data-testid=list-status]')?.textContent === want, `51–${Math.min(100, matching.length)} of ${matching.length} customers`);
    expect(await names()).toEqual(matching.slice(50, 100).map((c) => c.name ?? c.external_id));
    // The address holds the list: opened again, it shows the same page.
    const address = page.url();
    expect(new URL(address).searchParams.get('page')).toBe('2');
    await page.goto(address);
    await page.waitForFunction((want) => document.querySelector('[data-testid=list-status]')?.textContent === want, `51–${Math.min(100, matching.length)} of ${matching.length} customers`);
    expect(await status.isVisible()).toBe(true);
    await page.screenshot({ path: join(projectRoot(), 'docs', 'screenshots', 'customer-list.png'), fullPage: true });
  });

  it('opens a customer from an audience\'s samples in the chat, and by its address', async () => {
    await page.getByRole('link', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('customers who spent over 1,000');
    await page.keyboard.press('Enter');
    await page.getByTestId('audience-count').waitFor();
    const sample = page.locator('table a[href^="/customers/"]').first();
    const href = (await sample.getAttribute('href'))!;
    await sample.click();
    await page.getByRole('heading', { name: 'Latest orders' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(href);

    // An "or" rule's funnel: each condition's own figure, and the running total of either.
    await page.getByRole('link', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('customers who spent over 50,000 or ordered at least 10 times');
    await page.keyboard.press('Enter');
    const steps = page.getByTestId('funnel-step');
    await steps.nth(1).waitFor();
    const n = async (sql: string) => (await crm.db.sql.rows(sql))[0].n as number;
    const fmt = (x: number) => x.toLocaleString('en-IN');
    const big = await n(`select count(*)::int as n from customers where total_spend > 50000`);
    const often = await n(`select count(*)::int as n from customers where order_count >= 10`);
    const either = await n(`select count(*)::int as n from customers where total_spend > 50000 or order_count >= 10`);
    expect(await steps.nth(0).textContent()).toBe(`${fmt(big)} on its own`);
    expect(await steps.nth(1).textContent()).toBe(`${fmt(often)} on its own; ${fmt(either)} with this or those above`);

    // A ranking has no card of its own: its customers are links, not raw JSON.
    await page.getByRole('link', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('top 5 customers by spend');
    await page.keyboard.press('Enter');
    const ranked = page.locator('section.tool-summary a[href^="/customers/"]');
    await ranked.nth(4).waitFor();
    const [best] = await crm.db.sql.rows(`select id from customers order by total_spend desc, id limit 1`);
    expect(await ranked.first().getAttribute('href')).toBe(`/customers/${best.id}`);
    expect(await page.locator('main pre').count()).toBe(0);

    await page.goto(`${crm.url}/customers/999999`);
    await page.getByRole('alert').filter({ hasText: 'There is no customer 999999.' }).waitFor();
  });
});
