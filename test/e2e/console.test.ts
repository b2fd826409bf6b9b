// The acceptance flows of the console screens (issue 5), in Debian's Chromium against a real
// `pass-batch serve` with the demo gym, on SQLite and on MariaDB/MySQL:
//  - a front-desk user registers a bulk grant, grants it now (addPassesJob), the member screen shows the pass;
//  - an admin sees an execution the test made fail, fixes the cause, restarts it with one click,
//    and watches it reach COMPLETED with its counts;
//  - a manager opens last week's statistics and a weekly report;
//  - a front-desk user sees no restart, stop or settings controls, and the API refuses them (403);
//  - switching to English changes the visible text.
// Every screen is saved at 1280×800 to test-results/screenshots/<backend>-<screen>.png.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { goTo, launchBrowser, openPage, screenshot, signIn } from './support/browser.ts';
import { ADMIN_PASSWORD, Api, createStaff, mysqlReachable, STAFF, STAFF_PASSWORD, startServe, type Backend, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const mysqlProblem = await mysqlReachable();
if (mysqlProblem && process.env.CI) throw new Error(`MariaDB/MySQL is required in CI: ${mysqlProblem}`);
if (mysqlProblem) console.warn(`[e2e] skipping the MySQL run: ${mysqlProblem}`);
const BACKENDS: Backend[] = mysqlProblem ? ['sqlite'] : ['sqlite', 'mysql'];

describe.each(BACKENDS)('console on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  const shot = (page: Page, name: string) => screenshot(page, `${backend}-${name}`);
  const open = async (username: string, password: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, password);
    return page;
  };

  beforeAll(async () => {
    served = await startServe(backend);
    admin = await createStaff(served.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const page of pages) await page.context().close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await served?.stop();
  });

  test('the sign-in screen refuses a wrong password and lets staff in', async () => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await expect(page.locator('#login-title').textContent()).resolves.toBe('직원 로그인');
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
      member = (await desk.call<{ userId: string; status: string }[]>('members.search', { query: `M${n}` })).find((m) => m.status === 'ACTIVE');
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
    await page.getByTestId('grant-start').fill(start.toFormat("yyyy-MM-dd'T'HH:mm"));
    const sentence = `${start.month}월 ${start.day}일 09:00에 ${all.userGroupName} ${all.activeMemberCount.toLocaleString('en-US')}명에게 필라테스 1회 체험 (3회)`;
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
    await page.locator('[data-param=from]').fill(from);
    await page.locator('[data-param=to]').fill(to);
    await page.locator('[data-param=reportDir]').fill(join(blocker, 'reports'));
    await shot(page, '02-launch-form');
    await page.getByTestId('launch-submit').click();
    await page.getByTestId('confirm-ok').click();

    const detail = page.getByTestId('exec-detail');
    await page.locator('[data-testid=exec-detail][data-status="FAILED"]').waitFor({ timeout: 60_000 });
    const failedId = Number((await detail.locator('h2 .mono').textContent())!.replace('#', ''));
    expect(await page.getByTestId('exit-message').textContent()).toMatch(/ENOTDIR|not a directory|EEXIST/i);
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

    // The remaining admin screens.
    for (const [screen, name] of [['schedules', '03-schedules'], ['audit', '08-audit-log'], ['staff', '08-staff'], ['settings', '08-settings']] as const) {
      await goTo(page, screen);
      await page.waitForSelector('.state-loading', { state: 'detached' });
      if (screen === 'audit') await page.getByTestId('audit-row').first().waitFor();
      if (screen === 'staff') expect(await page.getByTestId('staff-row').count()).toBe(3);
      await shot(page, name);
    }
  });

  test('a manager opens the statistics for last week and a weekly report', async () => {
    const page = await open(STAFF.manager, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="statistics"]');
    expect(await page.getByTestId('preset-lastWeek').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('stats-chart').waitFor();
    const rate = await page.getByTestId('stats-rate').textContent();
    expect(rate).toMatch(/\d+(\.\d)?%/);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
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
    expect(nav).toEqual(['회원 이용권', '이용권 일괄 지급']);
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
    expect(nav).toEqual(['Executions', 'Member passes', 'Bulk grant', 'Statistics', 'Reports']);
    expect(await page.locator('main').textContent()).not.toMatch(/통계|보고서|작업 실행|출석|지난주/);
    expect(await page.getByTestId('me-role').textContent()).toBe('Manager');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('stats-chart').waitFor();
    await shot(page, '06-statistics-en');
    await goTo(page, 'executions');
    await page.getByTestId('exec-row').first().waitFor();
    expect(await page.locator('.grid-head').textContent()).toContain('Launched by');
    await shot(page, '02-executions-en');
    // The choice is remembered: a reload stays in English.
    await page.reload();
    await page.getByTestId('me-username').waitFor();
    expect(await page.getByTestId('nav-executions').textContent()).toBe('Executions');
  });
});
