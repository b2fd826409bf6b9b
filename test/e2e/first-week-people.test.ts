// Issue 16 (what staff meet in their first week), items 5, 12, 13 and 14, in Debian's Chromium
// against a real `pass-batch serve` with the demo gym, on SQLite and on MariaDB/MySQL:
//  - 5: a member search says how many it found and adds the next 50 with "more"; with results
//    shown and none picked, the right pane asks to pick one; after registering a pass, the list's
//    "usable passes" pill is the detail's new count;
//  - 12: the Staff screen says the username rule under the new account's field (both languages);
//    an admin sets a new password for a staff member from the Staff screen (confirmed); at
//    their next sign-in the change-password form comes before anything else, refuses a wrong
//    current password and a common one saying why, then opens the console;
//  - 13: a manager filters the notification outbox by member and dates, sees the failed ones with
//    their last error, pages with "more", and resends one after a confirmation (same key);
//  - 14: the session survives a reload and a new tab; signing out in one tab signs out the other.
// Screenshots: test-results/screenshots/<backend>-people-*.png (the notifications screen too).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { toDbTime } from '../../main/batch/index.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

const pillCount = async (page: Page, userId: string) => Number((await page.locator(`[data-testid=member-result][data-user="${userId}"] .pill`).textContent())!.replace(/\D/g, ''));

