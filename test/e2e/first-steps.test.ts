// 처음 시작하기, in Debian's Chromium against a real `pass-batch serve` over a gym that started empty
// (no demo gym), on SQLite and on MariaDB/MySQL: the admin lands on a home screen that lists the
// steps in order (the staff accounts already made read done), follows the first to the Packages
// screen and makes a package there, and back home finds it done; a manager's home lists a manager's
// steps; once a member is added (at another desk) the list is gone. The list passes axe's WCAG A/AA
// scan. Screenshots: test-results/screenshots/<backend>-first-steps-*.png.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { blocking, scan } from './support/axe.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, e2eBackends, STAFF, STAFF_PASSWORD, type Api, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('first steps of an empty gym on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts), { gym: 'empty' });

  const open = async (username: string, password: string) => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, username, password);
    return page;
  };
  const steps = (page: Page) =>
    page.locator('[data-testid=first-steps] li').evaluateAll((items) => items.map((li) => [(li as HTMLElement).dataset.testid, (li as HTMLElement).dataset.done]));

  test('the admin follows the list from the home screen to the Packages screen and back, a manager sees a manager’s steps, and the list is gone once the gym has a member', async () => {
    const page = await open('admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"] [data-testid=first-steps]');
    expect(await page.locator('#first-steps-title').textContent()).toBe('처음 시작하기');
    expect(await steps(page)).toEqual([
      ['first-step-packages', 'false'],
      ['first-step-members', 'false'],
      ['first-step-staff', 'true'], // the front desk's and manager's accounts this run made
      ['first-step-classes', 'false'],
      ['first-step-notifier', 'false'],
      ['first-step-kiosk', 'false'],
    ]);
    expect(await page.getByTestId('first-step-staff').textContent()).toContain('직원 계정 2개');
    expect(blocking(await scan(page, 'first-steps'))).toEqual([]);
    await screenshot(page, `${backend}-first-steps-empty`);

    // the first step's way: the Packages screen, where the package is made
    await page.getByTestId('first-step-packages').getByRole('button', { name: '패키지 화면으로' }).click();
    await page.waitForSelector('main[data-screen="packages"]');
    await page.getByTestId('package-new').click();
    const form = page.getByTestId('package-form');
    await form.getByTestId('package-form-name').fill('PT 10회 / 60일');
    await form.getByTestId('package-form-uses').fill('10');
    await form.getByTestId('package-form-days').fill('60');
    await form.getByTestId('package-form-submit').click();
    await page.getByText(`'PT 10회 / 60일' 패키지를 만들었습니다.`).waitFor();
    await goTo(page, 'executions');
    await expect.poll(() => page.getByTestId('first-step-packages').getAttribute('data-done')).toBe('true');
    expect(await page.getByTestId('first-step-packages').textContent()).toContain('판매 중인 패키지 1개');
    await screenshot(page, `${backend}-first-steps-package-made`);

    // a manager's home (Statistics) lists what a manager does
    const manager = await open(STAFF.manager, STAFF_PASSWORD);
    await manager.waitForSelector('main[data-screen="statistics"] [data-testid=first-steps]');
    expect(await steps(manager)).toEqual([
      ['first-step-packages', 'true'],
      ['first-step-members', 'false'],
      ['first-step-classes', 'false'],
    ]);

    // a member added at another desk: the gym can sell, and the list is gone on coming home
    await admin.call('members.create', { userName: '첫 회원' });
    await goTo(page, 'members');
    await page.locator('main[data-screen="members"] h1').waitFor();
    await goTo(page, 'executions');
    await page.getByTestId('launch-open').waitFor();
    await expect.poll(async () => (await admin.call<{ members: number }>('setup.firstSteps', {})).members).toBe(1);
    await expect.poll(() => page.getByTestId('first-steps').count(), { timeout: 5_000 }).toBe(0);
  });
});
