// The statistics chart from the keyboard: after "Show", Tab reaches the chart once, as one named
// stop whose focus can be seen, where the arrow keys step through the points (recharts'
// accessibility layer shows each point's numbers), and the next Tab leaves the chart. The sales
// chart below it is one named stop the same way, its bars' tooltips in won.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { goTo, launchBrowser, openPage, signIn } from './support/browser.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, startServe, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();

/** Where the focus is: inside the chart's card or not, what it is, whether it has a box to be seen in and an outline. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | SVGElement | null;
    const box = el?.getBoundingClientRect();
    return {
      inChart: Boolean(el?.closest('.chart-card')),
      inSales: Boolean(el?.closest('[data-testid=sales-chart]')),
      html: el?.outerHTML.slice(0, 160) ?? '',
      visible: Boolean(box && box.width > 0 && box.height > 0),
      outline: el ? getComputedStyle(el).outlineStyle : 'none',
    };
  });
}

describe.each(BACKENDS)('the statistics chart from the keyboard on %s', (backend) => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe(backend);
    browser = await launchBrowser();
    const admin = await Api.login(served.url, 'admin', ADMIN_PASSWORD);
    const { id } = await admin.call<{ id: number }>('executions.launch', { job: 'makeStatisticsJob', params: {} });
    for (let tries = 0; ; tries++) {
      const { status } = await admin.call<{ status: string }>('executions.get', { id });
      if (status === 'COMPLETED') break;
      if (status === 'FAILED' || tries > 480) throw new Error(`makeStatisticsJob ended ${status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await served?.stop();
  });

  test('Tab from Show reaches the chart once, a named stop with a visible focus ring; the arrow keys show a point; the next Tab leaves the chart', async () => {
    const page = await openPage(browser, served.url, 'en');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    if ((await page.locator('html').getAttribute('lang')) !== 'en') await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await goTo(page, 'statistics');
    await page.getByTestId('stats-chart').waitFor();
    await page.getByTestId('stats-show').focus();
    const stops: Awaited<ReturnType<typeof focused>>[] = [];
    for (let n = 0; n < 12; n++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f.inChart && stops.length > 0) break;
      if (f.inChart) stops.push(f);
    }
    expect(stops.map((s) => s.html.slice(0, 60))).toEqual([expect.stringContaining('<svg role="application" tabindex="0"')]);
    expect(stops[0]!.visible).toBe(true);
    expect(stops[0]!.outline).not.toBe('none');
    // named: the chart's title is its accessible name
    expect(await page.getByRole('application', { name: 'Bookings chart: the arrow keys step through the points' }).count()).toBe(1);
    // the loop left the chart with one Tab: one Shift+Tab is back on it, and the arrow keys show a point
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('application');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('stats-chart').locator('.recharts-tooltip-wrapper').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
  });

  test('Tab from the bookings chart reaches the sales chart once, a named stop with a visible focus ring, and the arrow keys show a bar’s takings in won', async () => {
    const page = await openPage(browser, served.url, 'en');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    if ((await page.locator('html').getAttribute('lang')) !== 'en') await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await goTo(page, 'statistics');
    // the demo gym's desk sold passes up to today: the last 30 days have sales to draw
    await page.getByTestId('preset-last30Days').click();
    await page.locator('[data-testid=sales-chart][data-bars="30"]').waitFor();
    await page.locator('.chart-card svg[role=application]').focus();
    const stops: Awaited<ReturnType<typeof focused>>[] = [];
    for (let n = 0; n < 12; n++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f.inSales && stops.length > 0) break;
      if (f.inSales) stops.push(f);
    }
    expect(stops.map((s) => s.html.slice(0, 60))).toEqual([expect.stringContaining('<svg role="application" tabindex="0"')]);
    expect(stops[0]!.visible).toBe(true);
    expect(stops[0]!.outline).not.toBe('none');
    expect(await page.getByRole('application', { name: 'Sales chart: the arrow keys step through the bars' }).count()).toBe(1);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid=sales-chart]') !== null)).toBe(true);
    await page.keyboard.press('ArrowRight');
    const tooltip = page.getByTestId('sales-chart').locator('.recharts-tooltip-wrapper');
    await expect.poll(() => tooltip.evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    expect(await tooltip.textContent()).toMatch(/Taken in ?: ?₩[\d,]+/);
  });
});
