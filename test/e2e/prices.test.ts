// What a pass sells for, in Debian's Chromium against a real `pass-batch serve` on SQLite and on
// MariaDB/MySQL: a manager makes a package with a price on the Packages screen; the desk, on its
// own page, is offered it with its price, chooses how it was paid (카드) and is told the amount and
// the method before confirming the sale; the member's pass says what it sold for and how it was
// paid; the manager's Statistics screen counts the sale under Sales for this week, by package and
// under 카드 by payment method, drawn a bar a day with its axis in won, and the screen fits a
// 1024-px window. The Statistics screen passes axe's WCAG A/AA scan.
// Screenshots: test-results/screenshots/<backend>-prices-*.png (the sale form, the pass sold, the sales by payment method).
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { blocking, scan } from './support/axe.ts';
import { goTo, openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { e2eBackends, STAFF, STAFF_PASSWORD, type Api, type Served } from './support/server.ts';
import type { SalesSummary } from '../../main/service/contract.ts';

const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('prices on %s', (backend) => {
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

  test('a manager prices a package, the desk chooses how it was paid and is told the amount and the method before the sale, the pass keeps both, and the Statistics screen counts it under Sales, by package and by payment method', async () => {
    const name = `골프 레슨 4회 ${backend}`;
    const manager = await open(STAFF.manager);
    await goTo(manager, 'packages');
    await manager.getByTestId('package-new').click();
    const form = manager.getByTestId('package-form');
    await form.getByTestId('package-form-name').fill(name);
    await form.getByTestId('package-form-uses').fill('4');
    await form.getByTestId('package-form-days').fill('30');
    await form.getByTestId('package-form-price').fill('250,000');
    await form.getByTestId('package-form-submit').click();
    await manager.getByText(`'${name}' 패키지를 만들었습니다.`).waitFor();
    expect(await row(manager, name).getByTestId('package-price').textContent()).toBe('250,000원');
    await screenshot(manager, `${backend}-prices-packages`);
    // this week's card sales before the desk's (the demo gym's desk sold some), as the screen's
    // 이번 주 asks for them: Monday to Monday in the gym's zone
    const monday = DateTime.now().setZone('Asia/Seoul').startOf('week');
    const week = { from: `${monday.toFormat('yyyy-MM-dd')}T00:00`, to: `${monday.plus({ weeks: 1 }).toFormat('yyyy-MM-dd')}T00:00` };
    const cardBefore = (await admin.call<SalesSummary>('sales.summary', week)).byMethod.find((m) => m.paymentMethod === 'CARD') ?? { count: 0, total: 0 };

    const desk = await open(STAFF.frontDesk);
    const { userId } = (await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName: `가격 손님 ${backend}` })).detail.member;
    await goTo(desk, 'members');
    await desk.getByTestId('member-query').fill(userId);
    await desk.getByTestId('member-search').click();
    await desk.locator(`[data-testid=member-result][data-user="${userId}"]`).click();
    await desk.getByTestId('register-open').click();
    const label = `${name} · 4회 · 30일 · 250,000원`;
    await expect.poll(() => desk.getByTestId('register-package').locator('option').allTextContents()).toContain(label);
    await desk.getByTestId('register-package').selectOption({ label });
    // how it was paid, asked since the package has a price: the button says why it waits till then
    expect(await desk.getByTestId('register-submit').isDisabled()).toBe(true);
    expect(await desk.getByTestId('register-submit-why').textContent()).toBe('결제 수단을 고르세요.');
    await desk.getByRole('group', { name: '결제 수단' }).getByRole('radio', { name: '카드' }).check();
    await screenshot(desk, `${backend}-prices-sale-form`);
    await desk.getByTestId('register-submit').click();
    expect(await desk.getByTestId('confirm-dialog').textContent()).toContain('판매 금액: 250,000원 (카드).');
    await desk.getByTestId('confirm-ok').click();
    await desk.getByText('이용권을 등록했습니다.').waitFor();
    await expect.poll(() => desk.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=pass-price]`).allTextContents()).toEqual(['250,000원']);
    // beside the price under the package's name, each with its label for a screen reader
    expect((await desk.locator(`[data-testid=member-detail][data-user="${userId}"] .pass-price`).textContent())?.replace(/\u00a0/g, ' ')).toBe('판매 금액 250,000원 · 결제 수단 카드');
    await desk.locator(`[data-testid=member-detail][data-user="${userId}"] [data-testid=pass-row]`).first().scrollIntoViewIfNeeded();
    await screenshot(desk, `${backend}-prices-pass`);

    await goTo(manager, 'statistics');
    await manager.getByTestId('preset-thisWeek').click();
    const sold = manager.locator('[data-testid=sales-package-row]', { hasText: name });
    await sold.waitFor();
    expect((await sold.locator('td').allTextContents())).toEqual([name, '1', '250,000원']);
    // and under 카드 by payment method, beside the week's other card sales
    expect(await manager.getByTestId('sales-by-method').getByRole('heading', { name: '결제 수단별' }).count()).toBe(1);
    const cardRow = manager.locator('[data-testid=sales-method-row][data-method=CARD]');
    await expect.poll(() => cardRow.locator('td').allTextContents()).toEqual(['카드', (cardBefore.count + 1).toLocaleString('ko-KR'), `${(cardBefore.total + 250_000).toLocaleString('ko-KR')}원`]);
    // the week's days drawn, named and described for a screen reader, the axis in won
    const chart = manager.getByTestId('sales-chart');
    expect([await chart.getAttribute('data-unit'), await chart.getAttribute('data-bars')]).toEqual(['day', '7']);
    const drawn = chart.getByRole('application', { name: '판매 차트: 화살표 키로 막대를 하나씩 봅니다' });
    expect(await drawn.count()).toBe(1);
    expect(await drawn.locator(':scope > desc').textContent()).toMatch(/^가장 많이 판 날: \d+\/\d+ \(.\), [\d,]+원$/);
    await expect.poll(() => chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents()).toContain('0원');
    expect((await chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents()).every((tick) => /^[\d,]+원$/.test(tick))).toBe(true);
    await manager.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(() => manager.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(await chart.evaluate((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth)).toBe(true);
    expect(blocking(await scan(manager, 'statistics'))).toEqual([]);
    await screenshot(manager, `${backend}-prices-sales`);
    await manager.getByTestId('sales-by-method').scrollIntoViewIfNeeded();
    await screenshot(manager, `${backend}-prices-sales-by-method`);
  });
});
