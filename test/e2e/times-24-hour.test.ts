// The bulk grant's and the class form's times in Debian's Chromium against a real `pass-batch
// serve` with the demo gym, on SQLite and on MariaDB/MySQL. Under an en-US locale an <input
// type="datetime-local"> or <input type="time"> showed '06:30 PM', while a Korean gym reads 18:30:
// the grant time is a date field and a 24-hour time field, and the class's start and end are
// 24-hour times, so 18:30 is typed, read back, sent and listed as 18:30. A class from 23:30 to
// 00:30 ends on the next day (the form says so) and is listed 23:30–00:30; a time that is not one
// is said under its field, and an end equal to the start is refused by the service, creating
// nothing either way.
// Screenshots: test-results/screenshots/<backend>-times-24-hour-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { fillDateTimeField } from './support/dateTime.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('times typed in 24-hour form on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  async function open(lang: 'ko' | 'en'): Promise<Page> {
    const page = await openPage(browser, served.url, lang);
    pages.push(page);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    if (lang === 'en') {
      await page.getByTestId('lang-en').first().click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    return page;
  }

  async function openClassForm(page: Page, title: string, day: DateTime): Promise<ReturnType<Page['getByTestId']>> {
    await page.getByTestId('nav-classes').click();
    await page.waitForSelector('main[data-screen="classes"]');
    await page.getByTestId('class-new').click();
    const form = page.getByTestId('class-form');
    await form.getByTestId('class-form-title').fill(title);
    await form.getByTestId('class-form-day').fill(day.toFormat('yyyy-MM-dd'));
    await form.locator('fieldset[data-testid=class-form-packages] input[type=checkbox]').first().check();
    return form;
  }

  const classesTitled = async (title: string, from: DateTime) =>
    (await admin.call<Array<{ title: string; startedAt: string; endedAt: string }>>('classes.list', { from: from.toFormat('yyyy-MM-dd'), to: from.plus({ days: 3 }).toFormat('yyyy-MM-dd') })).filter((c) => c.title === title);

  test('in an en-US browser a bulk grant time typed as 18:30 reads 18:30, never 6:30 PM, and the service gets and lists 18:30', async () => {
    const page = await open('en');
    await goTo(page, 'bulkGrants');
    await page.getByTestId('grant-row').first().waitFor();
    const form = page.getByTestId('grant-form');
    expect(await form.locator('input[type=datetime-local]').count()).toBe(0);
    const packages = await admin.call<Array<{ packageSeq: number; count: number | null }>>('packages.list');
    const pkg = packages.find((p) => p.count !== null)!;
    await page.getByTestId('grant-package').selectOption(String(pkg.packageSeq));
    await page.getByTestId('grant-group').selectOption('HANBADA');
    await page.getByTestId('grant-count').fill('7');
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 });
    await fillDateTimeField(page, 'grant-start', `${day.toFormat('yyyy-MM-dd')}T18:30`);
    expect(await page.getByTestId('grant-start-time').inputValue()).toBe('18:30');
    expect(await page.getByTestId('grant-start-time').getAttribute('aria-label')).toBe('Grant time: Time (24-hour, e.g. 14:30)');
    const preview = (await page.getByTestId('grant-preview').textContent())!;
    expect(preview).toContain('18:30');
    expect(preview).not.toMatch(/\b(AM|PM)\b/);
    await screenshot(page, `${backend}-times-24-hour-grant`, { english: false });
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('Bulk grant registered.').waitFor();

    const grants = await admin.call<Array<{ bulkPassSeq: number; count: number | null; startedAt: string }>>('bulkGrants.list', { status: 'READY' });
    const grant = grants.filter((g) => g.count === 7).sort((a, b) => b.bulkPassSeq - a.bulkPassSeq)[0]!;
    expect(DateTime.fromISO(grant.startedAt).setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(`${day.toFormat('yyyy-MM-dd')}T18:30`);
    const row = page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"]`);
    await row.waitFor();
    const listed = (await row.locator('td').nth(3).textContent())!;
    expect(listed).toContain('18:30');
    expect(listed).not.toMatch(/\b(AM|PM)\b/);
  });

  test('in an en-US browser a class from 23:30 to 00:30 is typed in 24-hour times, said to end the next day, and listed 23:30–00:30 ending the day after', async () => {
    const page = await open('en');
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
    const form = await openClassForm(page, 'Midnight yoga', tomorrow);
    expect(await form.locator('input[type=time], input[type=datetime-local]').count()).toBe(0);
    await form.getByTestId('class-form-start').fill('23:30');
    await form.getByTestId('class-form-end').fill('00:30');
    expect(await form.getByTestId('class-form-start').inputValue()).toBe('23:30');
    const nextDay = tomorrow.plus({ days: 1 });
    expect(await form.getByTestId('class-form-next-day').textContent()).toBe(`Ends the next day, ${nextDay.setLocale('en-US').toFormat('MMM d, yyyy')}, at 00:30.`);
    await screenshot(page, `${backend}-times-24-hour-class-form`, { english: false });
    await form.getByTestId('class-form-submit').click();
    await page.getByText('1 class scheduled.').waitFor();

    const [made] = await classesTitled('Midnight yoga', tomorrow);
    expect(DateTime.fromISO(made!.startedAt).setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(`${tomorrow.toFormat('yyyy-MM-dd')}T23:30`);
    expect(DateTime.fromISO(made!.endedAt).setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(`${nextDay.toFormat('yyyy-MM-dd')}T00:30`);
    if (tomorrow.weekday === 1) await page.getByTestId('week-next').click();
    const card = page.locator(`[data-day="${tomorrow.toFormat('yyyy-MM-dd')}"] [data-testid=class-card]`).filter({ hasText: 'Midnight yoga' });
    expect(await card.locator('.mono').textContent()).toBe('23:30–00:30');
    await screenshot(page, `${backend}-times-24-hour-class-listed`, { english: false });
  });

  test('a class end of 25:00 is said under the end field and creates nothing; an end equal to the start is refused by the service under the end field and creates nothing', async () => {
    const page = await open('ko');
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 }).startOf('day');
    const form = await openClassForm(page, '잘못된 시각 요가', day);
    await form.getByTestId('class-form-start').fill('19:00');
    await form.getByTestId('class-form-end').fill('25:00');
    await form.getByTestId('class-form-submit').click();
    const endField = form.locator('label.field:has([data-testid=class-form-end])');
    await expect.poll(() => endField.locator('.field-error').textContent()).toBe('시각을 24시간으로 넣으세요 (예: 14:30)');
    expect(await form.getByTestId('class-form-end').getAttribute('aria-invalid')).toBe('true');

    await form.getByTestId('class-form-end').fill('19:00');
    await form.getByTestId('class-form-submit').click();
    await expect.poll(() => endField.locator('.field-error').textContent()).toBe('종료일: 끝나는 시각은 시작 시각보다 뒤여야 합니다');
    await screenshot(page, `${backend}-times-24-hour-class-refused`);
    expect(await form.count()).toBe(1);
    expect(await classesTitled('잘못된 시각 요가', day)).toEqual([]);
  });
});
