// Issue 16, the numbers staff meet in their first week, in Debian's Chromium against a real
// `pass-batch serve` with the demo gym, on SQLite and on MariaDB/MySQL:
//  - after one makeStatisticsJob (yesterday), the weekly report holds every day of its week as
//    the bookings say; the manager's statistics for last week name its days "not aggregated yet"
//    (shaded, not a plain 0), the manager builds them with one click, and the screen then shows
//    the bookings the database holds;
//  - a range the service refuses (too long) is said without "try again", and the chart shown
//    before stays only marked as the earlier result;
//  - a bulk grant registered with its count left empty is listed with the package's count (what
//    its passes get), not "unlimited", before and after it is granted.
// Screens are saved to test-results/screenshots/<backend>-16-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { toDbTime } from '../../main/batch/database/dialect.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { fillDateTimeField } from './support/dateTime.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('first week numbers on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  const shot = (page: Page, name: string) => screenshot(page, `${backend}-16-${name}`);
  const open = async (username: string, password: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, password);
    return page;
  };

  /** bookings that ended in [from, to), as the statistics count them, straight from the database */
  async function bookingsBetween(from: DateTime, to: DateTime): Promise<number> {
    const db = await openDatabase(served.dbUrl, { poolSize: 1 });
    try {
      const row = await db.kysely
        .selectFrom('booking')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ended_at', '>=', toDbTime(from.toJSDate()))
        .where('ended_at', '<', toDbTime(to.toJSDate()))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    } finally {
      await db.close();
    }
  }

  async function waitForExecution(id: number): Promise<string> {
    let status = '';
    await expect
      .poll(async () => (status = (await admin.call<{ status: string }>('executions.get', { id })).status), { timeout: 120_000, interval: 250 })
      .toMatch(/COMPLETED|FAILED|STOPPED|ABANDONED/);
    return status;
  }

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('after one statistics run the weekly report holds its whole week, and a manager sees last week as not aggregated, builds it and sees the bookings', async () => {
    // One makeStatisticsJob with its defaults: yesterday, and the weekly report of yesterday's
    // week. (On a Monday yesterday's week is last week: then today's window, so that last week
    // stays never aggregated for the screen below.)
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const monday = today.weekday === 1;
    const params = monday ? { from: today.toISO(), to: today.plus({ days: 1 }).toISO() } : {};
    const { id } = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params });
    expect(await waitForExecution(id)).toBe('COMPLETED');
    const week = (monday ? today : today.minus({ days: 1 })).startOf('week');
    const lines = readFileSync(join(served.workDir, 'reports', `weekly-${week.toFormat('yyyy-MM-dd')}.csv`), 'utf8').slice(1).split('\r\n');
    for (let day = week; day < today; day = day.plus({ days: 1 })) {
      const line = lines.find((l) => l.startsWith(day.toFormat('yyyy-MM-dd')))!;
      expect(Number(line.split(',')[2]), line).toBe(await bookingsBetween(day, day.plus({ days: 1 })));
    }

    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="statistics"]');
    await expect.poll(() => page.getByTestId('preset-lastWeek').getAttribute('aria-pressed')).toBe('true');
    const lastMonday = today.startOf('week').minus({ weeks: 1 });
    const lastWeek = Array.from({ length: 7 }, (_, i) => lastMonday.plus({ days: i }).toFormat('yyyy-MM-dd'));
    // Never aggregated: each day named and shaded, not drawn as 0, and "no statistics" is not said.
    const notice = page.getByTestId('stats-not-aggregated');
    await notice.waitFor();
    expect(await page.getByTestId('stats-missing-day').evaluateAll((days) => days.map((d) => (d as HTMLElement).dataset.day))).toEqual(lastWeek);
    expect(await page.getByTestId('stats-chart').getAttribute('data-not-aggregated')).toBe('7');
    expect(await page.getByTestId('stats-chart').locator('.recharts-reference-area').count()).toBe(7);
    expect(await page.locator('main').textContent()).not.toContain('이 기간에는 통계가 없습니다');
    // nothing of the week aggregated: its totals are unknown, not 0
    expect(await page.getByTestId('stats-totals').locator('.kpi-value').first().textContent()).toBe('–');
    await shot(page, 'statistics-not-aggregated');

    await page.getByTestId('stats-build').click();
    await notice.waitFor({ state: 'detached', timeout: 120_000 });
    await page.getByText('통계를 만들었습니다.').waitFor();
    const booked = await bookingsBetween(lastMonday, lastMonday.plus({ weeks: 1 }));
    expect(booked).toBeGreaterThan(0);
    await expect.poll(async () => Number((await page.getByTestId('stats-totals').locator('.kpi-value').first().textContent())!.replace(/,/g, ''))).toBe(booked);
    expect(await page.getByTestId('stats-chart').getAttribute('data-not-aggregated')).toBe('0');
    await page.getByTestId('stats-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await shot(page, 'statistics-built');

    // The build is the manager's, in the activity log.
    const audit = await admin.call<{ items: { actor: string; action: string }[] }>('audit.list', { action: 'statistics.build' });
    expect(audit.items.map((a) => a.actor)).toEqual([STAFF.manager]);
  });

  test('a range the service refuses shows why without "try again", and the chart shown before is marked as the earlier result, not as its answer', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="statistics"]');
    await page.getByTestId('stats-totals').waitFor();
    expect(await page.getByTestId('stale-result').count()).toBe(0);
    // By hour, a series covers 62 days at most: 100 days is refused.
    await page.getByTestId('stats-from').fill(DateTime.now().setZone(ZONE).minus({ days: 100 }).toFormat('yyyy-MM-dd'));
    await page.getByTestId('unit-hour').click();
    const alert = page.locator('main [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('62일');
    expect(await alert.locator('button').count()).toBe(0);
    expect(await alert.getAttribute('data-code')).toBe('VALIDATION');
    // The week shown before is still there, but under a line saying it is the earlier result.
    const stale = page.getByTestId('stale-result');
    await stale.waitFor();
    expect(await stale.textContent()).toContain('아래는 이전 결과입니다');
    expect(await stale.getByTestId('stats-totals').count()).toBe(1);
    await shot(page, 'statistics-refused-range');
    // A range it takes replaces the error and the earlier result.
    await page.getByTestId('unit-day').click();
    await alert.waitFor({ state: 'detached' });
    expect(await page.getByTestId('stale-result').count()).toBe(0);
  });

  test("in a 1024 × 700 window, in English, a scheduled bulk grant's Grant now and Cancel grant buttons are in sight, with no sideways scrolling of the list, and the new grant's date and 24-hour time fields fit their column", async () => {
    const page = await open(STAFF.frontDesk, STAFF_PASSWORD);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForSelector('main[data-screen="members"]');
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await goTo(page, 'bulkGrants');
    const row = page.locator('[data-testid=grant-row][data-status="READY"]').first();
    await row.getByTestId('grant-cancel').waitFor();
    const fit = await page.evaluate(() => {
      const wrap = document.querySelector('main[data-screen="bulkGrants"] .table-wrap')!;
      const right = wrap.getBoundingClientRect().right;
      const buttons = [...wrap.querySelectorAll('[data-testid=grant-row][data-status="READY"] button')].map((b) => b.getBoundingClientRect().right);
      return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, outside: buttons.filter((r) => r > right + 1).length, buttons: buttons.length };
    });
    // the new grant's time is a date field and a 24-hour time field, both whole inside its column
    const field = await page.locator('label.field:has([data-testid=grant-start])').boundingBox();
    const day = await page.getByTestId('grant-start').boundingBox();
    const time = await page.getByTestId('grant-start-time').boundingBox();
    await shot(page, 'bulk-grants-1024-en');
    expect(time!.x + time!.width).toBeLessThanOrEqual(field!.x + field!.width + 0.5);
    // the day typed whole in sight (2026-12-08), not cut
    expect(await page.getByTestId('grant-start').evaluate((input: HTMLInputElement) => input.scrollWidth <= input.clientWidth && input.value.length === 10)).toBe(true);
    expect(day!.width).toBeGreaterThan(100);
    expect(fit.buttons).toBeGreaterThan(0);
    expect(fit.outside).toBe(0);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.clientWidth);
  });

  test('a bulk grant registered with its count left empty is listed with the package count its passes get, not as unlimited', async () => {
    const desk = await Api.login(served.url, STAFF.frontDesk, STAFF_PASSWORD);
    const packages = await desk.call<{ packageSeq: number; packageName: string; count: number | null }[]>('packages.list');
    const twoUses = packages.find((p) => p.count === 2)!;

    const page = await open(STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    await goTo(page, 'bulkGrants');
    await page.getByTestId('grant-row').first().waitFor();
    const start = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 9, minute: 0 });
    await page.getByTestId('grant-package').selectOption(String(twoUses.packageSeq));
    await page.getByTestId('grant-group').selectOption('HANBADA');
    await page.getByTestId('grant-count').fill('');
    await fillDateTimeField(page, 'grant-start', start.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('일괄 지급을 등록했습니다.').waitFor();

    const grants = await desk.call<{ bulkPassSeq: number; packageSeq: number; count: number | null; status: string }[]>('bulkGrants.list', { status: 'READY' });
    const grant = grants.filter((g) => g.packageSeq === twoUses.packageSeq && g.count === null).sort((a, b) => b.bulkPassSeq - a.bulkPassSeq)[0]!;
    const uses = page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"] [data-testid=grant-uses]`);
    await uses.waitFor();
    expect(await uses.textContent()).toBe('2 (패키지 기본)');

    await page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"]`).getByTestId('grant-now').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"][data-status="COMPLETED"]`).waitFor({ timeout: 60_000 });
    expect(await uses.textContent()).toBe('2 (패키지 기본)');
    await shot(page, 'bulk-grant-uses');

    // What the list says is what the passes got.
    const db = await openDatabase(served.dbUrl, { poolSize: 1 });
    try {
      const passes = await db.kysely.selectFrom('pass').select('remaining_count').where('bulk_pass_seq', '=', grant.bulkPassSeq).execute();
      expect(passes.length).toBeGreaterThan(0);
      expect([...new Set(passes.map((p) => Number(p.remaining_count)))]).toEqual([2]);
    } finally {
      await db.close();
    }
  });
});
