// Accessibility (issue 21): axe-core 4 (WCAG 2.1 A and AA) in Debian's Chromium on every screen,
// the execution detail and every dialog, in Korean and in English, signed in as admin on the demo
// gym, on SQLite and on MariaDB/MySQL; and the check-in kiosk (issue 18) at each of its steps,
// signed in with a kiosk account at /kiosk. Any critical or serious violation fails the test; every
// violation found is printed by rule.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classStartToday, longestWaitForToday } from '../support/classToday.ts';
import { blocking, byRule, scan, type AxeViolation } from './support/axe.ts';
import { goTo, launchBrowser, openPage, signIn } from './support/browser.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, STAFF_PASSWORD, startServe, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();
const SCREENS = ['executions', 'schedules', 'bulkGrants', 'statistics', 'reports', 'audit', 'staff', 'settings', 'members', 'notifications', 'imports', 'classes'] as const;
const CLASS_MS = 50 * 60_000;
/** The member the kiosk finds (the last four digits of their phone), booked into today's class. */
const KIOSK_MEMBER = { name: '접근성', masked: '접*성', phone: '010-2468-7531', last4: '7531' };

/** Waits until the execution has ended (beforeAll may not use expect.poll) and says how. */
async function finished(admin: Api, id: number): Promise<string> {
  for (let tries = 0; tries < 360; tries++) {
    const { status } = await admin.call<{ status: string }>('executions.get', { id });
    if (status === 'COMPLETED' || status === 'FAILED') return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`execution ${id} did not end`);
}

