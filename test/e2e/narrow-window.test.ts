// The Reports and Notifications screens in a 1024 × 700 window (the smallest the app supports),
// in Korean and in English, in Debian's Chromium against a real `pass-batch serve` with the demo
// gym, on SQLite and on MariaDB/MySQL:
//  - Reports: the list of reports keeps each date and time on one line (a week breaks only after
//    its dash) and nothing runs out of its card; the time a report was made goes under its period;
//  - Notifications: the outbox needs no sideways scrolling, even with a failed send whose last
//    error holds a long webhook address, its Resend button is inside the card, and the message
//    keeps a readable width.
// Screens are saved to test-results/screenshots/<backend>-narrow-*.png.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { toDbTime } from '../../main/batch/index.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

/** A date ("2026. 12. 6.", "Dec 6, 2026") or a date and time, as the screens write them. */
const DATE_OR_TIME = /\d{4}\. \d{1,2}\. \d{1,2}\.(?: \d{2}:\d{2})?|[A-Z][a-z]{2} \d{1,2}, \d{4}(?:, \d{2}:\d{2})?/g;

/** A date alone. */
const DATE = /\d{4}\. \d{1,2}\. \d{1,2}\.|[A-Z][a-z]{2} \d{1,2}, \d{4}/g;

/**
 * Every date (or date and time) shown inside `selector` that the browser broke over two lines or
 * more, found through the line boxes of its characters; text that is not shown has none and is
 * left out.
 */
async function brokenDates(page: Page, selector: string, pattern = DATE_OR_TIME): Promise<string[]> {
  return page.evaluate(
    ({ selector, source }) => {
      const broken: string[] = [];
      for (const root of document.querySelectorAll(selector)) {
        // the text of `root` as one string, with where each character lives
        const nodes: { node: Text; start: number }[] = [];
        let text = '';
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          nodes.push({ node, start: text.length });
          text += node.data;
        }
        const at = (offset: number, end: boolean) => {
          const found = [...nodes].reverse().find((n) => (end ? n.start < offset : n.start <= offset))!;
          return { node: found.node, offset: offset - found.start };
        };
        for (const match of text.matchAll(new RegExp(source, 'g'))) {
          const range = document.createRange();
          const from = at(match.index, false);
          const to = at(match.index + match[0].length, true);
          range.setStart(from.node, from.offset);
          range.setEnd(to.node, to.offset);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(match[0]);
        }
      }
      return broken;
    },
    { selector, source: pattern.source },
  );
}

/** How far anything in `selector` (buttons, cells) runs past the right edge of its box, and its sideways scroll. */
async function overflow(page: Page, selector: string): Promise<{ scrollWidth: number; clientWidth: number; outside: string[] }> {
  return page.locator(selector).first().evaluate((box) => {
    const right = box.getBoundingClientRect().right;
    const outside = [...box.querySelectorAll('th, td, button')]
      .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > right + 1)
      .map((el) => (el.textContent ?? '').trim().slice(0, 40));
    return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, outside };
  });
}

