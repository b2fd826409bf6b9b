// The waitlist in the class dialog, in Debian's Chromium against a real `pass-batch serve` with
// the demo gym, on SQLite and on MariaDB/MySQL: the front desk takes one waiting member off a full
// class's waitlist after a confirmation naming them (going back changes nothing), and the dialog
// then lists them under the waitlist as taken off at the desk; a cancellation whose first waiting
// member is by then booked into another class at the same time takes them off the list instead of
// booking them, the next waiting member moves in, and the dialog says who was taken off and why.
// Screenshots: test-results/screenshots/<backend>-waitlist-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('the waitlist in the class dialog, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;
  const tomorrow = DateTime.now().setZone('Asia/Seoul').plus({ days: 1 });

  servedConsole(backend, () => [page], (parts) => ({ served, admin, browser } = parts));

  beforeAll(async () => {
    page = await openPage(browser, served.url);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
  });

  /** a new member with a PT 10 pass from yesterday: their id and pass */
  async function member(name: string): Promise<{ userId: string; passSeq: number }> {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: name });
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number }> }>('passes.register', { userId: detail.member.userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
    return { userId: detail.member.userId, passSeq: passes[0]!.passSeq };
  }

  /** a class tomorrow (Seoul) from `from` to `to`, through the API; its seq */
  async function classTomorrow(title: string, from: string, to: string, capacity: number): Promise<number> {
    const day = tomorrow.toFormat('yyyy-MM-dd');
    const [made] = await admin.call<Array<{ classSeq: number }>>('classes.create', { title, startedAt: `${day}T${from}`, endedAt: `${day}T${to}`, capacity, packageSeqs: [1] });
    return made!.classSeq;
  }

  const book = (classSeq: number, m: { userId: string; passSeq: number }) => admin.call('bookings.create', { classSeq, ...m });

  /** the Classes screen on tomorrow's week, the class's dialog open */
  async function openClass(classSeq: number) {
    await page.getByTestId('nav-classes').click();
    await page.waitForSelector('main[data-screen="classes"]');
    await page.getByTestId('week-today').click();
    if (tomorrow.weekday === 1) await page.getByTestId('week-next').click();
    await page.locator(`[data-day="${tomorrow.toFormat('yyyy-MM-dd')}"] [data-testid=class-card][data-class="${classSeq}"]`).click();
    const dialog = page.getByTestId('class-dialog');
    await dialog.getByTestId('class-detail').waitFor();
    return dialog;
  }

  test('the desk takes one waiting member off the list after a confirmation naming them; going back changes nothing, and the dialog then lists them as taken off at the desk', async () => {
    const classSeq = await classTomorrow('대기 빼기 요가', '07:00', '08:00', 1);
    const [holder, first, second] = [await member('자리회원'), await member('대기첫째'), await member('대기둘째')];
    for (const m of [holder, first, second]) await book(classSeq, m);

    const dialog = await openClass(classSeq);
    const waitlist = dialog.getByTestId('class-waitlist');
    expect(await waitlist.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-user')))).toEqual([first.userId, second.userId]);
    const remove = waitlist.locator(`[data-user="${second.userId}"]`).getByTestId('waitlist-remove');
    expect(await remove.getAttribute('aria-label')).toBe('대기둘째 회원을 대기 명단에서 빼기');

    // the confirmation names the member; going back leaves them waiting
    await remove.click();
    const confirm = page.getByTestId('confirm-dialog');
    expect(await confirm.textContent()).toContain(`대기둘째(${second.userId}) 회원을 대기 명단에서 뺄까요?`);
    expect(await page.getByTestId('confirm-ok').textContent()).toBe('대기에서 빼기');
    await screenshot(page, `${backend}-waitlist-01-remove-confirm`);
    await page.getByTestId('confirm-cancel').click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect((await admin.call<{ waitlist: Array<{ userId: string }> }>('classes.get', { classSeq })).waitlist.map((w) => w.userId)).toEqual([first.userId, second.userId]);

    // confirmed: off the list, the other keeps their place, and the dialog says who was taken off and how
    await remove.click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('대기둘째 회원을 대기 명단에서 뺐습니다.').waitFor();
    await expect.poll(() => waitlist.locator('li').count()).toBe(1);
    expect(await waitlist.locator('li').getAttribute('data-user')).toBe(first.userId);
    const removed = dialog.locator(`[data-testid=waitlist-removed] [data-user="${second.userId}"]`);
    expect(await removed.getAttribute('data-reason')).toBe('DESK');
    expect(await removed.getByTestId('waitlist-removed-why').textContent()).toBe('프런트에서 대기 명단에서 뺐습니다.');
    const after = await admin.call<{ waitlist: Array<{ userId: string }>; removedFromWaitlist: Array<{ userId: string; reason: string }> }>('classes.get', { classSeq });
    expect(after.waitlist.map((w) => w.userId)).toEqual([first.userId]);
    expect(after.removedFromWaitlist).toEqual([expect.objectContaining({ userId: second.userId, reason: 'DESK' })]);
    await screenshot(page, `${backend}-waitlist-02-removed`);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  test('a cancellation whose first waiting member is booked elsewhere at that time takes them off the list and books the next; the dialog says who was taken off, why, and that they were told', async () => {
    const classSeq = await classTomorrow('겹침 필라테스', '09:00', '10:00', 1);
    const otherSeq = await classTomorrow('겹치는 요가', '09:30', '10:30', 5);
    const [holder, elsewhere, next] = [await member('취소할회원'), await member('다른수업회원'), await member('다음대기회원')];
    for (const m of [holder, elsewhere, next]) await book(classSeq, m);
    // a place on a waitlist holds nothing: the member books another class at the same time
    await book(otherSeq, elsewhere);

    const dialog = await openClass(classSeq);
    await dialog.locator(`[data-testid=class-booking][data-user="${holder.userId}"]`).getByTestId('booking-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('대기 회원 1명은 예약할 수 없어 대기 명단에서 빠졌습니다. 사유는 대기 명단 아래에 있습니다.').waitFor();
    await expect.poll(() => dialog.locator(`[data-testid=class-booking][data-user="${next.userId}"]`).getAttribute('data-status')).toBe('READY');
    expect(await dialog.locator(`[data-testid=class-booking][data-user="${elsewhere.userId}"]`).count()).toBe(0);
    const removed = dialog.locator(`[data-testid=waitlist-removed] [data-user="${elsewhere.userId}"]`);
    expect(await removed.getAttribute('data-reason')).toBe('OVERLAP');
    const when = `${tomorrow.toFormat('yyyy-MM-dd')} 09:30–10:30`;
    expect(await removed.getByTestId('waitlist-removed-why').textContent()).toBe(`시간이 겹치는 '겹치는 요가' 수업(${when})에 예약되어 있습니다.회원에게 알림`);
    await screenshot(page, `${backend}-waitlist-03-taken-off`);
    const outbox = await admin.call<{ items: Array<{ event: string; userId: string }> }>('notifications.list', { pageSize: 100 });
    expect(outbox.items.filter((n) => n.event === 'WAITLIST_REMOVED').map((n) => n.userId)).toEqual([elsewhere.userId]);
  });
});
