// Issue 18, slice 1 in Debian's Chromium against a real `pass-batch serve` with the demo gym, on
// SQLite and on MariaDB/MySQL: the front desk creates a member with a phone typed the
// international way and a group, finds them again by the phone's last four digits, and the
// member's detail shows the phone in the one spelling, the memo and the group; a pass sold with
// its start in the past and already over is shown expired and not counted as usable at once.
// Screenshots: test-results/screenshots/<backend>-members-*.png.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('members at the desk, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let page: Page;
  const pages: Page[] = [];

  servedConsole(backend, () => [page, ...pages], (parts) => ({ served, admin, browser } = parts));

  test('the desk creates a member and finds them again by the last four digits of their phone', async () => {
    // four digits no demo member's phone ends with, so the search finds the new member alone
    let lastFour = 1000;
    for (;; lastFour++) {
      const found = await admin.call<{ total: number }>('members.search', { query: String(lastFour), limit: 1 });
      if (found.total === 0) break;
    }
    page = await openPage(browser, served.url);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');

    await page.getByTestId('member-new').click();
    const form = page.getByTestId('member-form');
    await form.getByTestId('member-form-name').fill('김브라우저');
    await form.getByTestId('member-form-phone').fill(`+82 10 7070 ${lastFour}`);
    await form.getByTestId('member-form-memo').fill('오전 수업만');
    await form.getByLabel('한바다').check();
    await screenshot(page, `${backend}-members-01-new`);
    await form.getByTestId('member-form-submit').click();
    await page.getByText(/김브라우저 회원을 등록했습니다 \(M\d+\)/).waitFor();
    const created = page.getByTestId('member-detail');
    const userId = (await created.getAttribute('data-user'))!;
    expect(userId).toMatch(/^M\d{7}$/);
    expect(await created.getByTestId('member-phone').textContent()).toBe(`010-7070-${lastFour}`);

    // a new search, as the desk would when the member comes back
    await page.getByTestId('member-query').fill(String(lastFour));
    await page.getByTestId('member-search').click();
    await expect.poll(() => page.getByTestId('member-result').count()).toBe(1);
    await page.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    const detail = page.locator(`[data-testid=member-detail][data-user="${userId}"]`);
    await detail.waitFor();
    expect(await detail.locator('h2').textContent()).toBe('김브라우저');
    expect(await detail.getByTestId('member-memo').textContent()).toContain('오전 수업만');
    expect(await detail.getByTestId('member-group').getAttribute('data-group')).toBe('HANBADA');
    await screenshot(page, `${backend}-members-02-found-by-last-four`);

    // stored in the seed's spelling, whichever the desk typed
    const stored = await admin.call<{ member: { phone: string } }>('members.passes', { userId });
    expect(stored.member.phone).toBe(`0107070${lastFour}`);
  });

  test('a pass sold with its start in the past and already over is shown expired at once, and the usable-pass count leaves it out', async () => {
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const desk = await Api.login(served.url, STAFF.frontDesk, STAFF_PASSWORD);
    const { userId } = (await desk.call<{ detail: { member: { userId: string } } }>('members.create', { userName: '지난 이용권' })).detail.member;
    await desk.call('passes.register', { userId, packageSeq: 5, startedAt: daysAgo(40), paymentMethod: 'CARD' }); // 30 days: over 10 days ago
    await desk.call('passes.register', { userId, packageSeq: 3, startedAt: daysAgo(10), paymentMethod: 'CARD' }); // 90 days: in use

    const page = await openPage(browser, served.url);
    pages.push(page);
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    await page.getByTestId('member-query').fill(userId);
    await page.getByTestId('member-search').click();
    const result = page.locator(`[data-testid=member-result][data-user="${userId}"]`);
    await result.waitFor();
    expect(await result.locator('.pill').textContent()).toBe('사용 가능한 이용권 1');
    await result.click();
    const detail = page.locator(`[data-testid=member-detail][data-user="${userId}"]`);
    await detail.waitFor();
    // the status badge (a live pass's cell also holds its cancel button; an expired one has none)
    expect(await detail.locator('[data-testid=pass-row][data-package="5"] td').nth(1).textContent()).toBe('만료');
    expect(await detail.locator('[data-testid=pass-row][data-package="3"] td').nth(1).locator('[data-status]').textContent()).toBe('사용 중');
    await screenshot(page, `${backend}-members-03-expired-at-once`);
  });

  test("in a 1024 × 700 window, in English, a member's detail shows the name on one line and its Edit, Reactivate and Register a pass buttons within the card, and the groups form says why its button waits without squeezing its select", async () => {
    const desk = await Api.login(served.url, STAFF.frontDesk, STAFF_PASSWORD);
    const { userId } = (await desk.call<{ detail: { member: { userId: string } } }>('members.create', { userName: 'QA 테스트2', phone: '010-9999-0002' })).detail.member;
    await desk.call('members.deactivate', { userId });
    const page = await openPage(browser, served.url, 'en');
    pages.push(page);
    await page.setViewportSize({ width: 1024, height: 700 });
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    await page.waitForSelector('main[data-screen="members"]');
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByTestId('member-query').fill(userId);
    await page.getByTestId('member-search').click();
    await page.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    const detail = page.locator(`[data-testid=member-detail][data-user="${userId}"]`);
    await detail.getByTestId('member-reactivate').waitFor();
    const head = await detail.evaluate((d) => {
      const card = d.closest('.card')!.getBoundingClientRect();
      const name = document.createRange();
      name.selectNodeContents(d.querySelector('h2')!);
      return {
        // one box per line the name's text takes
        nameLines: name.getClientRects().length,
        outside: [...d.querySelectorAll('.member-head button')].filter((b) => b.getBoundingClientRect().right > card.right - 1).length,
      };
    });
    await screenshot(page, `${backend}-members-04-detail-1024-en`, { english: false });
    expect(head).toEqual({ nameLines: 1, outside: 0 });

    // the groups form says why its button waits, inside the card, and the words beside it don't squeeze the select's
    const groupForm = () =>
      detail.evaluate((d) => {
        const card = d.closest('.card')!.getBoundingClientRect();
        const select = d.querySelector<HTMLSelectElement>('[data-testid=group-add-select]')!;
        const why = d.querySelector<HTMLElement>('[data-testid=group-add-why]');
        // the chosen option's words in the select's font, against the room the select gives them
        const probe = document.body.appendChild(document.createElement('span'));
        probe.style.font = getComputedStyle(select).font;
        probe.textContent = select.selectedOptions[0]!.textContent;
        const squeezed = select.clientWidth < probe.getBoundingClientRect().width;
        probe.remove();
        return { why: why?.innerText ?? null, whyOutside: why !== null && why.getBoundingClientRect().right > card.right - 1, squeezed };
      });
    expect(await groupForm()).toEqual({ why: 'Choose a group to add them to, or make a new one.', whyOutside: false, squeezed: false });
    await detail.getByTestId('group-add-select').selectOption(' new');
    await detail.getByTestId('group-new-name').fill('   ');
    expect(await groupForm()).toEqual({ why: 'Give the new group a name.', whyOutside: false, squeezed: false });
    await screenshot(page, `${backend}-members-05-new-group-why-1024-en`, { english: false });
  });
});
