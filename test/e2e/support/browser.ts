// Debian's Chromium through playwright-core (no browser download), one page per staff member.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './server.ts';

export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env.PASS_E2E_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export async function openPage(browser: Browser, url: string, lang: 'ko' | 'en' = 'ko'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang === 'ko' ? 'ko-KR' : 'en-US', timezoneId: 'Asia/Seoul' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(url);
  return page;
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('me-username').waitFor();
}

/**
 * Saves the page as <name>.png and, unless `english: false`, as <name>.en.png in English too
 * (switched with the language buttons, then back): machines without a Korean font draw Korean as
 * boxes, and the English one still shows the screen.
 */
export async function screenshot(page: Page, name: string, options: { english?: boolean } = {}): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const paths = [join(SCREENSHOTS, `${name}.png`)];
  await page.screenshot({ path: paths[0] });
  const en = page.getByTestId('lang-en');
  if (options.english !== false && (await en.count()) > 0 && (await page.locator('html').getAttribute('lang')) === 'ko') {
    await en.first().dispatchEvent('click');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    paths.push(join(SCREENSHOTS, `${name}.en.png`));
    await page.screenshot({ path: paths[1] });
    await page.getByTestId('lang-ko').first().dispatchEvent('click');
    await page.waitForFunction(() => document.documentElement.lang === 'ko');
  }
  return paths;
}

export async function goTo(page: Page, screen: string): Promise<void> {
  await page.getByTestId(`nav-${screen}`).click();
  await page.waitForSelector(`main[data-screen="${screen}"]`);
}
