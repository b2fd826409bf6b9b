// The front desk's screens in Korean, in Debian's Chromium against a real `pass-batch serve` with
// the demo gym, on SQLite and on MariaDB/MySQL: what the exploratory front-desk day
// (front-desk-day.test.ts) found outside the class dialog's bookings. The desk asks the service for
// nothing its role may not read (a bulk grant's run no longer makes it ask for the executions
// list); a member just registered is selected in the list; a refused phone's error goes once it is
// corrected; the recent bookings name their class; at 1024 × 768 phone numbers keep one line and
// the member's tables every column; the class dialog's 회원 예약 box has no empty top.
// Screenshots: test-results/screenshots/<backend>-desk-screens-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();
const ZONE = 'Asia/Seoul';

describe.each(BACKENDS)("the front desk's screens, on %s", (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, () => pages, (parts) => ({ served, admin, browser } = parts));

  /** the desk signed in, with every service operation its page asks for and every refusal it gets recorded */
  async function deskPage(): Promise<{ page: Page; asked: string[]; refused: string[] }> {
    const page = await openPage(browser, served.url);
    pages.push(page);
    const asked: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => {
      const op = /\/api\/rpc\/([\w.]+)/.exec(r.url())?.[1];
      if (op) asked.push(op);
    });
    page.on('response', (r) => {
      if (r.status() === 401 || r.status() === 403) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    return { page, asked, refused };
  }

  test('a bulk grant the desk runs now makes no request the front desk is refused: the executions list is not asked for', async () => {
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
    const grant = await admin.call<{ bulkPassSeq: number }>('bulkGrants.create', { packageSeq: 1, userGroupId: 'HANBADA', startedAt: tomorrow.toFormat("yyyy-MM-dd'T'HH:mm") });
    const { page, asked, refused } = await deskPage();
    await goTo(page, 'bulkGrants');
    const row = page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"]`);
    await row.getByTestId('grant-now').click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    // the run's start and end came down the live stream, and the list was read again after its end
    await row.and(page.locator('[data-status=COMPLETED]')).waitFor();
    expect(asked.filter((op) => op.startsWith('executions.') || op.startsWith('jobs.'))).toEqual([]);
    expect(refused).toEqual([]);
  });

  test('a member just registered is in the list beside their detail, selected, with or without a search on screen', async () => {
    const { page } = await deskPage();
    const register = async (name: string): Promise<string> => {
      await page.getByTestId('member-new').click();
      await page.getByTestId('member-form-name').fill(name);
      await page.getByTestId('member-form-submit').click();
      const detail = page.locator(`[data-testid=member-detail]`).filter({ has: page.getByRole('heading', { name }) });
      await detail.waitFor();
      return (await detail.getAttribute('data-user'))!;
    };
    const selected = page.locator('[data-testid=member-result].selected');

    // no search yet: the list shows the new member alone, as a search for their id would
    const first = await register('새회원하나');
    expect(await selected.getAttribute('data-user')).toBe(first);
    expect(await page.locator('[data-testid=member-result]').count()).toBe(1);
    expect(await page.getByTestId('member-query').inputValue()).toBe(first);
    expect(await page.getByText('회원을 검색하세요.').count()).toBe(0);
    await screenshot(page, `${backend}-desk-screens-01-registered-in-list`);

    // a search on screen: the new member at its top, the others still there
    await page.getByTestId('member-query').fill('010');
    await page.getByTestId('member-search').click();
    await page.getByTestId('member-count').waitFor();
    const shown = await page.locator('[data-testid=member-result]').count();
    const second = await register('새회원둘');
    expect(await selected.getAttribute('data-user')).toBe(second);
    expect(await page.locator('[data-testid=member-result]').first().getAttribute('data-user')).toBe(second);
    expect(await page.locator('[data-testid=member-result]').count()).toBe(shown + 1);
  });

  test('a phone number refused and then corrected takes its error down as it is typed, under the field and in the messages, and only the save is said after', async () => {
    const { page } = await deskPage();
    await page.getByTestId('member-new').click();
    const form = page.getByTestId('member-form');
    await page.getByTestId('member-form-name').fill('번호고침');
    await page.getByTestId('member-form-phone').fill('12');
    await page.getByTestId('member-form-submit').click();
    const refusal = '전화번호: 전화번호가 아닙니다';
    await form.locator('.field-error').filter({ hasText: '전화번호가 아닙니다' }).waitFor();
    await page.locator('.toast-error').filter({ hasText: refusal }).waitFor();

    // corrected: the field's error goes as it is typed, the refusal's message with it
    await page.getByTestId('member-form-phone').fill('010-4321-8765');
    expect(await form.locator('.field-error').count()).toBe(0);
    expect(await page.locator('.toast-error').count()).toBe(0);

    await page.getByTestId('member-form-submit').click();
    await page.locator('.toast-success').filter({ hasText: '번호고침 회원을 등록했습니다' }).waitFor();
    expect(await page.locator('.toast').allInnerTexts()).toEqual([expect.stringContaining('번호고침 회원을 등록했습니다')]);
    await screenshot(page, `${backend}-desk-screens-02-corrected-phone-saved`);
  });

  test("a member's recent bookings name the class each was made for", async () => {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: '수업이름확인' });
    const userId = detail.member.userId;
    await admin.call('passes.register', { userId, packageSeq: 1, startedAt: DateTime.now().setZone(ZONE).minus({ days: 1 }).toFormat('yyyy-MM-dd'), paymentMethod: 'CARD' });
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number }> }>('members.passes', { userId });
    const start = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 19, minute: 0, second: 0, millisecond: 0 });
    const [made] = await admin.call<Array<{ classSeq: number }>>('classes.create', {
      title: '저녁 필라테스 입문',
      startedAt: start.toFormat("yyyy-MM-dd'T'HH:mm"),
      endedAt: start.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
      capacity: 5,
      packageSeqs: [1],
    });
    const booked = await admin.call<{ bookingSeq: number }>('bookings.create', { classSeq: made!.classSeq, userId, passSeq: passes[0]!.passSeq });
    const { page } = await deskPage();
    await page.getByTestId('member-query').fill(userId);
    await page.getByTestId('member-search').click();
    await page.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    const row = page.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=member-booking]`);
    await row.first().waitFor();
    expect(await row.getAttribute('data-booking')).toBe(String(booked.bookingSeq));
    expect(await row.getByTestId('member-booking-class').textContent()).toBe('저녁 필라테스 입문');
    await screenshot(page, `${backend}-desk-screens-03-booking-class-title`);
  });

  test("at 1024 × 768 the member list keeps each phone number on one line, and the member's pass and booking tables show every column without sideways scrolling", async () => {
    // the demo gym's bulk grant to every member done first (else the scheduler may add its passes,
    // and their 이용권 일괄 지급 pills, at any minute): each member with the widest rows they will have
    const grants = await admin.call<Array<{ bulkPassSeq: number; userGroupId: string; status: string }>>('bulkGrants.list', {});
    for (const g of grants.filter((g) => g.userGroupId === 'ALL' && g.status === 'READY')) await admin.raw('bulkGrants.grantNow', { bulkPassSeq: g.bulkPassSeq });
    await expect
      .poll(async () => (await admin.call<Array<{ userGroupId: string; status: string }>>('bulkGrants.list', {})).filter((g) => g.userGroupId === 'ALL' && g.status === 'READY').length, { timeout: 90_000 })
      .toBe(0);
    const { page } = await deskPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByTestId('member-query').fill('010');
    await page.getByTestId('member-search').click();
    await page.getByTestId('member-count').waitFor();
    // the seed's members with the most passes: a long package name, an expired pass, bookings
    const busiest = await admin.call<{ members: Array<{ userId: string; livePasses: number }> }>('members.search', { query: '010', limit: 50 });
    const userId = busiest.members.reduce((a, b) => (b.livePasses > a.livePasses ? b : a)).userId;
    await page.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    await page.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=pass-row]`).first().waitFor();
    await page.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=member-booking]`).first().waitFor();

    for (const lang of ['ko', 'en'] as const) {
      await page.getByTestId(`lang-${lang}`).dispatchEvent('click');
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      const { phones, tables } = await narrowLayout(page);
      expect(phones.length, lang).toBeGreaterThan(2);
      expect(JSON.stringify(phones.filter((p) => p.lines !== 1)), lang).toBe('[]');
      expect(tables, lang).toHaveLength(2);
      expect(JSON.stringify(tables.filter((t) => t.hidden > 0)), `${lang}: ${userId}`).toBe('[]');
    }
    await page.getByTestId('lang-ko').dispatchEvent('click');
    await page.waitForFunction(() => document.documentElement.lang === 'ko');
    await screenshot(page, `${backend}-desk-screens-04-member-1024`);
  });

  /** each phone number shown and on how many lines; each of the member's tables and how much of it is scrolled out of view */
  async function narrowLayout(page: Page) {
    // each phone number, in the list and in the detail's head: its characters' line boxes and their tops
    const phones = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=member-result-phone], [data-testid=member-phone]')].map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return { phone: el.textContent, lines: new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size };
      }),
    );
    // the pass and booking tables: every column inside the card, none scrolled out of view
    const tables = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=member-detail] .table-wrap')].map((wrap) => ({
        columns: [...wrap.querySelectorAll('th')].map((th) => th.textContent),
        hidden: wrap.scrollWidth - wrap.clientWidth,
      })),
    );
    return { phones, tables };
  }

  test("the class dialog's 회원 예약 box has no empty space above its heading: as much room at its top as at its bottom", async () => {
    const start = DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const [made] = await admin.call<Array<{ classSeq: number }>>('classes.create', {
      title: '여백 확인 요가',
      startedAt: start.toFormat("yyyy-MM-dd'T'HH:mm"),
      endedAt: start.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
      capacity: 5,
      packageSeqs: [1],
    });
    const { page } = await deskPage();
    await goTo(page, 'classes');
    if (start.startOf('week').toMillis() !== DateTime.now().setZone(ZONE).startOf('week').toMillis()) {
      const range = await page.getByTestId('week-range').textContent();
      await page.getByTestId('week-next').click();
      await expect.poll(() => page.getByTestId('week-range').textContent()).not.toBe(range);
    }
    await page.locator(`[data-testid=class-card][data-class="${made!.classSeq}"]`).click();
    const box = page.getByTestId('class-dialog').getByTestId('book-form');
    await box.waitFor();
    const room = await box.evaluate((section) => {
      const outer = section.getBoundingClientRect();
      const heading = section.querySelector('h3')!.getBoundingClientRect();
      const last = section.lastElementChild!.getBoundingClientRect();
      return { top: Math.round(heading.top - outer.top), bottom: Math.round(outer.bottom - last.bottom) };
    });
    expect(room.top).toBe(room.bottom);
    await screenshot(page, `${backend}-desk-screens-05-book-box`);
  });
});