describe.each(BACKENDS)('narrow windows on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  const shot = (page: Page, name: string) => screenshot(page, `${backend}-narrow-${name}`, { english: false });
  const open = async (lang: 'ko' | 'en') => {
    const page = await openPage(browser, served.url, lang);
    pages.push(page);
    await page.setViewportSize({ width: 1024, height: 700 });
    await signIn(page, STAFF.manager, STAFF_PASSWORD);
    if ((await page.locator('html').getAttribute('lang')) !== lang) {
      await page.getByTestId(`lang-${lang}`).first().click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    }
    return page;
  };

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('in a 1024 × 700 window, in Korean and in English, the Reports list keeps each date and time on one line, within its card', async () => {
    // one statistics run writes yesterday's daily report and its week's weekly report
    const { id } = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params: {} });
    await expect
      .poll(async () => (await admin.call<{ status: string }>('executions.get', { id })).status, { timeout: 120_000, interval: 250 })
      .toMatch(/COMPLETED|FAILED|STOPPED|ABANDONED/);
    expect((await admin.call<{ status: string }>('executions.get', { id })).status).toBe('COMPLETED');

    for (const lang of ['ko', 'en'] as const) {
      const page = await open(lang);
      await goTo(page, 'reports');
      await page.locator('[data-testid=report-row][data-kind=WEEKLY]').waitFor();
      await page.locator('[data-testid=report-row][data-kind=WEEKLY]').click();
      await page.getByTestId('report-preview').waitFor();
      await shot(page, `reports-1024-${lang}`);
      expect(await brokenDates(page, 'main .list-card')).toEqual([]);
      const list = await overflow(page, 'main .list-card');
      expect(list.outside).toEqual([]);
      expect(list.scrollWidth).toBeLessThanOrEqual(list.clientWidth);
      // each row still says when its report was made
      const shown = await page.getByTestId('report-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText));
      for (const text of shown) expect(text.match(DATE_OR_TIME)!.length, text).toBeGreaterThanOrEqual(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    }
  });

  test('in a 1024 × 700 window, in Korean and in English, the notification outbox needs no sideways scrolling, even with a long webhook address in a last error, and keeps its Resend buttons and a readable message', async () => {
    // failed sends as a webhook that answers 502 leaves them, its address in the error, and sent ones,
    // all of a member of this test's own: a demo member's class or pass may get a real reminder
    // from the every-minute schedule meanwhile (a seventh row, seen once on MariaDB)
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: '알림 보기' });
    const userId = detail.member.userId;
    const webhook = 'https://hooks.example-gym.co.kr/services/T0A1B2C3D4E/B0F9E8D7C6B/aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';
    const db = await openDatabase(served.dbUrl, { poolSize: 1 });
    try {
      const now = Date.now();
      const rows = Array.from({ length: 6 }, (_, i) => {
        const failed = i < 3;
        return {
          event: i % 2 ? 'BEFORE_CLASS' : 'EXPIRY_REMINDER',
          text: `회원님, 이용권(PT 10회 / 60일)이 사흘 뒤에 만료됩니다. 남은 횟수는 4회입니다. 연장은 프런트에 문의하세요. #${i}`,
          sent: failed ? 0 : 1,
          sent_at: failed ? null : toDbTime(new Date(now - i * 60_000)),
          user_id: userId,
          target_key: `pass:narrow-${i}:ENDING`,
          attempts: failed ? 5 : 1,
          last_error: failed ? `Webhook ${webhook} answered 502 Bad Gateway: <html><head><title>502 Bad Gateway</title></head></html>` : null,
          created_at: toDbTime(new Date(now - i * 60_000)),
        };
      });
      await db.kysely.insertInto('notification' as never).values(rows as never).execute();
    } finally {
      await db.close();
    }

    for (const lang of ['ko', 'en'] as const) {
      const page = await open(lang);
      await goTo(page, 'notifications');
      await page.getByTestId('notification-member').fill(userId);
      await page.getByTestId('notification-search').click();
      await expect.poll(() => page.getByTestId('notification-row').count()).toBe(6);
      for (const width of [1024, 1440]) {
        await page.setViewportSize({ width, height: width === 1024 ? 700 : 900 });
        await shot(page, `notifications-${width}-${lang}`);
        const table = await overflow(page, 'main[data-screen="notifications"] .table-wrap');
        expect(table.outside, `${width} ${lang}`).toEqual([]);
        expect(table.scrollWidth, `${width} ${lang}`).toBeLessThanOrEqual(table.clientWidth);
        expect(await page.locator('[data-testid=notification-row][data-status=FAILED]').getByTestId('notification-resend').count()).toBe(3);
        // the message is read in lines of a sentence or so, not a word or two
        const message = page.getByTestId('notification-row').first().locator('td', { hasText: '연장은 프런트에 문의하세요' });
        expect(await message.evaluate((td) => td.getBoundingClientRect().width), `${width} ${lang}`).toBeGreaterThanOrEqual(180);
      }
      expect(await page.locator('[data-testid=notification-row][data-status=FAILED]').first().getByTestId('notification-error').textContent()).toContain(webhook);
    }
  });

  test("in a 1024 × 700 window an execution's detail needs no sideways scrolling when a parameter holds a long folder name", async () => {
    const reportDir = 'reports/main_branch/front_desk/daily_and_weekly_reports/kept_by_the_manager';
    const { id } = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params: { from: '2026-11-01T00:00:00+09:00', to: '2026-11-02T00:00:00+09:00', reportDir } });
    await expect.poll(async () => (await admin.call<{ status: string }>('executions.get', { id })).status, { timeout: 120_000, interval: 250 }).toBe('COMPLETED');
    const page = await openPage(browser, served.url, 'en');
    pages.push(page);
    await page.setViewportSize({ width: 1024, height: 700 });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"]');
    await page.locator(`[data-testid=exec-row][data-id="${id}"]`).click();
    const detail = page.getByTestId('exec-detail');
    await detail.getByText(reportDir.slice(-20)).waitFor();
    await shot(page, 'execution-detail-1024-en');
    const { scrollWidth, clientWidth } = await detail.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  });

  test('in a 1024 × 700 window, in Korean and in English, the Schedules list keeps each next and last run time on one line, within its card', async () => {
    for (const lang of ['ko', 'en'] as const) {
      const page = await openPage(browser, served.url, lang);
      pages.push(page);
      await page.setViewportSize({ width: 1024, height: 700 });
      await signIn(page, 'admin', ADMIN_PASSWORD);
      if ((await page.locator('html').getAttribute('lang')) !== lang) {
        await page.getByTestId(`lang-${lang}`).first().click();
        await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      }
      await goTo(page, 'schedules');
      await page.getByTestId('schedule-row').first().waitFor();
      await shot(page, `schedules-1024-${lang}`);
      expect(await brokenDates(page, 'main[data-screen="schedules"] table')).toEqual([]);
      const card = await overflow(page, 'main[data-screen="schedules"] .card');
      expect(card.outside).toEqual([]);
      expect(card.scrollWidth).toBeLessThanOrEqual(card.clientWidth);
    }
  });

  test('in a 1024 × 700 window, in Korean and in English, the Staff accounts list never breaks a date inside, only between a date and its time', async () => {
    for (const lang of ['ko', 'en'] as const) {
      const page = await openPage(browser, served.url, lang);
      pages.push(page);
      await page.setViewportSize({ width: 1024, height: 700 });
      await signIn(page, 'admin', ADMIN_PASSWORD);
      if ((await page.locator('html').getAttribute('lang')) !== lang) {
        await page.getByTestId(`lang-${lang}`).first().click();
        await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      }
      await goTo(page, 'staff');
      await page.locator(`[data-testid=staff-row][data-user="${STAFF.manager}"]`).waitFor();
      await shot(page, `staff-1024-${lang}`);
      expect(await brokenDates(page, 'main[data-screen="staff"] table', DATE)).toEqual([]);
      const card = await overflow(page, 'main[data-screen="staff"] section.card');
      expect(card.outside).toEqual([]);
      expect(card.scrollWidth).toBeLessThanOrEqual(card.clientWidth);
    }
  });
});
