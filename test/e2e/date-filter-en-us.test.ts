// The Executions screen's date filters in Debian's Chromium under an en-US locale, on the Korean
// screen, against a real `pass-batch serve` on SQLite and on MariaDB/MySQL. An <input type="date">
// showed its day as the browser's locale does (12/07/2026) whatever the screen's language; the
// filters are now days typed and read as 2026-12-07 (DateInput), with the calendar a button away.
// A day that is not one is said under the field and asks the service nothing.
// Screenshots: test-results/screenshots/<backend>-date-filter-en-us.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

async function finished(api: Api, id: number): Promise<string> {
  for (let tries = 0; tries < 360; tries++) {
    const { status } = await api.call<{ status: string }>('executions.get', { id });
    if (status === 'COMPLETED' || status === 'FAILED') return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`execution ${id} did not end`);
}

describe.each(BACKENDS)('the executions date filter under an en-US locale on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('the Korean screen’s date filters read and take 2026-12-07, not the browser’s 12/07/2026, and a day that is not one is said under the field', async () => {
    const run = await admin.call<{ id: number }>('executions.launch', { job: 'expirePassesJob', params: {} });
    expect(await finished(admin, run.id)).toBe('COMPLETED');
    const page = await openPage(browser, served.url, 'en');
    pages.push(page);
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await signIn(page, STAFF.manager, STAFF_PASSWORD);
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    await goTo(page, 'executions');
    const row = page.locator(`[data-testid=exec-row][data-id="${run.id}"]`);
    await row.waitFor();

    const today = DateTime.now().setZone(ZONE).toFormat('yyyy-MM-dd');
    const from = page.getByTestId('filter-from');
    const to = page.getByTestId('filter-to');
    // a text field in the console's one form of a day, not the browser's date field
    expect(await from.getAttribute('type')).toBe('text');
    expect(await to.getAttribute('type')).toBe('text');
    expect(await from.getAttribute('placeholder')).toBe('YYYY-MM-DD');
    await from.fill(today);
    await to.fill(today);
    expect(await from.inputValue()).toBe(today);
    expect(await to.inputValue()).toBe(today);
    await row.waitFor();
    expect(await page.locator('.filters').innerText()).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(await page.getByTestId('filter-from-pick').getAttribute('aria-label')).toBe('달력에서 날짜 고르기');
    await screenshot(page, `${backend}-date-filter-en-us`, { english: false });

    // a day that is not one: said when the field is left, and the list asks for nothing
    await from.fill('2026-13-01');
    await from.press('Tab');
    await page.getByText('날짜가 올바르지 않습니다.').first().waitFor();
    expect(await row.count()).toBe(0);
    expect(await from.inputValue()).toBe('2026-13-01');

    await page.getByTestId('filter-dates-clear').click();
    await row.waitFor();
    expect([await from.inputValue(), await to.inputValue()]).toEqual(['', '']);
  });
});
