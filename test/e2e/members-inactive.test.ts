// Deactivating a member and selling to one, in Debian's Chromium against a real `pass-batch serve`,
// on SQLite and on MariaDB/MySQL: the confirmation names the bookings and waitlist places the
// deactivation cancels (as the server counts them when it is asked) and that reactivating brings
// none back, and the toast says what was done; a sale to an inactive member is refused in the
// form, saying why and how to reactivate, and a start in 2099 under the start field, naming the
// last day that may be chosen.
// Screenshots: test-results/screenshots/<backend>-members-inactive-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('an inactive member at the desk, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  /** a new member with a PT 10 pass from yesterday */
  async function memberWithPass(name: string): Promise<{ userId: string; passSeq: number }> {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: name });
    const userId = detail.member.userId;
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number }> }>('passes.register', { userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
    return { userId, passSeq: passes[0]!.passSeq };
  }

  async function openMember(userId: string): Promise<{ page: Page; detail: ReturnType<Page['locator']> }> {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    await page.getByTestId('member-query').fill(userId);
    await page.getByTestId('member-search').click();
    await page.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    const detail = page.locator(`[data-testid=member-detail][data-user="${userId}"]`);
    await detail.waitFor();
    return { page, detail };
  }

  test('deactivating a member booked into one class and waiting for another: the confirmation names one booking and one waitlist place, booked after the member was opened, and the toast says both were cancelled', async () => {
    const day = DateTime.now().setZone('Asia/Seoul').plus({ days: 2 }).toFormat('yyyy-MM-dd');
    const [open] = await admin.call<Array<{ classSeq: number }>>('classes.create', { title: '휴면 요가', startedAt: `${day}T10:00`, endedAt: `${day}T11:00`, capacity: 5, packageSeqs: [1] });
    const [full] = await admin.call<Array<{ classSeq: number }>>('classes.create', { title: '휴면 필라테스', startedAt: `${day}T12:00`, endedAt: `${day}T13:00`, capacity: 1, packageSeqs: [1] });
    const member = await memberWithPass('휴면예정');
    const other = await memberWithPass('자리주인');
    await admin.call('bookings.create', { classSeq: full!.classSeq, userId: other.userId, passSeq: other.passSeq });
    await admin.call('bookings.create', { classSeq: open!.classSeq, userId: member.userId, passSeq: member.passSeq });

    const { page, detail } = await openMember(member.userId);
    // another desk puts the member on a waitlist after their detail was opened: the count is asked for again
    expect((await admin.call<{ outcome: string }>('bookings.create', { classSeq: full!.classSeq, userId: member.userId, passSeq: member.passSeq })).outcome).toBe('WAITLISTED');
    await detail.getByTestId('member-deactivate').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('앞으로의 수업 예약 1개와 수업 대기 1건도 함께 취소됩니다');
    expect(text).toContain('다시 활동으로 바꿔도 되살아나지 않습니다.');
    await screenshot(page, `${backend}-members-inactive-01-confirm`);
    await dialog.getByTestId('confirm-ok').click();
    await page.locator('.toast-success', { hasText: '휴면 처리했습니다. 앞으로의 수업 예약 1개와 수업 대기 1건을 취소했습니다.' }).waitFor();
    await detail.getByTestId('member-reactivate').waitFor();
    const after = await admin.call<{ upcoming: { bookings: number; waitlist: number } }>('members.passes', { userId: member.userId });
    expect(after.upcoming).toEqual({ bookings: 0, waitlist: 0 });
  });

  test('a pass for an inactive member is refused in the form, saying why and how to reactivate; a start in 2099 is refused under the start field, naming the last day', async () => {
    const inactive = await memberWithPass('휴면판매');
    await admin.call('members.deactivate', { userId: inactive.userId });
    const { page, detail } = await openMember(inactive.userId);
    await detail.getByTestId('register-open').click();
    const form = page.getByTestId('register-form');
    await form.getByTestId('register-package').selectOption('1');
    await form.getByTestId('register-method-CARD').check();
    await form.getByTestId('register-submit').click();
    await page.getByTestId('confirm-ok').click();
    const refusal = form.getByTestId('register-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(`휴면판매(${inactive.userId}) 회원은 휴면 상태라 이용권을 등록할 수 없습니다. 회원 정보의 '다시 활동' 버튼으로 먼저 활동 회원으로 바꾼 뒤 등록하세요.`);
    await screenshot(page, `${backend}-members-inactive-02-refused-inactive`);

    const active = await memberWithPass('먼날판매');
    const second = await openMember(active.userId);
    await second.detail.getByTestId('register-open').click();
    const form2 = second.page.getByTestId('register-form');
    await form2.getByTestId('register-package').selectOption('1');
    await form2.getByTestId('register-method-CASH').check();
    await form2.getByTestId('register-start').fill('2099-01-01');
    await form2.getByTestId('register-submit').click();
    await second.page.getByTestId('confirm-ok').click();
    const underStart = form2.locator('label.field:has([data-testid=register-start]) .field-error');
    await underStart.waitFor();
    const bound = DateTime.now().setZone('Asia/Seoul').plus({ years: 1 }).toFormat('yyyy-MM-dd');
    expect(await underStart.textContent()).toBe(`시작일: 2099-01-01은 너무 먼 날입니다. 시작일은 오늘부터 1년 뒤인 ${bound}까지 정할 수 있습니다. 연도를 확인하세요`);
    expect(await form2.getByTestId('register-error').count()).toBe(0);
    await screenshot(second.page, `${backend}-members-inactive-03-refused-far-start`);
    const passes = await admin.call<{ passes: unknown[] }>('members.passes', { userId: active.userId });
    expect(passes.passes).toHaveLength(1);
  });
});
