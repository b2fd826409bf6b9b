// The front desk's screens in Korean, in Debian's Chromium against a real `pass-batch serve` with
// the demo gym, on SQLite and on MariaDB/MySQL: what the exploratory front-desk day
// (front-desk-day.test.ts) found outside the class dialog's bookings. The desk asks the service for
// nothing its role may not read.
// Screenshots: test-results/screenshots/<backend>-desk-screens-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { goTo, openPage, signIn } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { Api, e2eBackends, STAFF, STAFF_PASSWORD, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();
const ZONE = 'Asia/Seoul';

describe.each(BACKENDS)("the front desk's screens, on %s", (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];

  servedConsole(backend, () => pages, (parts) => ({ served, admin, browser } = parts));

  /** the desk signed in, with every service operation its page asks for and every refusal it gets recorded */
  async function deskPage(): Promise<{ page: Page; asked: string[]; refused: string[] }> {
    const page = await openPage(browser, served.url);
    pages.push(page);
    const asked: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => {
      const op = /\/api\/rpc\/([\w.]+)/.exec(r.url())?.[1];
      if (op) asked.push(op);
    });
    page.on('response', (r) => {
      if (r.status() === 401 || r.status() === 403) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await signIn(page, STAFF.frontDesk, STAFF_PASSWORD);
    return { page, asked, refused };
  }

  test('a bulk grant the desk runs now makes no request the front desk is refused: the executions list is not asked for', async () => {
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
    const grant = await admin.call<{ bulkPassSeq: number }>('bulkGrants.create', { packageSeq: 1, userGroupId: 'HANBADA', startedAt: tomorrow.toFormat("yyyy-MM-dd'T'HH:mm") });
    const { page, asked, refused } = await deskPage();
    await goTo(page, 'bulkGrants');
    const row = page.locator(`[data-testid=grant-row][data-grant="${grant.bulkPassSeq}"]`);
    await row.getByTestId('grant-now').click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    // the run's start and end came down the live stream, and the list was read again after its end
    await row.and(page.locator('[data-status=COMPLETED]')).waitFor();
    expect(asked.filter((op) => op.startsWith('executions.') || op.startsWith('jobs.'))).toEqual([]);
    expect(refused).toEqual([]);
  });
});
