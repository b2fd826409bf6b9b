// Issue 18, slice 3 in Debian's Chromium against a real `pass-batch serve` with the demo gym, on
// SQLite and on MariaDB/MySQL: the front desk schedules a class of one place for tomorrow, books a
// member found by the last four digits of their phone, puts a second member on the waitlist, and
// cancels the first booking, which books the waiting member in.
// Screenshots: test-results/screenshots/<backend>-classes-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openPage, screenshot, signIn } from './support/browser.ts';
import { Api, createStaff, e2eBackends, STAFF, STAFF_PASSWORD, startServe, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('classes and bookings, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe(backend);
    admin = await createStaff(served.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await page?.context().close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await served?.stop();
  });

  /** a new member with a PT 10 pass from today, and the last four digits of their phone */
  async function member(name: string, phone: string): Promise<string> {
    const { detail } = await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: name, phone });
    await admin.call('passes.register', { userId: detail.member.userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString() });
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
});
