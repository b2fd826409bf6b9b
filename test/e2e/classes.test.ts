// Issue 18, slice 3 in Debian's Chromium against a real `pass-batch serve` with the demo gym, on
// SQLite and on MariaDB/MySQL: the front desk schedules a class of one place for tomorrow, books a
// member found by the last four digits of their phone, puts a second member on the waitlist, and
// cancels the first booking, which books the waiting member in. Then it edits a class from its
// dialog and cancels another after a confirmation naming how many members will be told; on the
// way: the dialogs' close button and Escape, the form's focus, a long title in its day, and the
// attendance buttons waiting until an hour before the class.
// Screenshots: test-results/screenshots/<backend>-classes-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('classes and bookings, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;

  servedConsole(backend, () => [page], (parts) => ({ served, admin, browser } = parts));

  /** a new member with a PT 10 pass from today, and the last four digits of their phone */
  async function member(name: string, phone: string): Promise<string> {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: name, phone });
    await admin.call('passes.register', { userId: detail.member.userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
    return detail.member.userId;
  }

  async function book(query: string, userId: string) {
    const dialog = page.getByTestId('class-dialog');
    await dialog.getByTestId('book-query').fill(query);
    await dialog.getByTestId('book-search').click();
    await dialog.locator(`[data-testid=book-member][data-user="${userId}"]`).click();
    await expect.poll(() => dialog.getByTestId('book-pass').inputValue()).not.toBe('');
    await dialog.getByTestId('book-submit').click();
  }

  /** a class tomorrow (Seoul) from `from` to `to`, through the API; its seq */
  async function classTomorrow(title: string, from: string, to: string, capacity: number): Promise<number> {
    const day = DateTime.now().setZone('Asia/Seoul').plus({ days: 1 }).toFormat('yyyy-MM-dd');
    const [made] = await admin.call<Array<{ classSeq: number }>>('classes.create', { title, startedAt: `${day}T${from}`, endedAt: `${day}T${to}`, capacity, packageSeqs: [1] });
    return made!.classSeq;
  }

  async function bookVia(classSeq: number, userId: string): Promise<void> {
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number; packageSeq: number }> }>('members.passes', { userId });
    await admin.call('bookings.create', { classSeq, userId, passSeq: passes.find((p) => p.packageSeq === 1)!.passSeq });
  }

  test('the desk schedules a class, books a member found by the last four digits, waitlists a second, and a cancellation moves the second in', async () => {
    const first = await member('예약첫째', '010-3131-9071');
    const second = await member('예약둘째', '010-3232-9072');
    page = await openPage(browser, served.url);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.getByTestId('nav-classes').click();
    await page.waitForSelector('main[data-screen="classes"]');

    const tomorrow = DateTime.now().setZone('Asia/Seoul').plus({ days: 1 });
    if (tomorrow.weekday === 1) await page.getByTestId('week-next').click();
    await page.getByTestId('class-new').click();
    const form = page.getByTestId('class-form');
    await form.getByTestId('class-form-title').fill('브라우저 필라테스');
    await form.getByTestId('class-form-day').fill(tomorrow.toFormat('yyyy-MM-dd'));
    await form.getByTestId('class-form-start').fill('19:00');
    await form.getByTestId('class-form-end').fill('20:00');
    await form.getByTestId('class-form-capacity').fill('1');
    await form.getByLabel('PT 10회 / 60일').check();
    await form.getByTestId('class-form-submit').click();
    await page.getByText('수업 1개를 만들었습니다.').waitFor();

    const card = page.locator(`[data-day="${tomorrow.toFormat('yyyy-MM-dd')}"] [data-testid=class-card]`).filter({ hasText: '브라우저 필라테스' });
    await card.click();
    await page.getByTestId('class-detail').waitFor();
    await book('9071', first);
    await page.getByText('예약첫째 회원을 예약했습니다.').waitFor();
    await book('9072', second);
    await page.getByText('정원이 차서 예약둘째 회원을 대기 1번으로 올렸습니다.').waitFor();
    const dialog = page.getByTestId('class-dialog');
    expect(await dialog.locator(`[data-testid=class-waitlist] [data-user="${second}"]`).count()).toBe(1);
    await screenshot(page, `${backend}-classes-01-full-with-waitlist`);

    await dialog.locator(`[data-testid=class-booking][data-user="${first}"]`).getByTestId('booking-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('예약을 취소했습니다.').waitFor();
    await expect.poll(() => dialog.locator(`[data-testid=class-booking][data-user="${second}"]`).getAttribute('data-status')).toBe('READY');
    expect(await dialog.locator(`[data-testid=class-booking][data-user="${first}"]`).getAttribute('data-status')).toBe('CANCELLED');
    await screenshot(page, `${backend}-classes-02-moved-in`);
    await page.keyboard.press('Escape');
    await expect.poll(() => card.getByTestId('class-count').textContent()).toBe('1/1명');
    await screenshot(page, `${backend}-classes-03-week`);
  });

  test('the desk edits a class from its dialog and cancels another after a confirmation naming the members told; dialogs close by their button and Escape, the form opens on its first field, a long title stays in its day, attendance waits until an hour before', async () => {
    const longTitle = 'Y'.repeat(100);
    const editSeq = await classTomorrow('바꿀 요가', '10:00', '11:00', 2);
    const cancelSeq = await classTomorrow('취소할 요가', '12:00', '13:00', 1);
    const longSeq = await classTomorrow(longTitle, '14:00', '15:00', 5);
    const [booked, bookedToo, waiting] = [await member('변경회원', '010-3333-9073'), await member('취소회원', '010-3434-9074'), await member('대기회원', '010-3535-9075')];
    await bookVia(editSeq, booked);
    await bookVia(cancelSeq, bookedToo);
    await bookVia(cancelSeq, waiting); // full: the waitlist

    if (!page) {
      page = await openPage(browser, served.url);
      await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    }
    await page.getByTestId('nav-classes').click();
    await page.waitForSelector('main[data-screen="classes"]');
    await page.getByTestId('week-today').click();
    const tomorrow = DateTime.now().setZone('Asia/Seoul').plus({ days: 1 });
    if (tomorrow.weekday === 1) await page.getByTestId('week-next').click();
    const cardOf = (seq: number) => page.locator(`[data-day="${tomorrow.toFormat('yyyy-MM-dd')}"] [data-testid=class-card][data-class="${seq}"]`);

    // the new-class form opens on its first field, and Escape closes it
    await page.getByTestId('class-new').click();
    await page.getByTestId('class-form').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('class-form-title');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('class-form').count()).toBe(0);

    // a 100-character title with no space wraps inside its day's column
    await cardOf(longSeq).waitFor();
    const fits = await cardOf(longSeq).evaluate((card) => {
      const day = card.closest('section')!.getBoundingClientRect();
      const box = card.getBoundingClientRect();
      const title = card.querySelector('strong')!;
      return box.left >= day.left - 0.5 && box.right <= day.right + 0.5 && title.scrollWidth <= title.clientWidth + 1;
    });
    expect(fits).toBe(true);
    await screenshot(page, `${backend}-classes-04-long-title`);

    // a class tomorrow: attendance is not open yet, and says from when
    await cardOf(editSeq).click();
    const dialog = page.getByTestId('class-dialog');
    await dialog.getByTestId('class-detail').waitFor();
    const toggle = dialog.locator(`[data-testid=class-booking][data-user="${booked}"] .attend-toggle`);
    expect(await toggle.isDisabled()).toBe(true);
    expect(await dialog.getByTestId('attend-all').isDisabled()).toBe(true);
    expect(await dialog.getByTestId('attend-not-yet').textContent()).toMatch(/^출석은 수업 시작 1시간 전, .+ 09:00부터 표시할 수 있습니다\.$/);

    // edit: a new title, an hour later, one more place
    await dialog.getByTestId('class-edit').click();
    const form = page.getByTestId('class-form');
    await form.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('class-form-title');
    expect(await form.getByTestId('class-form-title').inputValue()).toBe('바꿀 요가');
    await form.getByTestId('class-form-title').fill('바꾼 요가');
    await form.getByTestId('class-form-start').fill('11:00');
    await form.getByTestId('class-form-end').fill('12:00');
    await form.getByTestId('class-form-capacity').fill('3');
    await form.getByTestId('class-form-submit').click();
    await page.getByText('수업을 바꿨습니다.').waitFor();
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => dialog.locator('.modal-title').first().textContent()).toBe('바꾼 요가');
    const edited = await admin.call<{ class: { title: string; capacity: number; startedAt: string }; bookings: Array<{ userId: string; status: string }> }>('classes.get', { classSeq: editSeq });
    expect(edited.class).toMatchObject({ title: '바꾼 요가', capacity: 3 });
    expect(DateTime.fromISO(edited.class.startedAt).setZone('Asia/Seoul').toFormat('HH:mm')).toBe('11:00');
    expect(edited.bookings.map((b) => [b.userId, b.status])).toEqual([[booked, 'READY']]);
    await screenshot(page, `${backend}-classes-05-edited`);
    // the dialog's own close button
    await dialog.getByTestId('class-dialog-close').click();
    await expect.poll(() => dialog.count()).toBe(0);

    // cancel the other: the confirmation names the two members told, and Go back changes nothing
    await cardOf(cancelSeq).click();
    await dialog.getByTestId('class-detail').waitFor();
    await dialog.getByTestId('class-cancel').click();
    const confirm = page.getByTestId('confirm-dialog');
    expect(await confirm.textContent()).toContain('회원 2명에게 취소 알림을 보냅니다.');
    expect(await page.getByTestId('confirm-cancel').textContent()).toBe('돌아가기');
    await screenshot(page, `${backend}-classes-06-cancel-confirm`);
    await page.getByTestId('confirm-cancel').click();
    expect((await admin.call<{ class: { cancelledAt: string | null } }>('classes.get', { classSeq: cancelSeq })).class.cancelledAt).toBeNull();
    await dialog.getByTestId('class-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('수업을 취소했습니다. 회원 2명에게 알립니다.').waitFor();
    await dialog.getByTestId('class-cancelled').waitFor();
    expect(await dialog.getByTestId('class-cancel').count()).toBe(0);
    expect(await dialog.getByTestId('book-form').count()).toBe(0);
    const gone = await admin.call<{ class: { cancelledAt: string | null }; bookings: Array<{ status: string; usedPass: boolean }>; waitlist: unknown[] }>('classes.get', { classSeq: cancelSeq });
    expect(gone.class.cancelledAt).not.toBeNull();
    expect(gone.bookings).toEqual([expect.objectContaining({ status: 'CANCELLED', usedPass: false })]);
    expect(gone.waitlist).toEqual([]);
    await screenshot(page, `${backend}-classes-07-cancelled`);
    // Escape closes the class dialog; the class stays on the calendar, marked cancelled
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await cardOf(cancelSeq).getByTestId('class-cancelled').textContent()).toBe('취소');
  });
});
