// A front-desk day in Korean, in Debian's Chromium against a real `pass-batch serve` with the demo
// gym, on SQLite and on MariaDB/MySQL: what the desk meets in a class's dialog. Cancelling a
// booking says before it happens whether it is free or takes a use of the pass; a waiting member
// moved into the place freed is named by name; the outcome of a booking made in the dialog is in
// the accessibility tree (announced) while the dialog is open; and the keyboard focus stays in the
// dialog after marking a member attended and after cancelling a booking.
// Screenshots: test-results/screenshots/<backend>-front-desk-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();
const ZONE = 'Asia/Seoul';

describe.each(BACKENDS)('a front-desk day in a class dialog, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, () => pages, (parts) => ({ served, admin, browser } = parts));

  /** a new member with a PT 10 pass from yesterday; their id */
  async function member(name: string): Promise<string> {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: name });
    await admin.call('passes.register', { userId: detail.member.userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
    return detail.member.userId;
  }

  /** a class of `capacity` places starting `minutesAhead` from now, an hour long, through the API */
  async function classIn(title: string, minutesAhead: number, capacity = 5): Promise<{ classSeq: number; start: DateTime }> {
    const start = DateTime.now().setZone(ZONE).plus({ minutes: minutesAhead }).startOf('minute');
    const [made] = await admin.call<Array<{ classSeq: number }>>('classes.create', {
      title,
      startedAt: start.toFormat("yyyy-MM-dd'T'HH:mm"),
      endedAt: start.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
      capacity,
      packageSeqs: [1],
    });
    return { classSeq: made!.classSeq, start };
  }

  async function bookVia(classSeq: number, userId: string): Promise<void> {
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number; packageSeq: number }> }>('members.passes', { userId });
    await admin.call('bookings.create', { classSeq, userId, passSeq: passes.find((p) => p.packageSeq === 1)!.passSeq });
  }

  async function deskPage(): Promise<Page> {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.getByTestId('nav-classes').click();
    await page.waitForSelector('main[data-screen="classes"]');
    return page;
  }

  /** the class's dialog, opened from its card in its week */
  async function openClass(page: Page, classSeq: number, start: DateTime) {
    const weeks = Math.round(start.startOf('week').diff(DateTime.now().setZone(ZONE).startOf('week'), 'weeks').weeks);
    for (let i = 0; i < weeks; i++) {
      const range = await page.getByTestId('week-range').textContent();
      await page.getByTestId('week-next').click();
      await expect.poll(() => page.getByTestId('week-range').textContent()).not.toBe(range);
    }
    await page.locator(`[data-testid=class-card][data-class="${classSeq}"]`).click();
    const dialog = page.getByTestId('class-dialog');
    await dialog.locator(`[data-testid=class-detail][data-class="${classSeq}"]`).waitFor();
    return dialog;
  }

  test('cancelling a booking says before it happens whether it is free or takes a use of the pass', async () => {
    const early = await member('무료취소');
    const late = await member('늦은취소');
    const free = await classIn('이틀 뒤 요가', 2 * 24 * 60);
    const soon = await classIn('두 시간 뒤 요가', 120);
    await bookVia(free.classSeq, early);
    await bookVia(soon.classSeq, late);
    const page = await deskPage();

    // two hours ahead, inside the 180 minutes' cut-off: the use is named before the desk confirms
    let dialog = await openClass(page, soon.classSeq, soon.start);
    await dialog.locator(`[data-testid=class-booking][data-user="${late}"] [data-testid=booking-cancel]`).click();
    const confirm = page.getByTestId('confirm-dialog');
    const cutoff = soon.start.minus({ minutes: 180 });
    expect(await confirm.locator('.modal-body').textContent()).toBe(`늦은취소 회원의 예약을 취소할까요? 무료 취소 시한(${cutoff.toFormat('yyyy. M. d. HH:mm')})이 지나 이 취소는 이용권 1회를 차감합니다.`);
    await screenshot(page, `${backend}-front-desk-01-late-cancel-confirm`);
    await confirm.getByTestId('confirm-ok').click();
    await page.getByText('취소 시한이 지나 이용권 1회가 차감되었습니다.').waitFor();
    await dialog.getByTestId('class-dialog-close').click();

    // two days ahead: free, and said so
    dialog = await openClass(page, free.classSeq, free.start);
    await dialog.locator(`[data-testid=class-booking][data-user="${early}"] [data-testid=booking-cancel]`).click();
    const freeUntil = free.start.minus({ minutes: 180 });
    expect(await confirm.locator('.modal-body').textContent()).toBe(`무료취소 회원의 예약을 취소할까요? 지금은 무료로 취소되어 이용권이 차감되지 않습니다 (무료 취소는 ${freeUntil.toFormat('yyyy. M. d. HH:mm')}까지).`);
    await confirm.getByTestId('confirm-cancel').click();
    expect(await dialog.locator(`[data-testid=class-booking][data-user="${early}"]`).getAttribute('data-status')).toBe('READY');
  });

  test('a cancellation that books the waiting member in names them by their name, not their member id', async () => {
    const booked = await member('자리주인');
    const waiting = await member('대기손님');
    const full = await classIn('한 자리 필라테스', 3 * 24 * 60, 1);
    await bookVia(full.classSeq, booked);
    await bookVia(full.classSeq, waiting);
    const page = await deskPage();
    const dialog = await openClass(page, full.classSeq, full.start);
    await dialog.locator(`[data-testid=class-booking][data-user="${booked}"] [data-testid=booking-cancel]`).click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    await dialog.locator(`[data-testid=class-booking][data-user="${waiting}"][data-status=READY]`).waitFor();
    const toasts = page.locator('.toast');
    await expect.poll(() => toasts.allInnerTexts()).toContainEqual(expect.stringContaining('대기 중이던 대기손님 회원이 예약되었습니다.'));
    expect((await toasts.allInnerTexts()).join(' ')).not.toContain(waiting);
    await screenshot(page, `${backend}-front-desk-02-promoted-by-name`);
  });

  test("the outcome of a booking made in a class's dialog is announced: its message is in the accessibility tree while the dialog is open", async () => {
    const someone = await member('알림확인');
    const later = await classIn('안내 확인 수업', 4 * 24 * 60);
    const page = await deskPage();
    const dialog = await openClass(page, later.classSeq, later.start);
    await dialog.getByTestId('book-query').fill(someone);
    await dialog.getByTestId('book-search').click();
    await dialog.locator(`[data-testid=book-member][data-user="${someone}"]`).click();
    await expect.poll(() => dialog.getByTestId('book-pass').inputValue()).not.toBe('');
    await dialog.getByTestId('book-submit').click();
    await page.getByText('알림확인 회원을 예약했습니다.').waitFor();
    // the page behind a modal dialog is inert, left out of the accessibility tree: a message there is never read out
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ ignored: boolean; role?: { value: string }; name?: { value: string } }> };
    const read = nodes.filter((n) => !n.ignored && n.role?.value === 'StaticText' && n.name?.value === '알림확인 회원을 예약했습니다.');
    expect(read).toHaveLength(1);
    expect(await page.locator('[data-testid=class-dialog] [aria-live] [role=status]').filter({ hasText: '알림확인 회원을 예약했습니다.' }).count()).toBe(1);
    await screenshot(page, `${backend}-front-desk-03-announced-in-dialog`);
  });

  test("the keyboard focus stays in the class's dialog after marking a member attended and after cancelling a booking", async () => {
    const first = await member('출석첫째');
    const second = await member('출석둘째');
    const now = await classIn('곧 시작 스트레칭', 30);
    await bookVia(now.classSeq, first);
    await bookVia(now.classSeq, second);
    const page = await deskPage();
    const dialog = await openClass(page, now.classSeq, now.start);

    // attendance opens an hour before: marked with Enter, the button keeps the focus
    const row = dialog.locator(`[data-testid=class-booking][data-user="${first}"]`);
    const toggle = row.locator('.attend-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getAttribute('data-attended')).toBe('true');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);

    // cancelled with the keyboard: the cancel button goes with the booking, the focus stays in the dialog
    await dialog.locator(`[data-testid=class-booking][data-user="${second}"] [data-testid=booking-cancel]`).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    await confirm.getByTestId('confirm-ok').focus();
    await page.keyboard.press('Enter');
    await dialog.locator(`[data-testid=class-booking][data-user="${second}"][data-status=CANCELLED]`).waitFor();
    // the focused element by its test id (else its tag), and whether it is in the class's dialog
    const focused = () => page.evaluate(() => ({ testId: document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null, inDialog: !!document.activeElement?.closest('[data-testid=class-dialog]') }));
    await expect.poll(focused).toEqual({ testId: 'book-query', inDialog: true });
    await screenshot(page, `${backend}-front-desk-04-focus-after-cancel`);
  });
});
