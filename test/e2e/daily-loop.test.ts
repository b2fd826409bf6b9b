// Issue 18's acceptance, in Debian's Chromium against a real `pass-batch serve` with the demo gym,
// on SQLite and on MariaDB/MySQL: a gym's day on Pass Console alone. The desk imports the old
// program's member list (three bad rows: a dry run, then the real run, and a rejects file holding
// exactly those three with the reason), schedules a class on the Classes screen and books
// imported members into it, one through the waitlist; the reminders go out 10 minutes before the
// class; that member checks in at the kiosk (a second window at /kiosk, signed in with a KIOSK
// account the admin made on the Staff screen); the class ends and usePassesJob deducts under the
// default policy, the attended member and the no-show alike. A second class is then settled with
// no-shows not deducted (Settings): only the member the desk marked attended loses a use.
//
// Times: bookings use the real clock, so the classes start a little ahead of now (today, for the
// kiosk) and the jobs are launched with a `now` of their own (10 minutes before, after the end).
// Screenshots: test-results/screenshots/<backend>-daily-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { classStartToday, longestWaitForToday } from '../support/classToday.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { fillDateTime } from './support/dateTime.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();
const ZONE = 'Asia/Seoul';
const MINUTE = 60_000;
const PT10 = 'PT 10회 / 60일';
const KIOSK_USER = 'kiosk.front';
/** class A lasts this long (made on the Classes screen, it ends the day it starts); class B three times as long */
const CLASS_A_MS = 10 * MINUTE;
/** class A starts in half an hour, or later in the day at least this far ahead (it is booked and checked in to before it starts) */
const TODAY = { aheadMs: 30 * MINUTE, roomMs: 5 * MINUTE, timeZone: ZONE, lengthMs: CLASS_A_MS };

interface Row {
  id: string;
  name: string;
  /** masked as the kiosk shows it */
  masked: string;
  last4: string;
}

