// A front desk from the keyboard alone (issue 21), in Debian's Chromium against a real
// `pass-batch serve` with the demo gym: sign in, open an execution from the executions grid,
// restart it, cancel a stop, and register a pass for a searched member, with no mouse; after each
// step the test checks where the focus is (document.activeElement).
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openPage } from './support/browser.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, startServe, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

/** Waits until the execution has ended and says how. */
async function finished(api: Api, id: number): Promise<string> {
  for (let tries = 0; tries < 360; tries++) {
    const { status } = await api.call<{ status: string }>('executions.get', { id });
    if (status === 'COMPLETED' || status === 'FAILED') return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`execution ${id} did not end`);
}

/** The focused element, described: its test id, tag, data-id and text. */
function focused(page: Page): Promise<{ testId: string | null; tag: string; id: string | null; dataId: string | null; text: string; inDialog: string | null; activeDescendant: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      testId: el?.getAttribute('data-testid') ?? null,
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id || null,
      dataId: el?.getAttribute('data-id') ?? null,
      text: (el?.textContent ?? '').trim().slice(0, 80),
      inDialog: el?.closest('dialog')?.getAttribute('data-testid') ?? null,
      activeDescendant: el?.getAttribute('aria-activedescendant') ?? null,
    };
  });
}

/** Presses `key` until `reached` says the focus is where it should be (maybe already); fails after `most` presses. */
async function pressUntil(page: Page, key: string, reached: (f: Awaited<ReturnType<typeof focused>>) => boolean, most: number): Promise<number> {
  if (reached(await focused(page))) return 0;
  for (let n = 1; n <= most; n++) {
    await page.keyboard.press(key);
    if (reached(await focused(page))) return n;
  }
  throw new Error(`${key} ×${most} did not reach the element; the focus is on ${JSON.stringify(await focused(page))}`);
}

