// A pass extended, then cancelled and refunded at the desk, in Debian's Chromium against a real `pass-batch serve`
// on SQLite and on MariaDB/MySQL: the desk opens the member, gives a sold pass a week more (연장…),
// then presses "취소…" on it
// booked into a class tomorrow; the dialog says the booking goes with it and asks the amount; the
// desk refunds part of it with a reason; the pass reads as cancelled with its refund, the booking as
// cancelled; the manager's Statistics screen shows the refund and the net under Sales for this week.
// The open dialog passes axe's WCAG A/AA scan.
// Screenshots: test-results/screenshots/<backend>-pass-cancel-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { blocking, scan } from './support/axe.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { e2eBackends, STAFF, STAFF_PASSWORD, type Api, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('a pass cancelled at the desk on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  const open = async (username: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, STAFF_PASSWORD);
    return page;
  };

  test('the desk refunds part of a sold pass with a reason after being told its booking goes with it; the pass and the booking read as cancelled, and Sales shows the refund and the net', async () => {
    const name = `환불 PT ${backend}`;
    const pkg = await admin.call<{ packageSeq: number }>('packages.create', { packageName: name, count: 10, period: 60, price: 300_000 });
    const { userId } = (await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: `환불 손님 ${backend}` })).detail.member;
    const today = DateTime.now().setZone('Asia/Seoul').startOf('day');
    const { passes } = await admin.call<{ passes: Array<{ passSeq: number }> }>('passes.register', { userId, packageSeq: pkg.packageSeq, startedAt: today.toISODate(), paymentMethod: 'CARD' });
    const passSeq = passes[0]!.passSeq;
    const [cls] = await admin.call<Array<{ classSeq: number }>>('classes.create', {
      title: `환불 요가 ${backend}`,
      startedAt: today.plus({ days: 1, hours: 10 }).toISO(),
      endedAt: today.plus({ days: 1, hours: 11 }).toISO(),
      capacity: 5,
      packageSeqs: [pkg.packageSeq],
    });
    await admin.call('bookings.create', { classSeq: cls!.classSeq, userId, passSeq });

    const desk = await open(STAFF.frontDesk);
    await goTo(desk, 'members');
    await desk.getByTestId('member-query').fill(userId);
    await desk.getByTestId('member-search').click();
    await desk.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    const row = desk.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=pass-row][data-pass="${passSeq}"]`);
    // first a week more for a closed day: the dialog says the new end, the row shows it
    const endBefore = await row.locator('td').nth(3).textContent();
    await row.getByTestId('pass-extend-open').click();
    const extend = desk.getByTestId('pass-extend');
    await extend.getByTestId('pass-extend-days').fill('7');
    await extend.getByTestId('pass-extend-reason').fill('설 연휴 휴관');
    expect(await extend.getByTestId('pass-extend-after').textContent()).toContain('2027.');
    expect(blocking(await scan(desk, 'pass-extend-dialog'))).toEqual([]);
    await extend.getByTestId('pass-extend-submit').click();
    await desk.getByText(`${name} 이용권을 연장했습니다`, { exact: false }).waitFor();
    await expect.poll(() => row.locator('td').nth(3).textContent()).not.toBe(endBefore);

    await row.getByTestId('pass-cancel-open').click();
    const dialog = desk.getByTestId('pass-cancel');
    await dialog.waitFor();
    expect(await dialog.getByTestId('pass-cancel-intro').textContent()).toContain('판매 금액: 300,000원 (카드).');
    expect(await dialog.getByTestId('pass-cancel-bookings').textContent()).toBe('이 이용권으로 예약한 앞으로의 수업 1개는 취소되고, 회원에게 알림이 갑니다.');
    // the amount is asked: the field has the focus, and the button stays off until it is typed
    expect(await dialog.getByTestId('pass-refund').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await dialog.getByTestId('pass-cancel-submit').isDisabled()).toBe(true);
    await dialog.getByTestId('pass-refund').fill('100,000');
    await dialog.getByTestId('pass-cancel-reason').fill('부상으로 중단');
    expect(blocking(await scan(desk, 'pass-cancel-dialog'))).toEqual([]);
    await screenshot(desk, `${backend}-pass-cancel-dialog`);
    await dialog.getByTestId('pass-cancel-submit').click();
    await desk.getByText('환불 PT').first().waitFor();
    await desk.getByText(`${name} 이용권을 취소했습니다. 돌려준 금액: 100,000원. 수업 예약 1개를 함께 취소하고 회원에게 알렸습니다.`).waitFor();
    await expect.poll(() => row.getByTestId('pass-cancelled').textContent()).toContain('환불 100,000원');
    expect(await row.locator('[data-status]').first().getAttribute('data-status')).toBe('CANCELLED');
    expect(await row.getByTestId('pass-cancel-open').count()).toBe(0);
    expect(await desk.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=member-booking]`).first().textContent()).toContain('취소');
    // what the cancelled pass says wraps in its cell: the pass table keeps every column in a 1024-px window
    await desk.setViewportSize({ width: 1024, height: 768 });
    const wrap = row.locator('xpath=ancestor::div[contains(@class,"table-wrap")][1]');
    await expect.poll(() => wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(desk, `${backend}-pass-cancel-done`);

    const manager = await open(STAFF.manager);
    await goTo(manager, 'statistics');
    await manager.getByTestId('preset-thisWeek').click();
    const sold = manager.locator('[data-testid=sales-package-row]', { hasText: name });
    await sold.waitFor();
    expect(await sold.locator('td').allTextContents()).toEqual([name, '1', '300,000원', '1', '100,000원']);
    await manager.getByTestId('sales-refunded').waitFor();
    // the chart draws the refund beside the takings: two series in its legend
    expect(await manager.getByTestId('sales-chart').getAttribute('data-series')).toBe('total refunded');
    expect(await manager.getByTestId('sales-chart').locator('.recharts-legend-item-text').allTextContents()).toEqual(['판매 금액', '환불 금액']);
    await screenshot(manager, `${backend}-pass-cancel-sales`);
  });
});
