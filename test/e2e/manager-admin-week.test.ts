// A manager's and an admin's first week, in Debian's Chromium against a real `pass-batch serve`
// with the demo gym, on SQLite and on MariaDB/MySQL, in Korean and in English:
//  - a bulk grant registered for a set time is granted by the every-minute schedule, and the Bulk
//    grant screen, left open, shows it granted and says how many passes it made (before, the row
//    stayed "지급 예정" with "지금 지급" offered until someone pressed Refresh);
//  - registering a grant leaves the focus on the new grant in the list (before, the form's button
//    turned off under it and the focus fell to the page);
//  - the Activity log names a bulk grant's package and group, and its details in words (before,
//    "packageSeq: 1", "userGroupId: ALL", "startedAt: …");
//  - with no report yet, the Reports screen says where reports come from and takes the manager to
//    the Statistics screen, where they are made (before, "보고서가 없습니다." and nothing else).
// Screenshots: test-results/screenshots/<backend>-week-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { blocking, scan } from './support/axe.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { fillDateTimeField } from './support/dateTime.ts';
import { Api, ADMIN_PASSWORD, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

/** A name as code spells it (packageSeq, userGroupId) at the start of a detail line. */
const CODE_NAME = /^[a-z]+[A-Z][A-Za-z]*:/;

describe.each(BACKENDS)('a manager and an admin in their first week on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  const open = async (username: string, password: string, lang: 'ko' | 'en' = 'ko') => {
    const page = await openPage(browser, served.url, lang);
    pages.push(page);
    await signIn(page, username, password);
    if (lang === 'en') {
      await page.getByTestId('lang-en').first().click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    return page;
  };

  /** Fills the new-grant form (the seed's first package, every member) and registers it after its confirmation. */
  async function registerGrant(page: Page, startedAt: DateTime | null): Promise<number> {
    await goTo(page, 'bulkGrants');
    await page.getByTestId('grant-package').selectOption('1');
    await page.getByTestId('grant-group').selectOption('ALL');
    if (startedAt) await fillDateTimeField(page, 'grant-start', startedAt.toFormat("yyyy-MM-dd'T'HH:mm"));
    const before = new Set((await admin.call<Array<{ bulkPassSeq: number }>>('bulkGrants.list')).map((g) => g.bulkPassSeq));
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('confirm-ok').click();
    let seq = 0;
    await expect
      .poll(async () => (seq = (await admin.call<Array<{ bulkPassSeq: number }>>('bulkGrants.list')).find((g) => !before.has(g.bulkPassSeq))?.bulkPassSeq ?? 0))
      .toBeGreaterThan(0);
    return seq;
  }

  // first in the file: the demo gym has no report until a statistics run makes one
  test('with no report yet, the Reports screen says where reports come from and takes a manager to the Statistics screen, in Korean and in English', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await goTo(page, 'reports');
    const empty = page.locator('.state-empty', { has: page.getByTestId('no-reports') });
    await empty.waitFor();
    expect(await empty.textContent()).toContain('통계 화면에서 “통계 만들기”를 누르면');
    expect(blocking(await scan(page, 'reports-empty'))).toEqual([]);
    await screenshot(page, `${backend}-week-reports-empty`);

    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await empty.textContent()).toContain('press “Build statistics” on the Statistics screen');
    await empty.getByTestId('reports-to-statistics').click();
    await page.waitForSelector('main[data-screen="statistics"]');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Statistics');
  });

  test('a bulk grant registered for this minute is granted by the schedule, and the open screen shows it granted and says how many passes it made', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    // this minute: the schedule's next fire (within a minute) finds it due
    const seq = await registerGrant(page, DateTime.now().setZone(ZONE).startOf('minute'));
    const row = page.locator(`[data-testid=grant-row][data-grant="${seq}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('READY');
    await screenshot(page, `${backend}-week-grant-scheduled`, { english: false });

    // Nobody touches the page: the row turns granted, with the passes the grant made, and it is said.
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 100_000, interval: 500 }).toBe('COMPLETED');
    const grant = (await admin.call<Array<{ bulkPassSeq: number; status: string; passesCreated: number }>>('bulkGrants.list')).find((g) => g.bulkPassSeq === seq)!;
    expect(grant.status).toBe('COMPLETED');
    expect(grant.passesCreated).toBeGreaterThan(1000);
    const made = grant.passesCreated.toLocaleString('ko-KR');
    await expect.poll(() => row.locator('td').nth(6).textContent()).toBe(made);
    await expect.poll(() => row.getByTestId('grant-now').count()).toBe(0);
    const toast = page.locator('.toast', { hasText: `일괄 지급 #${seq}` });
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.textContent()).toContain(`이용권 ${made}장을 만들었습니다`);
    await screenshot(page, `${backend}-week-grant-granted`, { english: false });
  });

  test('registering a bulk grant in English leaves the focus on the new grant in the list', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD, 'en');
    // the form's own time: tomorrow at 09:00
    const seq = await registerGrant(page, null);
    await page.locator(`[data-testid=grant-row][data-grant="${seq}"]`).waitFor();
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.grant ?? document.activeElement?.tagName))
      .toBe(String(seq));
    expect(await page.locator('.toast', { hasText: 'Bulk grant registered.' }).count()).toBe(1);
  });

  test('the Activity log names a bulk grant by its package and group, with its details in words, in Korean and in English', async () => {
    const manager = await Api.login(served.url, STAFF.manager, STAFF_PASSWORD);
    const startedAt = DateTime.now().setZone(ZONE).plus({ days: 2 }).startOf('day').set({ hour: 7 });
    const grant = await manager.call<{ bulkPassSeq: number; packageName: string; userGroupName: string }>('bulkGrants.create', {
      packageSeq: 1,
      userGroupId: 'ALL',
      count: 3,
      startedAt: startedAt.toISO(),
    });
    const page = await open('admin', ADMIN_PASSWORD);
    await goTo(page, 'audit');
    // the grant's row, by its target as each language names it
    const lines = async (target: string) => {
      const row = page.locator('[data-testid=audit-row]', { has: page.getByTestId('audit-target').getByText(target, { exact: true }) }).first();
      await row.waitFor();
      return row.locator('.audit-detail div').allTextContents();
    };
    const ko = await lines(`일괄 지급 #${grant.bulkPassSeq}`);
    expect(ko).toContain(`패키지: ${grant.packageName}`);
    expect(ko).toContain(`회원 그룹: ${grant.userGroupName}`);
    expect(ko).toContain('이용권당 횟수: 3');
    expect(ko).toContain(`시작 시각: ${startedAt.setLocale('ko').toFormat('yyyy. M. d.')} 07:00`);
    expect(ko.filter((line) => CODE_NAME.test(line))).toEqual([]);
    await screenshot(page, `${backend}-week-audit-grant`);

    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const en = await lines(`Bulk grant #${grant.bulkPassSeq}`);
    expect(en).toContain(`Package: ${grant.packageName}`);
    expect(en).toContain(`Member group: ${grant.userGroupName}`);
    expect(en).toContain('Uses per pass: 3');
    expect(en.filter((line) => CODE_NAME.test(line))).toEqual([]);
  });
});
