// The acceptance flows of the console screens (issue 5), in Debian's Chromium against a real
// `pass-batch serve` with the demo gym, on SQLite and on MariaDB/MySQL:
//  - a front-desk user registers a bulk grant, grants it now (addPassesJob), the member screen shows the pass;
//  - an admin sees an execution the test made fail, fixes the cause, restarts it with one click,
//    and watches it reach COMPLETED with its counts; then another (expirePassesJob, stopped at a
//    chunk by a database gate the test controls) whose restart shows its live progress bar part
//    way before it completes;
//  - an admin edits the settings (time zone, language, notifier) with a confirmation, sends a
//    test notification and tests a database address;
//  - the first run (no staff account) asks for the admin's password instead of a sign-in;
//  - a manager opens last week's statistics and a weekly report;
//  - a front-desk user sees no restart, stop or settings controls, and the API refuses them (403);
//  - switching to English changes the visible text;
//  - an execution another application (Spring Batch) left running is shown as its, and an admin
//    marks it failed after a confirmation.
// Every screen is saved at 1280×800 to test-results/screenshots/<backend>-<screen>.png.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { insertForeignExecution } from '../support/foreignExecution.ts';
import { blocking, scan } from './support/axe.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { fillDateTime, fillDateTimeField } from './support/dateTime.ts';
import { passGate } from './support/passGate.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('console on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  const shot = (page: Page, name: string, options?: { english?: boolean }) => screenshot(page, `${backend}-${name}`, options);
  const open = async (username: string, password: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, password);
    return page;
  };

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  test('the sign-in screen loads with no error in the browser console (no missing icon, no refused session check), refuses a wrong password and lets staff in', async () => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    // Loaded afresh with the listeners on: every console error and every answer of 400 or more.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.reload({ waitUntil: 'networkidle' });
    await expect(page.locator('#login-title').textContent()).resolves.toBe('직원 로그인');
    expect(problems).toEqual([]);
    await shot(page, '01-login');
    await page.locator('input[name=username]').fill('admin');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.getByTestId('sign-in').click();
    await page.getByTestId('login-error').waitFor();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    expect(await page.getByTestId('me-role').textContent()).toBe('관리자');
  });

  test('a front-desk user registers a bulk grant, grants it now, and the member screen shows the new pass', async () => {
    const desk = await Api.login(served.url, STAFF.frontDesk, STAFF_PASSWORD);
    let member: { userId: string; status: string } | undefined;
    for (let n = 1_000_001; !member && n < 1_000_050; n++) {
      member = (await desk.call<{ members: { userId: string; status: string }[] }>('members.search', { query: `M${n}` })).members.find((m) => m.status === 'ACTIVE');
    }
    if (!member) throw new Error('no active member among the first 50');
    const groups = await desk.call<{ userGroupId: string; userGroupName: string; activeMemberCount: number }[]>('groups.list');
    const all = groups.find((g) => g.userGroupId === 'ALL')!;

    const page = await open(STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    await goTo(page, 'bulkGrants');
    await page.getByTestId('grant-row').first().waitFor();
    const start = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 9, minute: 0 });
    await page.getByTestId('grant-package').selectOption('5');
    await page.getByTestId('grant-group').selectOption('ALL');
    await page.getByTestId('grant-count').fill('3');
    await fillDateTimeField(page, 'grant-start', start.toFormat("yyyy-MM-dd'T'HH:mm"));
    const sentence = `${start.year}년 ${start.month}월 ${start.day}일 09:00에 ${all.userGroupName} ${all.activeMemberCount.toLocaleString('en-US')}명에게 필라테스 1회 체험 (3회)`;
    await expect.poll(() => page.getByTestId('grant-preview').textContent()).toBe(sentence);
    await shot(page, '05-bulk-grant');
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain(sentence);
    await page.getByTestId('confirm-ok').click();
    await page.getByText('일괄 지급을 등록했습니다.').waitFor();

    // The new grant is the newest scheduled one.
    const grants = await desk.call<{ bulkPassSeq: number; status: string; count: number | null }[]>('bulkGrants.list', { status: 'READY' });
    const grant = grants.filter((g) => g.count === 3).sort((a, b) => b.bulkPassSeq - a.bulkPassSeq)[0]!;
    const row = page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('READY');

    await row.getByTestId('grant-now').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"][data-status="COMPLETED"]`).waitFor({ timeout: 60_000 });
    const created = await page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"] td.num`).nth(1).textContent();
    expect(Number(created!.replace(/,/g, ''))).toBeGreaterThan(0);
    await shot(page, '05-bulk-grant-granted');

    await goTo(page, 'members');
    await page.getByTestId('member-query').fill(member.userId);
    await page.getByTestId('member-search').click();
    await page.locator(`[data-testid=member-result][data-user="${member.userId}"]`).click();
    await page.getByTestId('member-detail').waitFor();
    const pass = page.locator('[data-testid=pass-row][data-package="5"]', { hasText: '3회' });
    await pass.first().waitFor();
    expect(await pass.first().textContent()).toContain('이용권 일괄 지급');
    await shot(page, '04-member-passes');
  });

  test('an admin sees a failed execution, fixes the cause, restarts it with one click and watches it complete', async () => {
    // The cause: the report folder's parent is a file, so the report steps cannot write.
    const blocker = join(served.workDir, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const monday = DateTime.now().setZone(ZONE).startOf('week');
    const from = monday.minus({ weeks: 1 }).toFormat("yyyy-MM-dd'T'HH:mm");
    const to = monday.toFormat("yyyy-MM-dd'T'HH:mm");

    const page = await open('admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"]');
    await page.getByTestId('launch-open').click();
    await page.getByTestId('launch-job').selectOption('makeStatisticsJob');
    await fillDateTime(page, 'from', from);
    await fillDateTime(page, 'to', to);
    await page.locator('[data-param=reportDir]').fill(join(blocker, 'reports'));
    await shot(page, '02-launch-form');
    await page.getByTestId('launch-submit').click();
    await page.getByTestId('confirm-ok').click();

    const detail = page.getByTestId('exec-detail');
    await page.locator('[data-testid=exec-detail][data-status="FAILED"]').waitFor({ timeout: 60_000 });
    const failedId = Number((await detail.locator('h2 .mono').textContent())!.replace('#', ''));
    expect(await page.getByTestId('exit-message').textContent()).toMatch(/ENOTDIR|not a directory|EEXIST/i);
    // What went wrong in words; the engine's text and where in the code, folded away for a developer.
    const exit = page.getByTestId('exit-message');
    expect(await exit.getByTestId('failure-message').textContent()).not.toMatch(/\.ts:\d+|ENOTDIR|EEXIST/);
    expect(await exit.locator('details:not([open]) summary').textContent()).toBe('기술 정보 (개발자용)');
    expect(await exit.locator('details pre').textContent()).toMatch(/\nat .*\.ts:\d+/);
    // The statistics step finished; the report steps failed.
    expect(await detail.locator('[data-step="buildHourlyStatisticsStep"] [data-status]').getAttribute('data-status')).toBe('COMPLETED');
    expect(await detail.getByTestId('action-stop').count()).toBe(0);
    await detail.getByTestId('action-restart').waitFor();
    await shot(page, '02-execution-failed');

    rmSync(blocker);
    mkdirSync(blocker);
    await detail.getByTestId('action-restart').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator(`[data-testid=exec-detail][data-status="COMPLETED"]`).waitFor({ timeout: 60_000 });
    const newId = Number((await detail.locator('h2 .mono').textContent())!.replace('#', ''));
    expect(newId).toBeGreaterThan(failedId);
    const written = await detail.locator('[data-step="writeWeeklyReportStep"] [data-status]').getAttribute('data-status');
    expect(written).toBe('COMPLETED');
    expect(await detail.getByTestId('action-restart').count()).toBe(0);
    await shot(page, '02-execution-restarted');

    // The list shows both executions with their status badges.
    await page.locator(`[data-testid=exec-row][data-id="${failedId}"] [data-status="FAILED"]`).waitFor();
    await page.locator(`[data-testid=exec-row][data-id="${newId}"] [data-status="COMPLETED"]`).waitFor();
    await detail.locator('button.close').click();
    await shot(page, '02-executions');

    // Every row carries its read / written / skipped totals, as the service sums them.
    const listed = await admin.call<{ items: { id: number; totals: { read: number; write: number; skip: number } }[] }>('executions.list', { job: 'makeStatisticsJob' });
    for (const e of listed.items.filter((x) => x.id === failedId || x.id === newId)) {
      const n = (v: number) => v.toLocaleString('en-US');
      await expect.poll(() => page.locator(`[data-testid=exec-row][data-id="${e.id}"] [data-testid=exec-totals]`).textContent()).toBe(`${n(e.totals.read)} / ${n(e.totals.write)} / ${n(e.totals.skip)}`);
    }

    // The date range: from tomorrow holds nothing; a last day before the first is named, not sent.
    const today = DateTime.now().setZone(ZONE);
    await page.getByTestId('filter-from').fill(today.plus({ days: 1 }).toISODate()!);
    await page.getByText('조건에 맞는 작업 실행이 없습니다.').waitFor();
    await page.getByTestId('filter-to').fill(today.toISODate()!);
    await page.getByText('종료일이 시작일보다 앞입니다.').first().waitFor();
    await shot(page, '02-executions-date-range-reversed', { english: false });
    await page.getByTestId('filter-from').fill(today.toISODate()!);
    await page.locator(`[data-testid=exec-row][data-id="${newId}"]`).waitFor();
    await shot(page, '02-executions-today');
    await page.getByTestId('filter-dates-clear').click();
    await page.locator(`[data-testid=exec-row][data-id="${failedId}"]`).waitFor();
  });

  test('an admin restarts a failed expirePassesJob and watches its live progress bar part way, then COMPLETED', async () => {
    // A bulk grant already due (the demo gym has one at its seed time) would add passes due in 2039
    // whenever the scheduler's next addPassesJob fire grants it: grant those first.
    await expect
      .poll(
        async () => {
          const due = (await admin.call<{ bulkPassSeq: number; startedAt: string }[]>('bulkGrants.list', { status: 'READY' })).filter((g) => Date.parse(g.startedAt) <= Date.now());
          for (const g of due) await admin.call('bulkGrants.grantNow', { bulkPassSeq: g.bulkPassSeq }).catch(() => undefined);
          return due.length;
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(0);
    const gate = await passGate(served);
    try {
      const now = DateTime.fromISO('2039-01-01T00:00', { zone: ZONE });
      // Enough passes due that both halves span several chunks of any size the job uses.
      await gate.addDuePasses(2);
      const due = await gate.dueForExpiry(now.toJSDate());
      expect(due.length).toBeGreaterThan(10_000);
      // The first run commits the chunks before the middle one and fails there.
      await gate.install(due[Math.floor(due.length / 2)]!);

      const page = await open('admin', ADMIN_PASSWORD);
      await page.waitForSelector('main[data-screen="executions"]');
      await page.getByTestId('launch-open').click();
      await page.getByTestId('launch-job').selectOption('expirePassesJob');
      await fillDateTime(page, 'now', now.toFormat("yyyy-MM-dd'T'HH:mm"));
      await page.getByTestId('launch-submit').click();
      await page.getByTestId('confirm-ok').click();
      const detail = page.getByTestId('exec-detail');
      await page.locator('[data-testid=exec-detail][data-status="FAILED"]').waitFor({ timeout: 60_000 });
      const failedId = Number((await detail.locator('h2 .mono').textContent())!.replace('#', ''));
      expect(await page.getByTestId('exit-message').textContent()).toContain('e2e gate');
      // The chunks before the gate committed: part of the due passes read and written.
      const count = async (column: string) => Number((await detail.locator(`[data-step="expirePassesStep"] [data-testid=${column}]`).textContent())!.replace(/,/g, ''));
      const committed = await count('step-read');
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThanOrEqual(Math.floor(due.length / 2));
      expect(await count('step-write')).toBe(committed);
      await shot(page, '02-execution-failed-part-way');

      // Every change of the page from here on is one sample: the expiry step's live counts and bar
      // (the job's second step, starting passes, has live rows of its own with its own total).
      await page.evaluate(() => {
        const w = window as unknown as { __samples: Array<{ read: number; expected: number | null; valuenow: number | null }> };
        w.__samples = [];
        const take = () => {
          for (const row of document.querySelectorAll('[data-testid=exec-detail] [data-testid=live-progress][data-step=expirePassesStep]')) {
            const count = row.querySelector('[data-testid=live-read]');
            const bar = row.querySelector('[role=progressbar]');
            const expected = count?.getAttribute('data-expected');
            const valuenow = bar?.getAttribute('aria-valuenow');
            w.__samples.push({ read: Number(count?.getAttribute('data-read')), expected: expected ? Number(expected) : null, valuenow: valuenow ? Number(valuenow) : null });
          }
        };
        new MutationObserver(take).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      });

      await gate.open();
      await detail.getByTestId('action-restart').click();
      await page.getByTestId('confirm-ok').click();
      const partWay = () =>
        (window as unknown as { __samples: Array<{ read: number; expected: number | null; valuenow: number | null }> }).__samples.some(
          (s) => s.expected !== null && s.read > 0 && s.read < s.expected && s.valuenow !== null && s.valuenow > 0 && s.valuenow < 100,
        );
      await page.waitForFunction(partWay, undefined, { timeout: 60_000 });
      await shot(page, '02-execution-live-progress', { english: false });
      await page.locator('[data-testid=exec-detail][data-status="COMPLETED"]').waitFor({ timeout: 90_000 });
      const newId = Number((await detail.locator('h2 .mono').textContent())!.replace('#', ''));
      expect(newId).toBeGreaterThan(failedId);
      const samples = await page.evaluate(() => (window as unknown as { __samples: Array<{ read: number; expected: number | null; valuenow: number | null }> }).__samples);
      const middle = samples.filter((s) => s.expected !== null && s.read > 0 && s.read < s.expected && s.valuenow !== null && s.valuenow > 0 && s.valuenow < 100);
      expect(middle.length).toBeGreaterThan(0);
      // The restart resumed after the committed chunk: the rest of the due passes, each once.
      const rest = due.length - committed;
      expect(middle.every((s) => s.expected === rest)).toBe(true);
      expect(await detail.locator('[data-step="expirePassesStep"] [data-testid=step-read]').textContent()).toBe(rest.toLocaleString('en-US'));
      expect(await detail.locator('[data-step="expirePassesStep"] [data-testid=step-write]').textContent()).toBe(rest.toLocaleString('en-US'));
      await shot(page, '02-execution-live-completed');
    } finally {
      await gate.remove().catch(() => undefined);
      await gate.close().catch(() => undefined);
    }
  });

  test('an admin edits the settings with a confirmation, sends a test notification and tests database addresses', async () => {
    const page = await open('admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"]');
    // The remaining admin screens.
    for (const [screen, name] of [['schedules', '03-schedules'], ['audit', '08-audit-log'], ['staff', '08-staff'], ['settings', '08-settings']] as const) {
      await goTo(page, screen);
      await page.waitForSelector('.state-loading', { state: 'detached' });
      if (screen === 'audit') await page.getByTestId('audit-row').first().waitFor();
      if (screen === 'staff') expect(await page.getByTestId('staff-row').count()).toBe(3);
      if (screen === 'settings') await page.getByTestId('settings-timezone').waitFor();
      await shot(page, name);
    }

    // Where things stand: the defaults, nobody has changed them.
    expect(await page.getByTestId('settings-timezone').inputValue()).toBe('Asia/Seoul');
    expect(await page.getByTestId('settings-modified').textContent()).toBe('아직 바꾼 적이 없습니다 (기본값).');
    expect(await page.getByTestId('settings-database-note').textContent()).toContain('사용 중인 데이터베이스는 바뀌지 않습니다');
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true);

    // A made-up zone and a relative log path are named at their fields; nothing can be saved.
    await page.getByTestId('settings-timezone').fill('Asia/Atlantis');
    await page.getByTestId('notifier-logFile').click();
    await page.getByTestId('settings-log-path').fill('notifications.log');
    await page.getByText('알 수 없는 시간대입니다. 목록에서 고르세요 (예: Asia/Seoul).').waitFor();
    await page.getByText('.log, .jsonl, .txt 파일의 전체 경로여야 합니다', { exact: false }).waitFor();
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true);
    await shot(page, '08-settings-invalid', { english: false });

    try {
      // Time zone, language and notifier changed, confirmed with a list of the changes, saved.
      const logFile = join(served.workDir, 'sent-notifications.jsonl');
      await page.getByTestId('settings-timezone').fill('Asia/Tokyo');
      await page.getByTestId('settings-log-path').fill(logFile);
      await page.getByTestId('settings-language').selectOption('en');
      // The test send uses the saved notifier: it waits for the save.
      expect(await page.getByTestId('settings-test-notifier').isDisabled()).toBe(true);
      await page.getByTestId('settings-save').click();
      const changes = page.getByTestId('settings-changes');
      await changes.waitFor();
      expect(await changes.locator('li').allTextContents()).toEqual([
        '시간대: Asia/Seoul → Asia/Tokyo',
        '언어: 한국어 → 영어',
        `알림 발송: 로그 파일 (데이터 폴더의 notifications.log) → 로그 파일 ${logFile}`,
      ]);
      await shot(page, '08-settings-confirm', { english: false });
      await page.getByTestId('confirm-ok').click();
      // Saved: the language applies at once, who and when are shown, the zone waits for the next start.
      await page.getByText('Settings saved.').waitFor();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await page.getByTestId('settings-modified').textContent()).toMatch(/^Last changed by admin on /);
      // The service takes the new zone at once: no "from the next start" notice.
      const stored = await admin.call<{ timeZone: string; activeTimeZone: string; language: string; notifier: unknown; modifiedBy: string }>('settings.get');
      expect(stored).toMatchObject({ timeZone: 'Asia/Tokyo', activeTimeZone: 'Asia/Tokyo', language: 'en', notifier: { kind: 'logFile', path: logFile }, modifiedBy: 'admin' });
      expect(await page.getByTestId('settings-zone-pending').count()).toBe(0);

      // A test message through the saved notifier lands in the chosen file.
      await page.getByTestId('settings-test-notifier').click();
      const sent = page.locator('[data-testid=notifier-test-outcome][data-ok=true]');
      await sent.waitFor();
      expect(await sent.textContent()).toContain(logFile);
      expect(readFileSync(logFile, 'utf8')).toContain('TEST');
      await shot(page, '08-settings-saved-test-sent', { english: false });

      // The database in use answers; an address nobody serves fails in plain words, its password never shown.
      await page.getByTestId('settings-database-url').fill(served.dbUrl);
      await page.getByTestId('settings-test-database').click();
      await page.locator('[data-testid=database-test-outcome][data-ok=true]').waitFor();
      expect(await page.getByTestId('database-test-outcome').textContent()).toMatch(served.backend === 'sqlite' ? /SQLite \d/ : /MariaDB|MySQL/);
      await shot(page, '08-settings-database-ok', { english: false });
      await page.getByTestId('settings-database-url').fill('mysql://pass:very-secret-pw@127.0.0.1:1/pass_local');
      await page.getByTestId('settings-test-database').click();
      const refused = page.locator('[data-testid=database-test-outcome][data-ok=false]');
      await refused.waitFor();
      expect(await refused.textContent()).toContain('connection refused');
      expect(await page.locator('main').textContent()).not.toContain('very-secret-pw');
      await shot(page, '08-settings-database-failed', { english: false });
      // The console still uses its own database.
      expect(await page.getByTestId('settings-database-current').textContent()).not.toContain('127.0.0.1:1/');

    } finally {
      // The zone and language back as they were, for the other tests' screens.
      await admin.call('settings.update', { language: 'ko', timeZone: 'Asia/Seoul' });
    }
  });

  test('an admin sees the database backups and makes one now (on SQLite); on MySQL the screen says the server backs it up', async () => {
    const page = await open('admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"]');
    await goTo(page, 'settings');
    const section = page.getByTestId('settings-backups');
    await section.waitFor();
    if (backend === 'mysql') {
      await section.getByTestId('backups-mysql').waitFor();
      expect(await section.getByTestId('backup-now').count()).toBe(0);
      await section.scrollIntoViewIfNeeded();
      await shot(page, '08-settings-backups-mysql');
      // The service says the same: nothing to list, and a run is refused in plain words.
      expect(await admin.call('backups.list')).toMatchObject({ supported: false, folder: null, backups: [] });
      const refused = await admin.raw('backups.run');
      expect(refused.status).toBe(409);
      expect(refused.body.message.en).toContain('mysqldump');
      return;
    }
    // The copies go to the test's own temporary folder (serve gets PASS_BACKUP_DIR under workDir).
    const folder = join(served.workDir, 'backups');
    await section.getByTestId('backup-folder').waitFor();
    expect(await section.getByTestId('backup-folder').textContent()).toBe(folder);
    expect(await section.getByTestId('backup-restore-command').textContent()).toBe(`pass-batch restore ${folder}/<백업 파일> --yes`);
    await section.locator('[data-testid=backups-none], [data-testid=backup-list]').first().waitFor();
    const fileNames = () => section.locator('[data-testid=backup-row] td:nth-child(2)').allTextContents();
    const before = await fileNames();
    expect(await section.getByTestId(before.length ? 'backup-list' : 'backups-none').count()).toBe(1);

    await section.getByTestId('backup-now').click();
    await page.locator('.toast-success', { hasText: '백업을 만들었습니다.' }).waitFor({ timeout: 60_000 });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=settings-backups] [data-testid=backup-row]').length === n, before.length + 1);
    await section.locator('[data-testid=backup-now]:enabled').waitFor();
    // The one new row, newest first, named by the moment it was taken, and on disk in that folder.
    const after = await fileNames();
    const added = after.filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    const newest = added[0]!;
    expect(after[0]).toBe(newest);
    expect(newest).toMatch(/^gym-\d{8}T\d{6}Z\.sqlite$/);
    expect(existsSync(join(folder, newest))).toBe(true);
    const listed = await admin.call<{ folder: string; backups: { fileName: string; path: string }[] }>('backups.list');
    expect(listed.folder).toBe(folder);
    expect(listed.backups[0]).toMatchObject({ fileName: newest, path: join(folder, newest) });
    await section.scrollIntoViewIfNeeded();
    await shot(page, '08-settings-backups');
  });

  test('the first run asks for the admin password (10 characters at least, twice) instead of a sign-in', async () => {
    // `serve` makes its admin at start, so the first run is played by answering setup.status for
    // this page only; the account is then asked of the real service, which refuses (CONFLICT).
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR', timezoneId: ZONE });
    const page = await context.newPage();
    pages.push(page);
    await page.route('**/api/rpc/setup.status', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ needsAdmin: true }) }));
    await page.goto(served.url);
    await page.getByTestId('setup-form').waitFor();
    expect(await page.locator('#setup-title').textContent()).toBe('관리자 비밀번호 정하기');
    expect(await page.getByTestId('sign-in').count()).toBe(0);
    // how the gym starts: an empty gym first and chosen, the demo gym second
    expect(await page.locator('[data-testid=setup-gym] input[type=radio]').evaluateAll((radios) => radios.map((r) => [(r as HTMLInputElement).value, (r as HTMLInputElement).checked]))).toEqual([
      ['empty', true],
      ['demo', false],
    ]);
    expect(blocking(await scan(page, 'first-run'))).toEqual([]);
    await shot(page, '01-first-run');

    await page.getByTestId('setup-password').fill('short');
    await page.getByTestId('setup-confirm').fill('short');
    await page.getByTestId('setup-submit').click();
    expect(await page.getByTestId('setup-error').textContent()).toBe('비밀번호는 10자 이상이어야 합니다.');
    await page.getByTestId('setup-password').fill('first-admin-pw');
    await page.getByTestId('setup-confirm').fill('first-admin-pv');
    await page.getByTestId('setup-submit').click();
    expect(await page.getByTestId('setup-error').textContent()).toBe('두 비밀번호가 다릅니다.');
    await shot(page, '01-first-run-mismatch');

    await page.getByTestId('setup-confirm').fill('first-admin-pw');
    await page.getByTestId('setup-submit').click();
    // This console has staff already: the service refuses, and the sign-in form comes back.
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('setup-form').count()).toBe(0);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    expect(await page.getByTestId('me-role').textContent()).toBe('관리자');
  });

  test('a manager opens the statistics for last week and a weekly report', async () => {
    // Last week's statistics and weekly report: the admin's restart above builds them; run on its
    // own (-t), this test builds them itself first.
    if (!(await admin.call<unknown[]>('reports.list', { kind: 'WEEKLY' })).length) {
      const monday = DateTime.now().setZone(ZONE).startOf('week');
      const params = { from: monday.minus({ weeks: 1 }).toISO(), to: monday.toISO() };
      const { id } = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params });
      await expect.poll(async () => (await admin.call<{ status: string }>('executions.get', { id })).status, { timeout: 60_000, interval: 250 }).toBe('COMPLETED');
    }
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="statistics"]');
    // The screen picks last week as it mounts (an effect): wait for it rather than read the first frame.
    await expect.poll(() => page.getByTestId('preset-lastWeek').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('stats-chart').waitFor();
    const rate = await page.getByTestId('stats-rate').textContent();
    expect(rate).toMatch(/\d+(\.\d)?%/);
    await page.getByTestId('stats-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await shot(page, '06-statistics');

    await goTo(page, 'reports');
    await page.getByTestId('kind-WEEKLY').click();
    const weekly = page.locator('[data-testid=report-row][data-kind="WEEKLY"]').first();
    await weekly.waitFor();
    await weekly.click();
    const preview = page.getByTestId('report-preview');
    await preview.waitFor();
    expect(await preview.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, '07-reports');
    // A manager runs nothing: no Run button, no Restart.
    await goTo(page, 'executions');
    await page.getByTestId('exec-row').first().waitFor();
    expect(await page.getByTestId('launch-open').count()).toBe(0);
  });

  test('a front-desk user sees no restart, stop or settings controls, and the API refuses them', async () => {
    const page = await open(STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    const nav = await page.locator('nav a').allTextContents();
    expect(nav).toEqual(['회원 이용권', '수업 예약', '회원 가져오기', '이용권 일괄 지급']);
    for (const id of ['nav-settings', 'nav-executions', 'nav-schedules', 'nav-staff', 'action-restart', 'action-stop', 'launch-open']) {
      expect(await page.getByTestId(id).count()).toBe(0);
    }
    // A hand-typed address to an admin screen lands on the member screen.
    await page.goto(`${served.url}/#/settings`);
    await page.waitForSelector('main[data-screen="members"]');
    expect(await page.getByTestId('settings').count()).toBe(0);

    const desk = await Api.login(served.url, STAFF.frontDesk, STAFF_PASSWORD);
    const { items } = await admin.call<{ items: { id: number }[] }>('executions.list', { pageSize: 1 });
    const id = items[0]!.id;
    for (const [operation, input] of [
      ['executions.restart', { id }],
      ['executions.stop', { id }],
      ['executions.abandon', { id }],
      ['executions.launch', { job: 'expirePassesJob', params: {} }],
      ['schedules.update', { job: 'expirePassesJob', enabled: false }],
      ['staff.list', {}],
    ] as const) {
      const { status, body } = await desk.raw(operation, input);
      expect(status, operation).toBe(403);
      expect(body.code).toBe('FORBIDDEN');
    }
    // And over the REST routes too.
    const response = await fetch(`${served.url}/api/executions/${id}/restart`, { method: 'POST', headers: { authorization: `Bearer ${desk.token}` } });
    expect(response.status).toBe(403);
  });

  test('switching to English changes the visible text', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="statistics"]');
    expect(await page.locator('nav').textContent()).toContain('통계');
    expect(await page.locator('h1').textContent()).toBe('통계');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Statistics');
    const nav = await page.locator('nav a').allTextContents();
    expect(nav).toEqual(['Executions', 'Member passes', 'Classes', 'Import members', 'Bulk grant', 'Packages', 'Statistics', 'Reports', 'Notifications']);
    expect(await page.locator('main').textContent()).not.toMatch(/통계|보고서|작업 실행|출석|지난주/);
    expect(await page.getByTestId('me-role').textContent()).toBe('Manager');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('stats-chart').waitFor();
    await shot(page, '06-statistics-en');
    // at least one execution that did some work (empty runs are hidden by default), also when
    // this test runs alone
    await admin.call('executions.launch', { job: 'expirePassesJob', params: { now: '2040-01-01T00:00' } }).catch(() => undefined);
    await goTo(page, 'executions');
    await page.getByTestId('exec-row').first().waitFor();
    expect(await page.locator('.grid-head').textContent()).toContain('Launched by');
    await shot(page, '02-executions-en');
    // The choice is remembered: a reload stays in English.
    await page.reload();
    await page.getByTestId('me-username').waitFor();
    expect(await page.getByTestId('nav-executions').textContent()).toBe('Executions');
  });

  test('an admin sees an execution another application left running, and marks it failed after a confirmation', async () => {
    // What a Spring Batch application on the same database leaves when it dies mid-run: metadata, no owner of ours.
    const db = await openDatabase(served.dbUrl, { poolSize: 1 });
    let id: number;
    try {
      id = await insertForeignExecution(db, 'springReportJob', new Date(Date.now() - 3 * 3600_000), ZONE);
    } finally {
      await db.close();
    }

    const page = await open('admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"]');
    // Its job is in the filter, under the other applications' jobs, and filters the list to it.
    await page.locator('[data-testid=filter-job] optgroup[label="다른 프로그램의 배치 작업"] option[value="springReportJob"]').waitFor({ state: 'attached' });
    await page.getByTestId('filter-job').selectOption('springReportJob');
    await expect.poll(() => page.getByTestId('exec-row').count()).toBe(1);
    const row = page.locator(`[data-testid=exec-row][data-id="${id}"]`);
    await row.locator('[data-status="STARTED"]').waitFor();
    expect(await row.textContent()).toContain('다른 프로그램');
    await row.click();
    const detail = page.locator(`[data-testid=exec-detail][data-status="STARTED"]`);
    await detail.getByTestId('action-markFailed').waitFor();
    expect(await detail.getByTestId('action-restart').count()).toBe(0);
    await detail.getByTestId('action-markFailed').click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('다른 프로그램이 멈췄을 때만');
    await shot(page, '02-execution-mark-failed-confirm');
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid=exec-detail][data-status="FAILED"]').waitFor();
    await page.getByText(new RegExp(`작업 실행 #${id}[을를] 실패로 표시했습니다`)).waitFor();
    expect(await page.getByTestId('exit-message').textContent()).toMatch(/Marked FAILED by admin on .*the application running it had stopped/);
    // Read in the zone it was written in: started three hours ago, not nine hours off.
    expect(await page.getByTestId('exec-detail').textContent()).toMatch(/3시간 0분|3h 0m/);
    expect(await page.getByTestId('action-markFailed').count()).toBe(0);
    await shot(page, '02-execution-marked-failed');
    const audit = await admin.call<{ items: { target: string; actor: string }[] }>('audit.list', { action: 'executions.markFailed' });
    expect(audit.items).toEqual([expect.objectContaining({ target: `execution:${id}`, actor: 'admin' })]);
  });
});
