// The days people type in forms, in Debian's Chromium under an en-US locale, on the Korean screen,
// against a real `pass-batch serve` on SQLite and on MariaDB/MySQL. An <input type="date"> showed
// its day as the browser's locale does (12/07/2026) whatever the screen's language; the statistics
// range, the notifications filter, the run form's day and a class's day are now typed and read as
// 2026-12-07 (DateInput), and what is typed is what the service is asked for: the range shown, the
// notifications listed, the run's parameter, the class's day. A day that is not one asks nothing.
// Screenshot: test-results/screenshots/<backend>-date-fields-en-us.png.
import { DateTime } from 'luxon';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A text field for a day in the console's one form (2026-12-07), not the browser's date field. */
async function expectDayField(field: Locator): Promise<void> {
  expect(await field.getAttribute('type')).toBe('text');
  expect(await field.getAttribute('placeholder')).toBe('YYYY-MM-DD');
}

describe.each(BACKENDS)('the days typed in forms under an en-US locale on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('on the Korean screen the statistics range, the notifications filter, the run form’s day and a class’s day read and take 2026-12-07, not the browser’s 12/07/2026, and the day typed is the one used', async () => {
    const page = await openPage(browser, served.url, 'en');
    pages.push(page);
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    // what the screen asks the service, operation by operation
    const asked: Array<{ operation: string; input: unknown }> = [];
    page.on('request', (request: Request) => {
      const m = /\/api\/rpc\/([\w.]+)$/.exec(request.url());
      if (m && request.method() === 'POST') asked.push({ operation: m[1]!, input: request.postDataJSON() });
    });
    const inputsOf = (operation: string) => asked.filter((a) => a.operation === operation).map((a) => a.input);

    // statistics: the range shown, typed as days
    await goTo(page, 'statistics');
    await page.getByTestId('stats-totals').waitFor();
    const from = page.getByTestId('stats-from');
    const to = page.getByTestId('stats-to');
    await expectDayField(from);
    await expectDayField(to);
    expect(await from.inputValue()).toMatch(DAY);
    await from.fill('2026-02-30');
    await page.getByTestId('stats-show').click();
    await page.getByText('날짜가 올바르지 않습니다.').first().waitFor();
    expect(inputsOf('statistics.series').some((i) => JSON.stringify(i).includes('2026-02-30'))).toBe(false);
    await from.fill('2026-11-02');
    await to.fill('2026-11-08');
    await page.getByTestId('stats-show').click();
    await expect.poll(() => inputsOf('statistics.series').at(-1)).toEqual({ from: '2026-11-02T00:00', to: '2026-11-09T00:00', unit: 'day' });
    await page.getByTestId('stats-totals').waitFor();
    expect([await from.inputValue(), await to.inputValue()]).toEqual(['2026-11-02', '2026-11-08']);

    // notifications: the filter's days, searched with Enter in the field
    await goTo(page, 'notifications');
    const since = page.getByTestId('notification-from');
    const until = page.getByTestId('notification-to');
    await expectDayField(since);
    await expectDayField(until);
    await since.fill('2026-12-01');
    await until.fill('2026-12-07');
    await until.press('Enter');
    await expect.poll(() => inputsOf('notifications.list').at(-1)).toEqual({ pageSize: 50, from: '2026-12-01', to: '2026-12-08' });
    await screenshot(page, `${backend}-date-fields-en-us`, { english: false });

    // the run form: a date-time parameter's day
    await goTo(page, 'executions');
    await page.getByTestId('launch-open').click();
    await page.getByTestId('launch-job').selectOption('makeStatisticsJob');
    const dialog = page.getByTestId('launch-dialog');
    const runFrom = dialog.locator('input[data-param="from"]');
    await expectDayField(runFrom);
    await runFrom.fill('2026-11-20');
    await dialog.locator('input[data-param-time="from"]').fill('06:00');
    await dialog.locator('input[data-param="to"]').fill('2026-11-21');
    await dialog.locator('input[data-param-time="to"]').fill('00:00');
    await page.getByTestId('launch-submit').click();
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(async () => (await admin.call<{ items: Array<{ parameters: Record<string, unknown> }> }>('executions.list', { job: 'makeStatisticsJob', page: 1, pageSize: 1 })).items[0]?.parameters.from, { timeout: 30_000 })
      .toBe('2026-11-19T21:00:00.000Z');

    // a class: made on the day typed
    const day = DateTime.now().setZone(ZONE).plus({ days: 9 }).startOf('day');
    await goTo(page, 'classes');
    await page.getByTestId('class-new').click();
    const form = page.getByTestId('class-form');
    const classDay = form.getByTestId('class-form-day');
    await expectDayField(classDay);
    expect(await classDay.inputValue()).toMatch(DAY);
    await form.getByTestId('class-form-title').fill('날짜 입력 요가');
    await classDay.fill(day.toFormat('yyyy-MM-dd'));
    await form.locator('fieldset[data-testid=class-form-packages] input[type=checkbox]').first().check();
    await form.getByTestId('class-form-submit').click();
    await form.waitFor({ state: 'detached' });
    const made = (await admin.call<Array<{ title: string; startedAt: string }>>('classes.list', { from: day.toFormat('yyyy-MM-dd'), to: day.plus({ days: 1 }).toFormat('yyyy-MM-dd') })).filter((c) => c.title === '날짜 입력 요가');
    expect(made.map((c) => DateTime.fromISO(c.startedAt, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm"))).toEqual([`${day.toFormat('yyyy-MM-dd')}T19:00`]);
  });
});
