// The executions list with 10,000 executions stays smooth: the screens get 10,000 synthetic rows
// (the service's answers to executions.list and executions.get are replaced in the browser), and
// the test measures the first render and scrolling to the end, and checks only a screenful of rows
// is ever in the page. Prints both times.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, openPage, screenshot, signIn } from './support/browser.ts';
import { ADMIN_PASSWORD, startServe, type Served } from './support/server.ts';

const TOTAL = 10_000;
const JOBS = ['expirePassesJob', 'addPassesJob', 'sendNotificationBeforeClassJob', 'usePassesJob', 'makeStatisticsJob', 'sendExpiryReminderJob'];
const STATUSES = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'STOPPED', 'ABANDONED'];

function execution(id: number) {
  const start = Date.UTC(2026, 0, 1) + id * 600_000;
  return {
    id,
    jobName: JOBS[id % JOBS.length],
    status: STATUSES[id % STATUSES.length],
    exitCode: 'COMPLETED',
    exitMessage: '',
    createTime: new Date(start).toISOString(),
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + 1000 + (id % 97) * 1000).toISOString(),
    parameters: { now: new Date(start).toISOString(), rerun: 0 },
    launchedBy: id % 3 ? 'admin' : null,
  };
}

let served: Served;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  served = await startServe('sqlite');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await served?.stop();
});

test('the executions list renders 10,000 executions and scrolls to the end smoothly', async () => {
  page = await openPage(browser, served.url);
  await page.route('**/api/rpc/executions.list', async (route: Route) => {
    const input = JSON.parse(route.request().postData() ?? '{}') as { page?: number; pageSize?: number };
    const p = input.page ?? 1;
    const size = input.pageSize ?? 50;
    const items = [];
    for (let i = (p - 1) * size; i < Math.min(TOTAL, p * size); i++) items.push(execution(TOTAL - i));
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ total: TOTAL, page: p, pageSize: size, items }) });
  });
  await page.route('**/api/rpc/executions.get', async (route: Route) => {
    const { id } = JSON.parse(route.request().postData() ?? '{}') as { id: number };
    const step = { id, stepName: 'step', status: 'COMPLETED', exitCode: 'COMPLETED', exitMessage: '', startTime: null, endTime: null, readCount: id, writeCount: id, filterCount: 0, commitCount: 1, rollbackCount: 0, readSkipCount: 0, processSkipCount: 0, writeSkipCount: 0, executionContext: {} };
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...execution(id), steps: [step], executionContext: {} }) });
  });

  const signedIn = Date.now();
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.locator('[data-testid=exec-row][data-id="10000"]').waitFor();
  const firstRender = Date.now() - signedIn;
  expect(await page.getByTestId('exec-count').textContent()).toBe('10,000건');
  const rendered = await page.getByTestId('exec-row').count();
  expect(rendered).toBeLessThan(60);

  const scroll = page.getByTestId('exec-scroll');
  const scrolling = Date.now();
  // Scroll down in steps, as a person dragging the bar would, then land at the very end.
  const frames = await scroll.evaluate(async (element) => {
    const gaps: number[] = [];
    let last = performance.now();
    for (let i = 1; i <= 20; i++) {
      element.scrollTop = (element.scrollHeight * i) / 20;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    element.scrollTop = element.scrollHeight;
    return gaps;
  });
  await page.locator('[data-testid=exec-row][data-id="1"]').waitFor();
  const toEnd = Date.now() - scrolling;
  expect(await page.getByTestId('exec-row').count()).toBeLessThan(60);
  const worstFrame = Math.max(...frames);
  console.log(`[executions 10k] first render ${firstRender} ms after sign-in; scroll to the end ${toEnd} ms; slowest frame while scrolling ${worstFrame.toFixed(1)} ms`);
  await screenshot(page, 'sqlite-02-executions-10k');
});