async function setLang(page: Page, lang: 'ko' | 'en'): Promise<void> {
  await page.getByTestId(`lang-${lang}`).first().click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

function report(backend: string, name: string, violations: AxeViolation[]): void {
  const lines = byRule(violations);
  console.log(`[axe ${backend} ${name}] ${lines.length ? lines.join('; ') : 'no violations'}`);
  writeFileSync(join('test-results', `axe-${backend}-${name}.json`), JSON.stringify(violations, null, 2));
}

describe.each(BACKENDS)('accessibility on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;
  let failedId: number;
  let bookingSeq: number;

  beforeAll(async () => {
    served = await startServe(backend);
    admin = await Api.login(served.url, 'admin', ADMIN_PASSWORD);
    // A completed statistics run (so there are reports to preview) and a failed one (a red badge,
    // Restart and Abandon): its report folder's parent is a file.
    const monday = DateTime.now().setZone(ZONE).startOf('week');
    const week = { from: monday.minus({ weeks: 1 }).toISO(), to: monday.toISO() };
    const weekBefore = { from: monday.minus({ weeks: 2 }).toISO(), to: monday.minus({ weeks: 1 }).toISO() };
    const ok = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params: week });
    expect(await finished(admin, ok.id)).toBe('COMPLETED');
    writeFileSync(join(served.workDir, 'blocked'), 'not a folder');
    const bad = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params: { ...weekBefore, reportDir: join(served.workDir, 'blocked', 'reports') } });
    expect(await finished(admin, bad.id)).toBe('FAILED');
    failedId = bad.id;
    // Today's class with a member booked (the Classes screen's attendance, the kiosk's check-in),
    // and the kiosk's account.
    const start = DateTime.fromJSDate(await classStartToday({ lengthMs: CLASS_MS }), { zone: ZONE });
    const local = (at: DateTime) => at.toFormat("yyyy-MM-dd'T'HH:mm");
    const pkg = (await admin.call<{ packageSeq: number; count: number | null; price: number | null }[]>('packages.list')).find((p) => p.count !== null)!;
    const { userId } = (await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: KIOSK_MEMBER.name, phone: KIOSK_MEMBER.phone })).detail.member;
    const { passes } = await admin.call<{ passes: { passSeq: number }[] }>('passes.register', { userId, packageSeq: pkg.packageSeq, startedAt: local(start.minus({ days: 1 })), ...(pkg.price ? { paymentMethod: 'CARD' } : {}) });
    const [cls] = await admin.call<{ classSeq: number }[]>('classes.create', { title: '접근성 요가', startedAt: local(start), endedAt: local(start.plus({ milliseconds: CLASS_MS })), capacity: 5, packageSeqs: [pkg.packageSeq] });
    bookingSeq = (await admin.call<{ bookingSeq: number }>('bookings.create', { classSeq: cls!.classSeq, userId, passSeq: passes[0]!.passSeq })).bookingSeq;
    await admin.call('staff.create', { username: 'kiosk.a11y', password: STAFF_PASSWORD, role: 'KIOSK' });
    browser = await launchBrowser();
    page = await openPage(browser, served.url);
  }, 180_000 + longestWaitForToday({ lengthMs: CLASS_MS }));

  afterAll(async () => {
    await page?.context().close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await served?.stop();
  });

  test('the sign-in screen and all twelve screens have no critical or serious violation, in Korean and in English', async () => {
    const found: AxeViolation[] = [];
    await page.locator('input[name=username]').waitFor();
    found.push(...(await scan(page, 'login.ko')));
    await setLang(page, 'en');
    found.push(...(await scan(page, 'login.en')));
    await setLang(page, 'ko');
    await signIn(page, 'admin', ADMIN_PASSWORD);

    const ready: Record<(typeof SCREENS)[number], () => Promise<void>> = {
      executions: async () => {
        await page.locator(`[data-testid=exec-row][data-id="${failedId}"]`).click();
        await page.locator('[data-testid=exec-detail][data-status="FAILED"]').waitFor();
      },
      schedules: () => page.getByTestId('schedule-row').first().waitFor(),
      members: async () => {
        await page.getByTestId('member-query').fill('M1000001');
        await page.getByTestId('member-search').click();
        await page.getByTestId('member-result').first().click();
        await page.getByTestId('pass-row').first().waitFor();
      },
      bulkGrants: () => page.getByTestId('grant-row').first().waitFor(),
      statistics: () => page.getByTestId('stats-totals').waitFor(),
      reports: async () => {
        await page.getByTestId('report-row').first().click();
        await page.locator('[data-testid=report-preview] tbody tr').first().waitFor();
      },
      audit: () => page.getByTestId('audit-row').first().waitFor(),
      staff: () => page.getByTestId('staff-row').first().waitFor(),
      settings: () => page.getByTestId('settings-timezone').waitFor(),
      // the outbox: its rows, or the words that say it is empty
      notifications: () => page.locator('main[data-screen=notifications] :is([data-testid=notification-row], .state-empty)').first().waitFor(),
      // the member import with a file chosen: its column mapping and first rows, one of them refused
      imports: async () => {
        const csv = '\uFEFF회원번호,이름,전화번호,그룹\r\nA11Y0001,접근성,010-1234-5678,\r\nA11Y0002,,02-12,\r\n';
        await page.getByTestId('import-file').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await page.locator('[data-testid=import-rows] tbody tr').first().waitFor();
      },
      // today's classes (the desk's attendance list)
      classes: async () => {
        await page.getByTestId('classes-today').click();
        await page.getByTestId('today-list').getByTestId('class-card').first().waitFor();
      },
    };
    try {
      for (const screen of SCREENS) {
        await goTo(page, screen);
        await ready[screen]();
        found.push(...(await scan(page, `${screen}.ko`)));
        await setLang(page, 'en');
        found.push(...(await scan(page, `${screen}.en`)));
        await setLang(page, 'ko');
      }
    } finally {
      report(backend, 'screens', found);
    }
    expect(blocking(found)).toEqual([]);
  });

  test('the launch dialog, a confirmation over it, the restart confirmation, the schedule editor and the shortcuts list have no critical or serious violation', async () => {
    const found: AxeViolation[] = [];
    await goTo(page, 'executions');
    await page.getByTestId('launch-open').click();
    await page.getByTestId('launch-job').selectOption('makeStatisticsJob');
    found.push(...(await scan(page, 'launch-dialog')));
    await page.getByTestId('launch-submit').click();
    await page.getByTestId('confirm-dialog').waitFor();
    found.push(...(await scan(page, 'launch-confirm')));
    // Escape closes the confirmation only: the launch form under it stays, filled in.
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('launch-dialog').isVisible()).toBe(true);
    expect(await page.getByTestId('launch-job').inputValue()).toBe('makeStatisticsJob');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('launch-submit');
    await page.keyboard.press('Escape');
    await page.getByTestId('launch-dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('launch-open');

    await page.locator(`[data-testid=exec-row][data-id="${failedId}"]`).click();
    await page.getByTestId('action-restart').click();
    await page.getByTestId('confirm-dialog').waitFor();
    found.push(...(await scan(page, 'restart-confirm')));
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });

    await goTo(page, 'schedules');
    await page.getByTestId('schedule-row').first().getByRole('button', { name: '변경' }).click();
    await page.getByRole('dialog').waitFor();
    found.push(...(await scan(page, 'schedule-dialog')));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // a class of today with its attendance: one member marked attended (the pressed toggle, the time)
    await goTo(page, 'classes');
    await page.getByTestId('classes-today').click();
    await page.getByTestId('today-list').getByTestId('class-card').filter({ hasText: '접근성 요가' }).click();
    await page.getByTestId(`attend-${bookingSeq}`).click();
    await page.locator(`[data-testid=attend-${bookingSeq}][aria-pressed=true]`).waitFor();
    found.push(...(await scan(page, 'class-attendance')));
    await page.getByTestId(`attend-${bookingSeq}`).click();
    await page.locator(`[data-testid=attend-${bookingSeq}][aria-pressed=false]`).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('class-dialog').waitFor({ state: 'detached' });

    await page.locator('main h1').focus();
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-dialog').waitFor();
    found.push(...(await scan(page, 'shortcuts-dialog')));
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'detached' });
    report(backend, 'dialogs', found);
    expect(blocking(found)).toEqual([]);
  });

  test('the check-in kiosk at /kiosk, each step (digits, names, the member, checked in), has no critical or serious violation, in Korean and in English', async () => {
    const found: AxeViolation[] = [];
    const kiosk = await openPage(browser, `${served.url}/kiosk`);
    const both = async (name: string) => {
      found.push(...(await scan(kiosk, `${name}.ko`)));
      await setLang(kiosk, 'en');
      found.push(...(await scan(kiosk, `${name}.en`)));
      await setLang(kiosk, 'ko');
    };
    try {
      await kiosk.getByTestId('kiosk-sign-in-note').waitFor();
      await both('kiosk-sign-in');
      await kiosk.locator('input[name=username]').fill('kiosk.a11y');
      await kiosk.locator('input[name=password]').fill(STAFF_PASSWORD);
      await kiosk.getByTestId('sign-in').click();
      await kiosk.getByTestId('kiosk-digits').waitFor();
      await both('kiosk-digits');
      for (const key of KIOSK_MEMBER.last4) await kiosk.getByTestId(`kiosk-key-${key}`).click();
      await kiosk.getByTestId('kiosk-find').click();
      await kiosk.getByTestId('kiosk-match').filter({ hasText: KIOSK_MEMBER.masked }).first().waitFor();
      await both('kiosk-names');
      await kiosk.getByTestId('kiosk-match').filter({ hasText: KIOSK_MEMBER.masked }).first().click();
      await kiosk.getByTestId(`kiosk-booking-${bookingSeq}`).waitFor();
      await both('kiosk-member');
      await kiosk.getByTestId(`kiosk-checkin-${bookingSeq}`).click();
      await kiosk.getByTestId('kiosk-done').waitFor();
      // scanned at once: the confirmation goes back to the digits by itself after 10 s
      found.push(...(await scan(kiosk, 'kiosk-done.ko')));
    } finally {
      report(backend, 'kiosk', found);
      await kiosk.context().close().catch(() => undefined);
    }
    expect(blocking(found)).toEqual([]);
  });
});
