// An execution's steps in a 1024 × 700 window, on SQLite and on MariaDB/MySQL, in English and
// Korean: the step table fits its pane without a sideways scroll (in English it was 604 px wide in
// a 374 px box; found by an exploratory pass), every step's counts still in sight; at 1440 × 900
// it keeps its eight columns.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('the step table in a narrow window on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let executionId = 0;
  const pages: Page[] = [];

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  beforeAll(async () => {
    const monday = DateTime.now().setZone(ZONE).startOf('week');
    const launched = await admin.call<{ id: number }>('executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: monday.minus({ weeks: 3 }).toFormat("yyyy-MM-dd'T'HH:mm"), to: monday.minus({ weeks: 2 }).toFormat("yyyy-MM-dd'T'HH:mm") },
    });
    executionId = launched.id;
    for (let waited = 0; (await admin.call<{ status: string }>('executions.get', { id: executionId })).status !== 'COMPLETED'; waited += 250) {
      if (waited > 90_000) throw new Error(`execution ${executionId} did not complete`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  /** how far the step table runs past its box, and the columns it shows */
  const measure = async (page: Page) =>
    page.locator('[data-testid=exec-detail] table.steps').evaluate((table) => {
      const wrap = table.parentElement!;
      const panel = table.closest('.detail-panel')!;
      const shown = (el: Element) => getComputedStyle(el).display !== 'none';
      const row = table.querySelector('[data-testid=step-row]')!;
      return {
        over: wrap.scrollWidth - wrap.clientWidth,
        panelOver: panel.scrollWidth - panel.clientWidth,
        headings: [...table.querySelectorAll('thead th')].filter(shown).map((th) => th.textContent!.replace(/\s+/g, ' ').trim()),
        readShown: shown(row.querySelector('[data-testid=step-read]')!),
        writeShown: shown(row.querySelector('[data-testid=step-write]')!),
        rowText: (row as HTMLElement).innerText.replace(/\s+/g, ' '),
      };
    });

  for (const lang of ['en', 'ko'] as const) {
    test(`at 1024 × 700 in ${lang === 'en' ? 'English' : 'Korean'} the step table fits its pane and still shows each step's read and written counts`, async () => {
      const page = await openPage(browser, served.url, lang);
      pages.push(page);
      await page.setViewportSize({ width: 1024, height: 700 });
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId(`lang-${lang}`).first().click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      await page.waitForSelector('main[data-screen="executions"]');
      await page.locator(`[data-testid=exec-row][data-id="${executionId}"]`).click();
      await page.locator(`[data-testid=exec-detail] h2[data-id="${executionId}"]`).waitFor();
      await page.locator('[data-testid=exec-detail] [data-testid=step-row]').first().waitFor();
      const m = await measure(page);
      await screenshot(page, `${backend}-step-table-1024-${lang}`, { english: false });
      expect(m, JSON.stringify(m)).toMatchObject({ over: 0, panelOver: 0, readShown: true, writeShown: true });
    });
  }

  test('at 1440 × 900 the step table keeps all eight columns and fits', async () => {
    const page = await openPage(browser, served.url, 'en');
    pages.push(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.locator(`[data-testid=exec-row][data-id="${executionId}"]`).click();
    await page.locator('[data-testid=exec-detail] [data-testid=step-row]').first().waitFor();
    const m = await measure(page);
    expect(m.headings).toHaveLength(8);
    expect(m.over).toBeLessThanOrEqual(0);
  });
});