describe.each(BACKENDS)('the daily loop, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let desk: Page;
  let boss: Page;
  let kiosk: Page;

  servedConsole(backend, () => [kiosk, boss, desk], (parts) => ({ served, admin, browser } = parts));

  beforeAll(async () => {
    // Only this test's runs remind and deduct: no scheduled fire of those jobs with the real clock.
    for (const job of ['sendNotificationBeforeClassJob', 'usePassesJob']) await admin.call('schedules.update', { job, enabled: false });
  });

  /** four digits no member's phone ends in yet, `n` of them */
  async function unusedLast4(n: number): Promise<string[]> {
    const found: string[] = [];
    for (let d = 4101; found.length < n; d += 7) {
      const { total } = await admin.call<{ total: number }>('members.search', { query: String(d), limit: 1 });
      if (total === 0) found.push(String(d));
    }
    return found;
  }

  const remaining = async (userId: string) => {
    const { passes } = await admin.call<{ passes: Array<{ packageName: string; remainingCount: number | null }> }>('members.passes', { userId });
    expect(passes.map((p) => p.packageName)).toEqual([PT10]);
    return passes[0]!.remainingCount;
  };

  /** The class's bookings as the service has them, by member. */
  const bookingsOf = async (classSeq: number) => {
    const detail = await admin.call<{ bookings: Array<{ bookingSeq: number; userId: string; status: string; attended: boolean }> }>('classes.get', { classSeq });
    return new Map(detail.bookings.map((b) => [b.userId, b]));
  };

  /** On the Executions screen, as the admin: launches `job` with `now`, and waits for the run to complete. */
  async function launchJob(job: string, now: Date): Promise<number> {
    const latest = async () => (await admin.call<{ items: Array<{ id: number }> }>('executions.list', { job, page: 1, pageSize: 1 })).items[0]?.id ?? 0;
    const before = await latest();
    await goTo(boss, 'executions');
    await boss.getByTestId('launch-open').click();
    await boss.getByTestId('launch-job').selectOption(job);
    await fillDateTime(boss, 'now', DateTime.fromJSDate(now, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm"));
    await boss.getByTestId('launch-submit').click();
    await boss.getByTestId('confirm-ok').click();
    await expect.poll(latest, { timeout: 30_000 }).toBeGreaterThan(before);
    const id = await latest();
    await boss.locator(`[data-testid=exec-detail][data-status="COMPLETED"] h2[data-id="${id}"]`).waitFor({ timeout: 120_000 });
    return id;
  }

  /** In the open class dialog: finds a member by the last four digits of their phone and books them with their pass. */
  async function book(last4: string, userId: string) {
    const dialog = desk.getByTestId('class-dialog');
    await dialog.getByTestId('book-query').fill(last4);
    await dialog.getByTestId('book-search').click();
    await dialog.locator(`[data-testid=book-member][data-user="${userId}"]`).click();
    await expect.poll(() => dialog.getByTestId('book-pass').inputValue()).not.toBe('');
    await dialog.getByTestId('book-submit').click();
  }

  /** Today's classes on the Classes screen, and the one titled `title` opened. */
  async function openToday(title: string) {
    await goTo(desk, 'classes');
    await desk.getByTestId('classes-today').click();
    await desk.getByTestId('today-list').waitFor();
    await desk.getByTestId('today-list').getByTestId('class-card').filter({ hasText: title }).click();
    await desk.getByTestId('class-detail').waitFor();
    return desk.getByTestId('class-dialog');
  }

  test('import with three bad rows, a class booked one through the waitlist, the reminder 10 minutes before, a kiosk check-in, and passes deducted per the no-show policy', async () => {
    const digits = await unusedLast4(5);
    const rows: Row[] = [
      { id: 'LOOP0001', name: '김하루', masked: '김*루', last4: digits[0]! },
      { id: 'LOOP0002', name: '이나래', masked: '이*래', last4: digits[1]! },
      { id: 'LOOP0003', name: '박보람', masked: '박*람', last4: digits[2]! },
      { id: 'LOOP0004', name: '최다온', masked: '최*온', last4: digits[3]! },
      { id: 'LOOP0005', name: '정새봄', masked: '정*봄', last4: digits[4]! },
    ];
    const [cancels, noShow, waiting, attendedB, noShowB] = rows as [Row, Row, Row, Row, Row];
    const phone = (r: Row) => `010-73${r.last4.slice(0, 2)}-${r.last4}`;
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).toFormat('yyyy-MM-dd');
    const bad = [
      ['LOOPX001', '', '010-7399-0001', '', PT10, '10', yesterday, ''],
      ['LOOPX002', '전화오류', '02-12', '', PT10, '10', yesterday, ''],
      ['LOOPX003', '없는이용권', '010-7399-0003', '', '요가 무제한', '5', yesterday, ''],
    ];
    const csv = [
      '회원번호,이름,전화번호,그룹,이용권,잔여횟수,시작일,종료일',
      ...rows.slice(0, 2).map((r) => [r.id, r.name, phone(r), '', PT10, '10', yesterday, ''].join(',')),
      bad[0]!.join(','),
      ...rows.slice(2, 4).map((r) => [r.id, r.name, phone(r), '', PT10, '10', yesterday, ''].join(',')),
      bad[1]!.join(','),
      bad[2]!.join(','),
      [rows[4]!.id, rows[4]!.name, phone(rows[4]!), '', PT10, '10', yesterday, ''].join(','),
    ].join('\r\n');

    // ---- the member list from the old program: a dry run, then the real run -------------------
    desk = await openPage(browser, served.url);
    await signIn(desk, STAFF.frontDesk, STAFF_PASSWORD);
    await goTo(desk, 'imports');
    await desk.getByTestId('import-file').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) });
    await desk.getByTestId('import-preview').waitFor();
    expect(await desk.locator('[data-testid=import-rows] tbody tr[data-problem=yes]').count()).toBe(3);
    await desk.getByTestId('import-dry-run').click();
    const dry = desk.locator('[data-testid=import-outcome][data-dry-run="true"]');
    await dry.waitFor({ timeout: 60_000 });
    expect([await dry.getByTestId('import-read').textContent(), await dry.getByTestId('import-written').textContent(), await dry.getByTestId('import-skipped').textContent()]).toEqual(['8', '5', '3']);
    // a dry run writes nothing
    expect((await admin.raw('members.passes', { userId: cancels.id })).status).toBe(404);
    await screenshot(desk, `${backend}-daily-01-import-dry-run`);

    await desk.getByTestId('import-run').click();
    const real = desk.locator('[data-testid=import-outcome][data-dry-run="false"]');
    await real.waitFor({ timeout: 60_000 });
    expect([await real.getByTestId('import-written').textContent(), await real.getByTestId('import-skipped').textContent()]).toEqual(['5', '3']);
    const [download] = await Promise.all([desk.waitForEvent('download'), real.getByTestId('import-rejects').click()]);
    const rejects = parse(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''), { relaxColumnCount: false }) as string[][];
    // the original rows as they were, and a reason column in the screen's language
    expect(rejects[0]).toEqual(['회원번호', '이름', '전화번호', '그룹', '이용권', '잔여횟수', '시작일', '종료일', '사유']);
    expect(rejects.slice(1).map((r) => r.slice(0, 8))).toEqual(bad);
    for (const r of rejects.slice(1)) expect(r[8]!.length).toBeGreaterThan(3);
    expect(rejects.slice(1).map((r) => r[8])).toEqual(['이름이 비어 있습니다', expect.stringContaining('"02-12"'), expect.stringContaining('"요가 무제한"')]);
    for (const r of rows) expect(await remaining(r.id)).toBe(10);
    await screenshot(desk, `${backend}-daily-02-imported`);

    // ---- a class on the Classes screen: two places, three members, one through the waitlist ----
    const start = await classStartToday(TODAY);
    const startAt = DateTime.fromJSDate(start, { zone: ZONE });
    await goTo(desk, 'classes');
    await desk.getByTestId('class-new').click();
    const form = desk.getByTestId('class-form');
    await form.getByTestId('class-form-title').fill('저녁 필라테스');
    await form.getByTestId('class-form-day').fill(startAt.toFormat('yyyy-MM-dd'));
    await form.getByTestId('class-form-start').fill(startAt.toFormat('HH:mm'));
    await form.getByTestId('class-form-end').fill(startAt.plus({ milliseconds: CLASS_A_MS }).toFormat('HH:mm'));
    await form.getByTestId('class-form-capacity').fill('2');
    await form.getByLabel(PT10).check();
    await form.getByTestId('class-form-submit').click();
    await desk.getByText('수업 1개를 만들었습니다.').waitFor();
    const listed = await admin.call<Array<{ classSeq: number; title: string; startedAt: string; endedAt: string; capacity: number }>>('classes.list', {
      from: startAt.toFormat('yyyy-MM-dd'),
      to: startAt.plus({ days: 1 }).toFormat('yyyy-MM-dd'),
    });
    const classA = listed.find((c) => c.title === '저녁 필라테스')!;
    expect([Date.parse(classA.startedAt), Date.parse(classA.endedAt), classA.capacity]).toEqual([start.getTime(), start.getTime() + CLASS_A_MS, 2]);

    let dialog = await openToday('저녁 필라테스');
    await book(cancels.last4, cancels.id);
    await desk.getByText(`${cancels.name} 회원을 예약했습니다.`).waitFor();
    await book(noShow.last4, noShow.id);
    await desk.getByText(`${noShow.name} 회원을 예약했습니다.`).waitFor();
    await book(waiting.last4, waiting.id);
    await desk.getByText(`정원이 차서 ${waiting.name} 회원을 대기 1번으로 올렸습니다.`).waitFor();
    expect(await dialog.locator(`[data-testid=class-waitlist] [data-user="${waiting.id}"]`).count()).toBe(1);
    await screenshot(desk, `${backend}-daily-03-class-full-with-waitlist`);
    // the first cancels: the waiting member moves into the place
    await dialog.locator(`[data-testid=class-booking][data-user="${cancels.id}"]`).getByTestId('booking-cancel').click();
    await desk.getByTestId('confirm-ok').click();
    await expect.poll(() => dialog.locator(`[data-testid=class-booking][data-user="${waiting.id}"]`).getAttribute('data-status')).toBe('READY');
    expect(await dialog.locator(`[data-testid=class-booking][data-user="${cancels.id}"]`).getAttribute('data-status')).toBe('CANCELLED');
    const inA = await bookingsOf(classA.classSeq);
    expect([inA.get(noShow.id)?.status, inA.get(waiting.id)?.status, inA.get(cancels.id)?.status]).toEqual(['READY', 'READY', 'CANCELLED']);
    // a cancellation within the default 3 hours is late: it took its use at once
    expect(await remaining(cancels.id)).toBe(9);
    await desk.keyboard.press('Escape');

    // ---- the second class, settled later under the other policy: made and booked behind the screens
    const [classB] = await admin.call<Array<{ classSeq: number }>>('classes.create', {
      title: '심야 요가',
      startedAt: start.toISOString(),
      endedAt: new Date(start.getTime() + 3 * CLASS_A_MS).toISOString(),
      capacity: 5,
      packageSeqs: [1],
    });
    for (const r of [attendedB, noShowB]) {
      const { passes } = await admin.call<{ passes: Array<{ passSeq: number }> }>('members.passes', { userId: r.id });
      await admin.call('bookings.create', { classSeq: classB!.classSeq, userId: r.id, passSeq: passes[0]!.passSeq });
    }
    const inB = await bookingsOf(classB!.classSeq);

    // ---- the reminder, 10 minutes before the class (the Executions screen, as the admin) --------
    boss = await openPage(browser, served.url);
    await signIn(boss, 'admin', ADMIN_PASSWORD);
    await launchJob('sendNotificationBeforeClassJob', new Date(start.getTime() - 10 * MINUTE));
    const outbox = await admin.call<{ items: Array<{ event: string; userId: string; text: string; status: string }> }>('notifications.list', { pageSize: 100 });
    const reminders = outbox.items.filter((n) => n.event === 'BEFORE_CLASS');
    for (const r of [noShow, waiting]) {
      expect(reminders.filter((n) => n.userId === r.id)).toEqual([expect.objectContaining({ status: 'SENT', text: `${r.name}님, 10분 후 ${startAt.toFormat('HH:mm')} 수업이 시작됩니다.` })]);
    }
    expect(reminders.filter((n) => n.userId === cancels.id)).toEqual([]);
    // the member who moved in from the waitlist was told so in the same run
    expect(outbox.items.filter((n) => n.event === 'WAITLIST_BOOKED')).toEqual([expect.objectContaining({ userId: waiting.id, status: 'SENT' })]);
    // and the notification log has them, as it would have been sent
    const log = readFileSync(join(served.workDir, 'notifications.log'), 'utf8');
    for (const r of [noShow, waiting]) expect(log).toContain(`${r.name}님, 10분 후 ${startAt.toFormat('HH:mm')} 수업이 시작됩니다.`);
    await screenshot(boss, `${backend}-daily-04-reminders-sent`);

    // ---- the kiosk: an account the admin makes on the Staff screen, a second window at /kiosk -----
    await goTo(boss, 'staff');
    await boss.getByTestId('staff-new-username').fill(KIOSK_USER);
    await boss.getByTestId('staff-new-password').fill(STAFF_PASSWORD);
    await boss.getByTestId('staff-new-role').selectOption('KIOSK');
    await boss.getByTestId('staff-new-submit').click();
    await boss.locator(`[data-testid=staff-row][data-user="${KIOSK_USER}"][data-role="KIOSK"]`).waitFor();

    kiosk = await openPage(browser, `${served.url}/kiosk`);
    await kiosk.locator('input[name=username]').fill(KIOSK_USER);
    await kiosk.locator('input[name=password]').fill(STAFF_PASSWORD);
    await kiosk.getByTestId('sign-in').click();
    await kiosk.getByTestId('kiosk-screen').waitFor();
    expect(await kiosk.locator('[data-testid^=nav-]').count()).toBe(0);
    // the member taps the last four digits of their phone on the keypad
    for (const key of waiting.last4) await kiosk.getByTestId(`kiosk-key-${key}`).click();
    await expect.poll(() => kiosk.getByTestId('kiosk-digits').inputValue()).toBe(waiting.last4);
    await kiosk.getByTestId('kiosk-find').click();
    await expect.poll(() => kiosk.getByTestId('kiosk-match').allTextContents()).toEqual([waiting.masked]);
    await kiosk.getByTestId('kiosk-match').click();
    await kiosk.getByTestId('kiosk-member').waitFor();
    const waitingBooking = inA.get(waiting.id)!.bookingSeq;
    expect(await kiosk.getByTestId(`kiosk-booking-${waitingBooking}`).getAttribute('data-can-check-in')).toBe('true');
    const memberShown = await kiosk.locator('body').innerText();
    await screenshot(kiosk, `${backend}-daily-05-kiosk-member`);
    await kiosk.getByTestId(`kiosk-checkin-${waitingBooking}`).click();
    await kiosk.getByTestId('kiosk-done').waitFor();
    // the kiosk showed a masked name: never the member's id, name or phone
    const shown = `${memberShown}\n${await kiosk.locator('body').innerText()}`;
    expect(shown).toContain(waiting.masked);
    for (const secret of [waiting.id, waiting.name, phone(waiting), phone(waiting).replace(/-/g, '')]) expect(shown).not.toContain(secret);
    await screenshot(kiosk, `${backend}-daily-06-kiosk-checked-in`);
    expect((await bookingsOf(classA.classSeq)).get(waiting.id)?.attended).toBe(true);

    // the desk sees it; and marks the second class's member attended there
    dialog = await openToday('저녁 필라테스');
    await expect.poll(() => dialog.getByTestId(`attend-${waitingBooking}`).getAttribute('aria-pressed')).toBe('true');
    expect(await dialog.getByTestId(`attend-${inA.get(noShow.id)!.bookingSeq}`).getAttribute('aria-pressed')).toBe('false');
    await desk.keyboard.press('Escape');
    dialog = await openToday('심야 요가');
    const attendB = dialog.getByTestId(`attend-${inB.get(attendedB.id)!.bookingSeq}`);
    await attendB.click();
    await expect.poll(() => attendB.getAttribute('aria-pressed')).toBe('true');
    expect(await dialog.getByTestId(`attend-${inB.get(noShowB.id)!.bookingSeq}`).getAttribute('aria-pressed')).toBe('false');
    await screenshot(desk, `${backend}-daily-07-desk-attendance`);
    await desk.keyboard.press('Escape');

    // ---- the first class ends: usePassesJob deducts by default the attended member and the no-show alike
    await launchJob('usePassesJob', new Date(start.getTime() + CLASS_A_MS + MINUTE));
    expect([await remaining(noShow.id), await remaining(waiting.id), await remaining(cancels.id)]).toEqual([9, 9, 9]);
    // the second class has not ended: nothing of it yet
    expect([await remaining(attendedB.id), await remaining(noShowB.id)]).toEqual([10, 10]);

    // ---- no-shows not deducted (Settings), then the second class ends --------------------------
    await goTo(boss, 'settings');
    const noShows = boss.getByTestId('settings-deduct-no-shows');
    expect(await noShows.isChecked()).toBe(true);
    await noShows.uncheck();
    await boss.getByTestId('settings-save').click();
    // the change, in words, to confirm
    expect(await boss.getByTestId('settings-changes').locator('li').count()).toBe(1);
    await boss.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await admin.call<{ bookingPolicy: { deductNoShows: boolean } }>('settings.get')).bookingPolicy.deductNoShows).toBe(false);
    await screenshot(boss, `${backend}-daily-08-no-shows-free`);
    await launchJob('usePassesJob', new Date(start.getTime() + 3 * CLASS_A_MS + MINUTE));
    expect([await remaining(attendedB.id), await remaining(noShowB.id)]).toEqual([9, 10]);
    // exactly once: the first class's members lost nothing more
    expect([await remaining(noShow.id), await remaining(waiting.id), await remaining(cancels.id)]).toEqual([9, 9, 9]);
    await screenshot(boss, `${backend}-daily-09-deducted`);
    // late in the day classStartToday waits for the next: the test's time adds that wait
  }, 180_000 + longestWaitForToday(TODAY));
});
