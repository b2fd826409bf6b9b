// What the gym sells, kept on the Packages screen, in Debian's Chromium against a real
// `pass-batch serve` on SQLite and on MariaDB/MySQL: a manager makes a package there; the desk,
// on its own page, sells it to a member and the pass starts with the package's uses and lasts its
// days; the manager takes it off sale after a confirmation, and the desk's sale and class forms
// no longer offer it; back on sale, they do again. The screen passes axe's WCAG A/AA scan.
// Screenshots: test-results/screenshots/<backend>-packages-*.png.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { blocking, scan } from './support/axe.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { e2eBackends, STAFF, STAFF_PASSWORD, type Api, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('packages on %s', (backend) => {
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
  const row = (page: Page, name: string) => page.locator('[data-testid=package-row]', { has: page.locator('[data-testid=package-name]', { hasText: name }) });
  const offered = (page: Page, testId: string) => page.getByTestId(testId).locator('option').allTextContents();

  test('a manager makes a package, the desk sells it with its uses and days; off sale, the desk is no longer offered it, and back on sale it is', async () => {
    const name = `필라테스 8회 / 30일 ${backend}`;
    const manager = await open(STAFF.manager);
    await goTo(manager, 'packages');
    await manager.getByTestId('package-new').click();
    const form = manager.getByTestId('package-form');
    await form.getByTestId('package-form-name').fill(name);
    await form.getByTestId('package-form-uses').fill('8');
    await form.getByTestId('package-form-days').fill('30');
    await form.getByTestId('package-form-submit').click();
    await manager.getByText(`'${name}' 패키지를 만들었습니다.`).waitFor();
    await row(manager, name).waitFor();
    expect(await row(manager, name).getByTestId('package-uses').textContent()).toBe('8회');
    expect(await row(manager, name).getByTestId('package-days').textContent()).toBe('30일');
    // the focus stays on the new package, not the page
    await expect.poll(() => manager.evaluate(() => document.activeElement?.closest('[data-testid=package-row]')?.querySelector('[data-testid=package-name]')?.textContent)).toBe(name);
    expect(blocking(await scan(manager, 'packages'))).toEqual([]);
    await screenshot(manager, `${backend}-packages-list`);

    // the desk sells it: a pass with 8 uses that ends 30 days after its start
    const desk = await open(STAFF.frontDesk);
    const { userId } = (await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: `패키지 손님 ${backend}` })).detail.member;
    await goTo(desk, 'members');
    await desk.getByTestId('member-query').fill(userId);
    await desk.getByTestId('member-search').click();
    await desk.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    await desk.getByTestId('register-open').click();
    await expect.poll(() => offered(desk, 'register-package')).toContain(`${name} · 8회 · 30일`);
    await desk.getByTestId('register-package').selectOption({ label: `${name} · 8회 · 30일` });
    await desk.getByTestId('register-submit').click();
    await desk.getByTestId('confirm-ok').click();
    await desk.getByText('이용권을 등록했습니다.').waitFor();
    const { passes } = await admin.call<{ passes: Array<{ packageName: string; remainingCount: number | null; startedAt: string; endedAt: string | null }> }>('members.passes', { userId });
    expect(passes.map((p) => [p.packageName, p.remainingCount, Math.round((Date.parse(p.endedAt!) - Date.parse(p.startedAt)) / 86_400_000)])).toEqual([[name, 8, 30]]);

    // off sale, after a confirmation that says what stays
    await row(manager, name).getByTestId('package-retire').click();
    const confirm = manager.getByTestId('confirm-dialog');
    expect(await confirm.textContent()).toContain('이미 판 이용권과 이 패키지를 받는 수업은 그대로이고');
    await confirm.getByTestId('confirm-ok').click();
    await manager.getByText(`'${name}' 패키지의 판매를 멈췄습니다.`).waitFor();
    await expect.poll(() => row(manager, name).getAttribute('data-on-sale')).toBe('no');
    expect(await row(manager, name).getByTestId('package-status').textContent()).toMatch(/부터 판매 중지$/);
    await screenshot(manager, `${backend}-packages-off-sale`);

    // the desk's sale and a new class no longer offer it (each form reads the packages when opened)
    await desk.getByTestId('register-open').click();
    await expect.poll(async () => (await offered(desk, 'register-package')).length).toBeGreaterThan(1);
    expect((await offered(desk, 'register-package')).some((o) => o.startsWith(name))).toBe(false);
    await desk.keyboard.press('Escape');
    await goTo(desk, 'classes');
    await desk.getByTestId('class-new').click();
    const packages = desk.getByTestId('class-form-packages');
    await expect.poll(() => packages.locator('label').count()).toBeGreaterThan(0);
    expect(await packages.textContent()).not.toContain(name);
    await desk.keyboard.press('Escape');

    // back on sale: the desk is offered it again
    await row(manager, name).getByTestId('package-restore').click();
    await expect.poll(() => row(manager, name).getAttribute('data-on-sale')).toBe('yes');
    await desk.getByTestId('class-new').click();
    await expect.poll(() => desk.getByTestId('class-form-packages').textContent()).toContain(name);
  });
});