describe.each(BACKENDS)('the console from the keyboard on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;
  let failedId: number;
  let completedId: number;
  let blocker: string;

  beforeAll(async () => {
    served = await startServe(backend);
    admin = await Api.login(served.url, 'admin', ADMIN_PASSWORD);
    const monday = DateTime.now().setZone(ZONE).startOf('week');
    const ok = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params: { from: monday.minus({ weeks: 1 }).toISO(), to: monday.toISO() } });
    expect(await finished(admin, ok.id)).toBe('COMPLETED');
    completedId = ok.id;
    // The failed one: its report folder's parent is a file (removed before the restart).
    blocker = join(served.workDir, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const bad = await admin.call<{ id: number }>('executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: monday.minus({ weeks: 2 }).toISO(), to: monday.minus({ weeks: 1 }).toISO(), reportDir: join(blocker, 'reports') },
    });
    expect(await finished(admin, bad.id)).toBe('FAILED');
    failedId = bad.id;
    browser = await launchBrowser();
    page = await openPage(browser, served.url);
  });

  afterAll(async () => {
    await page?.context().close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await served?.stop();
  });

  test('an admin signs in, opens a failed execution from the grid and restarts it, and the focus follows each step', async () => {
    // Sign in: the username field has the focus; Tab, the password, Enter.
    await page.locator('input[name=username]').waitFor();
    expect((await focused(page)).tag).toBe('input');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    // The home screen's heading, and the page is named after the screen.
    await page.waitForFunction(() => document.activeElement?.matches('main[data-screen="executions"] h1') === true);
    expect((await focused(page)).text).toBe('작업 실행');
    expect(await page.title()).toBe('작업 실행 · 패스 콘솔');

    // The skip link is the first stop of the page and takes the focus to the heading.
    await page.keyboard.press('Shift+Tab');
    await pressUntil(page, 'Shift+Tab', (f) => f.testId === 'skip-link', 40);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.matches('main h1') === true);

    // Tab to the executions grid; Home is its first row (the newest: the failed run); Enter opens it.
    await page.locator(`[data-testid=exec-row][data-id="${failedId}"]`).waitFor();
    await pressUntil(page, 'Tab', (f) => f.testId === 'exec-scroll', 20);
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    const home = await page.evaluate(() => document.querySelector('[data-testid=exec-row]')?.getAttribute('data-id'));
    expect((await focused(page)).activeDescendant).toBe(`exec-row-${home}`);
    await pressUntil(page, 'ArrowDown', (f) => f.activeDescendant === `exec-row-${failedId}`, 30);
    expect(await page.locator(`#exec-row-${failedId}`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.matches(`[data-testid=exec-detail] h2[data-id="${id}"]`) === true, failedId);

    // Restart: a confirmation that keeps Tab inside it, then the new execution's heading.
    unlinkSync(blocker);
    await pressUntil(page, 'Tab', (f) => f.testId === 'action-restart', 6);
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    expect((await focused(page)).testId).toBe('confirm-ok');
    for (let n = 0; n < 3; n++) {
      await page.keyboard.press('Tab');
      expect((await focused(page)).inDialog).toBe('confirm-dialog');
    }
    await pressUntil(page, 'Tab', (f) => f.testId === 'confirm-ok', 3);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (id) => {
        const h = document.activeElement;
        return h?.matches('[data-testid=exec-detail] h2[data-id]') === true && Number(h.getAttribute('data-id')) > id;
      },
      failedId,
    );
    const restartedId = Number((await focused(page)).dataId);
    expect(await finished(admin, restartedId)).toBe('COMPLETED');
  });

  test('cancelling a stop from the keyboard stops nothing and leaves the focus on Stop', async () => {
    // The completed run is shown as still running (the service's answer for it is replaced in
    // the browser), so it offers Stop; the test counts the stop requests the page sends.
    let stops = 0;
    await page.route('**/api/rpc/executions.get', async (route: Route) => {
      const { id } = JSON.parse(route.request().postData() ?? '{}') as { id: number };
      const response = await route.fetch();
      const body = (await response.json()) as { status: string; endTime: string | null; exitCode: string };
      if (id === completedId) Object.assign(body, { status: 'STARTED', endTime: null, exitCode: 'UNKNOWN' });
      await route.fulfill({ response, body: JSON.stringify(body) });
    });
    await page.route('**/api/rpc/executions.stop', async (route: Route) => {
      stops++;
      await route.abort();
    });
    // Back to the grid from the detail's heading, down to the run, Enter.
    await pressUntil(page, 'Shift+Tab', (f) => f.testId === 'exec-scroll', 10);
    await pressUntil(page, 'ArrowDown', (f) => f.activeDescendant === `exec-row-${completedId}`, 30);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.matches(`[data-testid=exec-detail][data-status="STARTED"] h2[data-id="${id}"]`) === true, completedId);
    await pressUntil(page, 'Tab', (f) => f.testId === 'action-stop', 6);
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    // A destructive confirmation: Cancel has the focus, so Enter cancels.
    expect((await focused(page)).testId).toBe('confirm-cancel');
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect((await focused(page)).testId).toBe('action-stop');
    expect(stops).toBe(0);
    await page.unroute('**/api/rpc/executions.get');
    await page.unroute('**/api/rpc/executions.stop');
  });

  test('a front-desk task: the member screen from the navigation, "/" to search, a member, "n" to register a pass, all by keyboard', async () => {
    let member: { userId: string; userName: string } | undefined;
    for (let n = 1_000_001; !member && n < 1_000_050; n++) {
      const found = await admin.call<unknown>('members.search', { query: `M${n}` });
      const list = (Array.isArray(found) ? found : ((found as { members?: unknown[] }).members ?? [])) as { userId: string; userName: string; status: string }[];
      member = list.find((m) => m.status === 'ACTIVE');
    }
    if (!member) throw new Error('no active member among the first 50');
    // Passes sold at the desk (a due bulk grant may add one of its own meanwhile).
    const deskPasses = async () => (await admin.call<{ passes: { bulkPassSeq: number | null }[] }>('members.passes', { userId: member!.userId })).passes.filter((p) => p.bulkPassSeq === null).length;
    const passesBefore = await deskPasses();

    // Out of the content backwards to the navigation, then the member screen.
    await pressUntil(page, 'Shift+Tab', (f) => f.testId === 'nav-members', 40);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.matches('main[data-screen="members"] h1') === true);
    expect(await page.title()).toBe('회원 이용권 · 패스 콘솔');

    // "/" goes to the search field; a shortcut typed there is only text.
    await page.keyboard.press('/');
    expect((await focused(page)).testId).toBe('member-query');
    await page.keyboard.type(member.userId);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid=member-result][data-user="${member.userId}"]`).waitFor();
    expect(await page.getByTestId('member-query').inputValue()).toBe(member.userId);
    await pressUntil(page, 'Tab', (f) => f.testId === 'member-result', 3);
    await page.keyboard.press('Enter');
    // Past the other results to the member's name.
    await page.waitForFunction((id) => document.activeElement?.matches(`[data-testid=member-detail][data-user="${id}"] h2`) === true, member.userId);
    expect((await focused(page)).text).toBe(member.userName);

    // "n": the registration form opens on its first field.
    await page.keyboard.press('n');
    await page.getByTestId('register-form').waitFor();
    expect((await focused(page)).testId).toBe('register-package');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('register-package').inputValue()).not.toBe('');
    // the first package has a price: how it was paid is the next stop, chosen with the arrow keys
    await page.keyboard.press('Tab');
    expect((await focused(page)).testId).toBe('register-method-CARD');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).testId).toBe('register-method-CASH');
    expect(await page.getByTestId('register-method-CASH').isChecked()).toBe(true);
    await pressUntil(page, 'Tab', (f) => f.testId === 'register-submit', 10);
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    expect((await focused(page)).testId).toBe('confirm-ok');
    await page.keyboard.press('Enter');
    // Registered: the form closes and the focus is back on the button that opened it.
    await page.getByTestId('register-form').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.matches('[data-testid=register-open]') === true);
    expect(await deskPasses()).toBe(passesBefore + 1);
  });
});
