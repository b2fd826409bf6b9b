// The run form in an en-US Chromium, on SQLite and on MariaDB/MySQL: a date-time parameter is a
// date field and a 24-hour time field, so 14:30 reads 14:30 (an <input type="datetime-local">
// showed the browser's '02:30 PM' and '12:00 AM' while the console says 24-hour times everywhere),
// the confirmation says the time as the screen does, and the launched execution holds it; at
// 1024 × 700 the two fields fit their column.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { fillDateTime } from './support/dateTime.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('the run form in 24-hour time on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('in an en-US browser a statistics window is typed as 2026-11-16 14:30 and read back as 14:30, never AM or PM, and the run gets it', async () => {
    const page = await openPage(browser, served.url, 'en');
    pages.push(page);
    await page.setViewportSize({ width: 1024, height: 700 });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForSelector('main[data-screen="executions"]');
    await page.getByTestId('launch-open').click();
    await page.getByTestId('launch-job').selectOption('makeStatisticsJob');
    const dialog = page.getByTestId('launch-dialog');
    expect(await dialog.locator('input[type=datetime-local]').count()).toBe(0);
    await fillDateTime(page, 'from', '2026-11-16T14:30');
    await fillDateTime(page, 'to', '2026-11-17T00:00');
    expect(await page.locator('input[data-param-time=from]').inputValue()).toBe('14:30');
    expect(await page.locator('input[data-param-time=to]').inputValue()).toBe('00:00');
    expect(await page.locator('input[data-param-time=from]').getAttribute('aria-label')).toBe('Time (24-hour, e.g. 14:30)');
    // the two fields stay inside their column
    for (const name of ['from', 'to']) {
      const field = await page.locator(`label.field:has([data-param="${name}"])`).boundingBox();
      const time = await page.locator(`input[data-param-time="${name}"]`).boundingBox();
      const day = await page.locator(`input[type=text][data-param="${name}"]`).boundingBox();
      expect(time!.x + time!.width).toBeLessThanOrEqual(field!.x + field!.width + 0.5);
      // the day typed whole in sight (2026-11-16), not cut
      expect(await page.locator(`input[type=text][data-param="${name}"]`).evaluate((input: HTMLInputElement) => input.scrollWidth <= input.clientWidth && input.value.length === 10)).toBe(true);
      expect(day!.width).toBeGreaterThan(100);
    }
    expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, `${backend}-launch-24-hour`, { english: false });

    await page.getByTestId('launch-submit').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    const text = (await confirm.textContent())!;
    expect(text).toContain('14:30');
    expect(text).not.toMatch(/\b(AM|PM)\b/);
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(async () => (await admin.call<{ items: Array<{ parameters: Record<string, unknown> }> }>('executions.list', { job: 'makeStatisticsJob', page: 1, pageSize: 1 })).items[0]?.parameters.from, { timeout: 30_000 })
      .toBe('2026-11-16T05:30:00.000Z');
  });
});