describe.each(BACKENDS)('first week, people, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  const shot = (page: Page, name: string) => screenshot(page, `${backend}-people-${name}`);
  const open = async (username: string, password: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, password);
    return page;
  };

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('a member search counts and pages its results, asks to pick one, and the pill follows a new pass', async () => {
    const page = await open(STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    const { total } = await admin.call<{ total: number }>('members.search', { query: '010', limit: 1 });
    expect(total).toBeGreaterThan(100);

    await page.getByTestId('member-query').fill('010');
    await page.getByTestId('member-search').click();
    await expect.poll(() => page.getByTestId('member-count').locator('span').textContent()).toBe(`${total.toLocaleString('en-US')}명 중 1–50`);
    expect(await page.getByTestId('member-result').count()).toBe(50);
    expect(await page.locator('.detail-card').textContent()).toContain('목록에서 회원을 고르세요.');
    await page.getByTestId('member-more').click();
    await expect.poll(() => page.getByTestId('member-count').locator('span').textContent()).toBe(`${total.toLocaleString('en-US')}명 중 1–100`);
    expect(await page.getByTestId('member-result').count()).toBe(100);
    await shot(page, '05-member-search');

    const userId = 'M1000001';
    await page.getByTestId('member-query').fill(userId);
    await page.getByTestId('member-search').click();
    await page.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    await page.getByTestId('member-detail').waitFor();
    const before = await pillCount(page, userId);
    const live = async () => page.locator('[data-testid=pass-row]').filter({ hasText: /사용 전|사용 중/ }).count();
    expect(await live()).toBe(before);

    await page.getByTestId('register-open').click();
    await page.getByTestId('register-package').selectOption('1');
    await page.getByTestId('register-method-CARD').check();
    await page.getByTestId('register-submit').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('이용권을 등록했습니다.').waitFor();
    await expect.poll(() => live()).toBe(before + 1);
    await expect.poll(() => pillCount(page, userId)).toBe(before + 1);
    await shot(page, '05-pill-after-register');
  });

  test('the Staff screen says the username rule under its field; an admin sets a password there, and at the next sign-in the person must choose their own first', async () => {
    const page = await open('admin', ADMIN_PASSWORD);
    await goTo(page, 'staff');
    // The new account's username rule is said under its field, in the screen's language.
    const usernameHint = page.locator('label.field:has([data-testid=staff-new-username]) .field-hint');
    expect(await usernameHint.textContent()).toBe('3–50자, 영문 소문자 a-z, 숫자, ".", "_", "-"만 쓸 수 있습니다');
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await usernameHint.textContent()).toBe('3 to 50 characters: letters a-z, digits, ".", "_" and "-" only');
    await page.getByTestId('lang-ko').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'ko');
    await page.locator(`[data-testid=staff-set-password][data-user="${STAFF.manager}"]`).click();
    await page.getByTestId('set-password-new').fill('set-by-admin-2026');
    await page.getByTestId('set-password-confirm').fill('set-by-admin-2026');
    await page.getByTestId('set-password-submit').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain(STAFF.manager);
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('staff-must-change').waitFor();
    await shot(page, '12-staff-set-password');

    // The old password no longer works; the new one opens the change-password form, not the console.
    const person = await openPage(browser, served.url);
    pages.push(person);
    await person.locator('input[name=username]').fill(STAFF.manager);
    await person.locator('input[name=password]').fill('set-by-admin-2026');
    await person.getByTestId('sign-in').click();
    await person.getByTestId('change-password-form').waitFor();
    expect(await person.getByTestId('me-username').count()).toBe(0);
    expect(await person.getByTestId('change-password-hint').textContent()).toContain(STAFF.manager);

    await person.getByTestId('current-password').fill('not-the-password');
    await person.getByTestId('new-password').fill('manager-own-choice');
    await person.getByTestId('confirm-password').fill('manager-own-choice');
    await person.getByTestId('change-password-submit').click();
    await expect.poll(() => person.getByTestId('change-password-error').textContent()).toContain('지금 비밀번호가 맞지 않습니다');

    await person.getByTestId('current-password').fill('set-by-admin-2026');
    await person.getByTestId('new-password').fill('qwertyuiop');
    await person.getByTestId('confirm-password').fill('qwertyuiop');
    await person.getByTestId('change-password-submit').click();
    await expect.poll(() => person.getByTestId('change-password-error').textContent()).toContain('흔한 비밀번호');
    await shot(person, '12-must-change-password');

    await person.getByTestId('new-password').fill('manager-own-choice');
    await person.getByTestId('confirm-password').fill('manager-own-choice');
    await person.getByTestId('change-password-submit').click();
    await person.getByTestId('me-username').waitFor();
    expect(await person.getByTestId('me-username').textContent()).toBe(STAFF.manager);
    const relogin = await Api.login(served.url, STAFF.manager, 'manager-own-choice');
    expect((await relogin.call<{ mustChangePassword: boolean }>('session.me')).mustChangePassword).toBe(false);
  });

  test('a manager filters the notification outbox by member and dates, pages it, and resends a failed one after a confirmation', async () => {
    // a member of the test's own: a demo member has notifications of its own (the seed's history,
    // relative to today, and the every-minute jobs'), which would join the filtered list
    const { userId } = (await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: '알림 시험' })).detail.member;
    const logPath = join(served.workDir, 'notifications.log');
    const db = await openDatabase(served.dbUrl, { poolSize: 1 });
    try {
      const rows = [];
      for (let i = 0; i < 55; i++) {
        const failed = i >= 52;
        rows.push({
          event: 'EXPIRY_REMINDER',
          text: `[체험] 이용권이 곧 만료됩니다 #${i}`,
          sent: failed ? 0 : 1,
          sent_at: failed ? null : toDbTime(new Date(Date.UTC(2026, 10, 3, 1, i))),
          user_id: userId,
          target_key: `pass:e2e-${i}:ENDING`,
          attempts: failed ? 5 : 1,
          last_error: failed ? 'webhook answered 502 Bad Gateway' : null,
          created_at: toDbTime(new Date(Date.UTC(2026, 10, 3, 1, i))),
        });
      }
      await db.kysely.insertInto('notification' as never).values(rows as never).execute();
    } finally {
      await db.close();
    }

    const page = await open(STAFF.manager, 'manager-own-choice');
    await goTo(page, 'notifications');
    await page.getByTestId('notification-member').fill(userId);
    await page.getByTestId('notification-from').fill('2026-11-03');
    await page.getByTestId('notification-to').fill('2026-11-03');
    await page.getByTestId('notification-search').click();
    // the unfiltered list shown before the search has 50 rows too: wait for the search's own first row
    const rows = page.getByTestId('notification-row');
    await expect.poll(() => rows.first().getAttribute('data-status')).toBe('FAILED');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await rows.first().getByTestId('notification-error').textContent()).toBe('webhook answered 502 Bad Gateway');
    await page.getByTestId('notification-more').click();
    await expect.poll(() => page.getByTestId('notification-row').count()).toBe(55);
    expect(await page.getByTestId('notification-more').count()).toBe(0);

    await page.getByTestId('notification-status').selectOption('FAILED');
    await page.getByTestId('notification-search').click();
    await expect.poll(() => page.getByTestId('notification-row').count()).toBe(3);
    await shot(page, 'notifications');

    const first = page.getByTestId('notification-row').first();
    const seq = await first.getAttribute('data-notification');
    await first.getByTestId('notification-resend').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('EXPIRY_REMINDER:pass:e2e-54:ENDING');
    await page.getByTestId('confirm-ok').click();
    await page.locator(`[data-testid=notification-row][data-notification="${seq}"][data-status="SENT"]`).waitFor();
    await shot(page, 'notifications-resent');
    // what the log-file notifier wrote: the same idempotency key as the send step's (the served
    // console's own every-minute reminders may write lines of their own around it)
    const lines = readFileSync(logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { idempotencyKey: string });
    expect(lines.filter((l) => l.idempotencyKey === 'EXPIRY_REMINDER:pass:e2e-54:ENDING')).toHaveLength(1);
    // a front-desk user has no such screen
    const desk = await Api.login(served.url, STAFF.frontDesk, STAFF_PASSWORD);
    expect((await desk.raw('notifications.list', {})).status).toBe(403);
  });

  test('a session survives a reload and a new tab, and signing out in one tab signs out the other', async () => {
    const page = await open(STAFF.frontDesk, STAFF_PASSWORD);
    await page.reload();
    await page.getByTestId('me-username').waitFor();
    const other = await page.context().newPage();
    await other.goto(served.url);
    await other.getByTestId('me-username').waitFor();
    expect(await other.getByTestId('me-username').textContent()).toBe(STAFF.frontDesk);

    await page.getByTestId('sign-out').click();
    await page.locator('#login-title').waitFor();
    await other.locator('#login-title').waitFor();
    await other.reload();
    await other.locator('#login-title').waitFor();
    expect(await other.getByTestId('me-username').count()).toBe(0);
  });
});
