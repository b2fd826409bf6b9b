// A class moved and then cancelled at the desk, in Debian's Chromium against a real
// `pass-batch serve`, on SQLite and on MariaDB/MySQL: the edit form says how many booked and
// waiting members will be sent the new time, the toast says they are told and the outbox holds one
// CLASS_MOVED message each; once the class is cancelled its dialog says the waitlist was cleared
// with it, not that nobody is waiting.
// Screenshots: test-results/screenshots/<backend>-class-moves-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('a class moved, then cancelled, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;

  servedConsole(backend, () => [page], (parts) => ({ served, admin, browser } = parts));

  /** a new member booked (or put on the waitlist) with a PT 10 pass from yesterday */
  async function bookNew(classSeq: number, name: string, phone: string): Promise<string> {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: name, phone });
    const userId = detail.member.userId;
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number }> }>('passes.register', { userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
    await admin.call('bookings.create', { classSeq, userId, passSeq: passes[0]!.passSeq });
    return userId;
  }

  test('the edit form says how many booked and waiting members will be sent the new time and the toast says they are told; the cancelled class says its waitlist was cleared', async () => {
    const tomorrow = DateTime.now().setZone('Asia/Seoul').plus({ days: 1 });
    const day = tomorrow.toFormat('yyyy-MM-dd');
    const [made] = await admin.call<Array<{ classSeq: number }>>('classes.create', { title: '옮길 필라테스', startedAt: `${day}T10:00`, endedAt: `${day}T11:00`, capacity: 1, packageSeqs: [1] });
    const classSeq = made!.classSeq;
    const booked = await bookNew(classSeq, '옮김예약', '010-4141-9081');
    const waiting = await bookNew(classSeq, '옮김대기', '010-4242-9082');

    page = await openPage(browser, served.url);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.getByTestId('nav-classes').click();
    await page.waitForSelector('main[data-screen="classes"]');
    if (tomorrow.weekday === 1) await page.getByTestId('week-next').click();
    await page.locator(`[data-day="${day}"] [data-testid=class-card][data-class="${classSeq}"]`).click();
    const dialog = page.getByTestId('class-dialog');
    await dialog.getByTestId('class-detail').waitFor();

    // a new title alone says nothing; a new time names the one booked and the one waiting
    await dialog.getByTestId('class-edit').click();
    const form = page.getByTestId('class-form');
    await form.waitFor();
    await form.getByTestId('class-form-title').fill('옮긴 필라테스');
    expect(await form.getByTestId('class-form-moved').count()).toBe(0);
    await form.getByTestId('class-form-start').fill('11:00');
    await form.getByTestId('class-form-end').fill('12:00');
    expect(await form.getByTestId('class-form-moved').textContent()).toBe('저장하면 예약하거나 대기 중인 회원 2명에게 바뀐 시각을 알림으로 보냅니다.');
    await screenshot(page, `${backend}-class-moves-01-warning`);
    await form.getByTestId('class-form-submit').click();
    await page.getByText('수업을 바꿨습니다. 회원 2명에게 바뀐 시각을 알립니다.').waitFor();
    await expect.poll(() => form.count()).toBe(0);

    // the outbox: one message each, naming the old and the new time
    const { items } = await admin.call<{ items: Array<{ event: string; userId: string; text: string }> }>('notifications.list', {});
    const moved = items.filter((n) => n.event === 'CLASS_MOVED' && [booked, waiting].includes(n.userId));
    expect(moved.map((n) => n.userId).sort()).toEqual([booked, waiting].sort());
    expect(moved.find((n) => n.userId === booked)!.text).toBe(`옮김예약님, 예약하신 ${day} 10:00~11:00 옮길 필라테스 수업이 ${day} 11:00~12:00으로 바뀌었습니다.`);

    // cancelled: the waitlist was cleared with it, and says so
    await dialog.getByTestId('class-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('수업을 취소했습니다. 회원 2명에게 알립니다.').waitFor();
    await dialog.getByTestId('class-cancelled').waitFor();
    expect(await dialog.getByTestId('waitlist-cleared').textContent()).toBe('수업이 취소되어 대기 명단을 비웠습니다. 대기하던 회원에게도 취소를 알렸습니다.');
    expect(await dialog.getByText('대기 중인 회원이 없습니다.').count()).toBe(0);
    await screenshot(page, `${backend}-class-moves-02-cancelled`);
    // and so after it is opened again
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.locator(`[data-day="${day}"] [data-testid=class-card][data-class="${classSeq}"]`).click();
    expect(await dialog.getByTestId('waitlist-cleared').textContent()).toBe('수업이 취소되어 대기 명단을 비웠습니다. 대기하던 회원에게도 취소를 알렸습니다.');
  });
});
