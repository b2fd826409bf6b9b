// What a manager and an admin are told after they act, and where the keyboard is left, in
// Debian's Chromium against a real `pass-batch serve` with the demo gym, on SQLite and on
// MariaDB/MySQL:
//  - "통계 만들기" pressed from the keyboard leaves the focus on the totals it made (before, the
//    button went away under it and the focus fell to the page);
//  - a report made that way is titled by its kind and period in words, in Korean and in English,
//    its file name under it (before, the file name was its title);
//  - "지금 백업" leaves the focus on the button once the backup is done (before, the button turned
//    off under it and the focus fell to the page); SQLite only, as a MySQL console has no backup;
//  - the Staff screen says what a role change, a disabling and an enabling each did to which
//    account (before, "직원 계정을 바꿨습니다." for all three).
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

/** The focused element's test id, or its tag name (BODY: the focus fell to the page). */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe.each(BACKENDS)('what a manager and an admin are told, and where the focus is left, on %s', (backend) => {
  let served: Served;
  let browser: Browser;
  const pages: Page[] = [];
  servedConsole(backend, pages, (parts) => ({ served, browser } = parts));

  const open = async (username: string, password: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, password);
    return page;
  };

  const toEnglish = async (page: Page) => {
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  };

  // first in the file: on the fresh demo gym last week is not aggregated and no report exists
  test('building statistics from the keyboard leaves the focus on the totals it made, and the report it made is titled by its kind and period in words with its file name under it', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await goTo(page, 'statistics');
    const notice = page.getByTestId('stats-not-aggregated');
    await notice.waitFor();
    await page.getByTestId('stats-build').focus();
    await page.keyboard.press('Enter');
    await notice.waitFor({ state: 'detached', timeout: 120_000 });
    await page.locator('.toast', { hasText: '통계를 만들었습니다.' }).waitFor();
    await expect.poll(() => focused(page)).toBe('stats-totals');

    await goTo(page, 'reports');
    const row = page.getByTestId('report-row').first();
    await row.click();
    const title = page.getByTestId('report-title');
    await page.getByTestId('report-preview').waitFor();
    const fileName = (await page.getByTestId('report-file-name').locator('.mono').textContent())!;
    expect(fileName).toMatch(/^(daily|weekly)-.*\.csv$/);
    const period = (await row.getByTestId('report-period').locator('.nowrap:not(.report-created-inline)').allTextContents()).join(' ');
    const kind = fileName.startsWith('daily') ? '일간' : '주간';
    expect(await title.textContent()).toBe(`${kind} 보고서 · ${period}`);
    expect(await title.textContent()).not.toContain('.csv');
    expect(await page.getByTestId('report-file-name').textContent()).toBe(`파일 이름: ${fileName}`);
    await screenshot(page, `${backend}-words-report-title`, { english: false });

    await toEnglish(page);
    const periodEn = (await row.getByTestId('report-period').locator('.nowrap:not(.report-created-inline)').allTextContents()).join(' ');
    expect(await title.textContent()).toBe(`${fileName.startsWith('daily') ? 'Daily' : 'Weekly'} report · ${periodEn}`);
    expect(await page.getByTestId('report-file-name').textContent()).toBe(`File name: ${fileName}`);
  });

  test.skipIf(backend === 'mysql')('backing up from the keyboard leaves the focus on “지금 백업” once the backup is done', async () => {
    const page = await open('admin', ADMIN_PASSWORD);
    await goTo(page, 'settings');
    const button = page.getByTestId('backup-now');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.locator('.toast', { hasText: '백업을 만들었습니다.' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('backup-row').first().waitFor();
    await expect.poll(() => button.isEnabled()).toBe(true);
    await expect.poll(() => focused(page)).toBe('backup-now');
  });

  test('the Staff screen says what a role change, a disabling and an enabling did to which account, in Korean and in English', async () => {
    const page = await open('admin', ADMIN_PASSWORD);
    await goTo(page, 'staff');
    const row = page.locator(`[data-testid=staff-row][data-user="${STAFF.frontDesk}"]`);
    const toast = (text: string) => page.locator('.toast', { hasText: text }).waitFor();

    await row.locator('select').selectOption('MANAGER');
    await page.getByTestId('confirm-ok').click();
    await toast(`${STAFF.frontDesk}의 권한을 매니저로 바꿨습니다.`);
    await expect.poll(() => row.getAttribute('data-role')).toBe('MANAGER');

    await row.getByTestId('staff-toggle').click();
    await page.getByTestId('confirm-ok').click();
    await toast(`${STAFF.frontDesk} 계정을 사용 중지했습니다.`);
    await expect.poll(() => row.getByTestId('staff-toggle').textContent()).toBe('다시 사용');

    await row.getByTestId('staff-toggle').click();
    await toast(`${STAFF.frontDesk} 계정을 다시 사용하게 했습니다.`);
    await screenshot(page, `${backend}-words-staff`, { english: false });

    // the Korean messages closed first: a message still shown would turn English with the page and
    // read as one of the messages the English steps wait for
    for (let shown = await page.locator('.toast-close').count(); shown > 0; shown = await page.locator('.toast-close').count()) await page.locator('.toast-close').first().click({ timeout: 2_000 }).catch(() => undefined); // one may go by itself meanwhile
    await toEnglish(page);
    await row.locator('select').selectOption('FRONT_DESK');
    await page.getByTestId('confirm-ok').click();
    await toast(`Changed the role of ${STAFF.frontDesk} to Front desk.`);
    await row.getByTestId('staff-toggle').click();
    await page.getByTestId('confirm-ok').click();
    await toast(`Disabled the account ${STAFF.frontDesk}.`);
    await row.getByTestId('staff-toggle').click();
    await toast(`Enabled the account ${STAFF.frontDesk} again.`);
    expect(await page.locator('.toast', { hasText: 'Staff account changed.' }).count()).toBe(0);
  });
});
