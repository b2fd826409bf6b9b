// The executions list's Parameters column in Chromium, on SQLite and on MariaDB/MySQL, in Korean
// and English: each parameter by its name in words and its value as people read it ('집계 시작
// 2026. 11. 16. 00:00 · … · 다시 만든 횟수 1 · 보고서 폴더 기본값'), not code names
// ('from=…, rerun=1, reportDir=기본값'; found by an exploratory pass).
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openPage, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { ADMIN_PASSWORD, Api, e2eBackends, type Served } from './support/server.ts';

const ZONE = 'Asia/Seoul';
const BACKENDS = await e2eBackends();

describe.each(BACKENDS)('parameters in words in the executions list on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let executionId = 0;
  const pages: Page[] = [];
  const monday = DateTime.now().setZone(ZONE).startOf('week').minus({ weeks: 3 });

  servedConsole(backend, pages, (parts) => ({ served, admin, browser } = parts));

  beforeAll(async () => {
    const launched = await admin.call<{ id: number }>('executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: monday.toFormat("yyyy-MM-dd'T'HH:mm"), to: monday.plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"), rerun: 1, reportDir: '' },
    });
    executionId = launched.id;
  });

  test('a statistics run lists its window, rebuild count and report folder in words in Korean and English, with no code name', async () => {
    const page = await openPage(browser, served.url);
    pages.push(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('main[data-screen="executions"]');
    const cell = page.locator(`[data-testid=exec-row][data-id="${executionId}"] [role=gridcell]:nth-child(3)`); // Parameters
    const day = (d: DateTime, lang: 'ko' | 'en') => new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { timeZone: ZONE, year: 'numeric', month: lang === 'ko' ? 'numeric' : 'short', day: 'numeric' }).format(d.toJSDate());
    await expect.poll(() => cell.getAttribute('title'), { timeout: 30_000 }).toMatch(/^집계 시작 /);
    expect(await cell.getAttribute('title')).toBe(`집계 시작 ${day(monday, 'ko')} 00:00 · 집계 끝 ${day(monday.plus({ days: 1 }), 'ko')} 00:00 · 다시 만든 횟수 1 · 보고서 폴더 기본값`);
    await page.getByTestId('lang-en').first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const en = (await cell.getAttribute('title'))!;
    expect(en).toContain('Window start ');
    expect(en).toContain(' · Times built again 1 · Report folder default');
    expect(en).not.toMatch(/\b(from|to|rerun|reportDir)=/);
  });
});
