import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's chromium; .ci/run installs it. Elsewhere a browser test is skipped with a note rather than failing a
// newcomer; on CI a missing browser is an error.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveBrowser = existsSync(executablePath);
if (!haveBrowser && process.env.CI) throw new Error(`No browser at ${executablePath}: install chromium (apt-get install -y chromium).`);

/** `describe` when there is a browser, `describe.skip` otherwise. */
export const describeInBrowser = haveBrowser ? describe : describe.skip;

/** Headless chromium as every browser test runs it. */
export const launchBrowser = () =>
  chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });

/** The serious and critical accessibility problems axe finds on the page as it is now (the page needs a context of its own). */
export async function accessibilityProblems(page: Page) {
  const { violations } = await new AxeBuilder({ page } as never).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A desktop-sized page in a context of its own (the accessibility audit needs one); downloads are kept. */
export const desktopPage = async (browser: Browser) => (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();

/** Signs a person in through the sign-in form, as they would type it. */
export async function signInThroughForm(page: Page, person: { email: string; password: string }) {
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
