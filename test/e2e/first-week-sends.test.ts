// Issue 16, item 4, in Debian's Chromium against a real `pass-batch serve` on SQLite and on
// MariaDB: the class reminders go to a webhook that takes 1.5 s to answer. The execution's live
// counts move while the messages go out (before, "0 · 초당 0건" until a 40 s chunk ended), and a
// stop lands within a few seconds, between sends (before, 83 s); what was sent is marked sent.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { toDbTime } from '../../main/batch/index.ts';
import { startHttpSink, type HttpSink } from '../fixtures/httpSink.ts';
import { launchBrowser, openPage, screenshot, signIn } from './support/browser.ts';
import { ADMIN_PASSWORD, Api, createStaff, e2eBackends, startServe, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();
const CLASSES = 1000;

describe.each(BACKENDS)('class reminders through a slow webhook on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  let sink: HttpSink;
  let page: Page;

  beforeAll(async () => {
    served = await startServe(backend);
    admin = await createStaff(served.url);
    browser = await launchBrowser();
    sink = await startHttpSink({ delayMs: 1500 });
    // Only this test's run sends: no scheduled fire of the same job alongside it.
    await admin.call('schedules.update', { job: 'sendNotificationBeforeClassJob', enabled: false });
    await admin.call('settings.update', { notifier: { kind: 'webhook', url: sink.url, timeoutMs: 10_000 } });
    // 1,000 classes starting in five minutes.
    const db = await openDatabase(served.dbUrl);
    try {
      const members = await db.kysely.selectFrom('pass').select(['pass_seq', 'user_id']).limit(CLASSES).execute();
      expect(members.length).toBe(CLASSES);
      const start = Date.now() + 5 * 60_000;
      const rows = members.map((m: { pass_seq: number; user_id: string }) => ({ pass_seq: m.pass_seq, user_id: m.user_id, status: 'READY', started_at: toDbTime(new Date(start)), ended_at: toDbTime(new Date(start + 50 * 60_000)) }));
      for (let i = 0; i < rows.length; i += 200) await db.kysely.insertInto('booking').values(rows.slice(i, i + 200)).execute();
    } finally {
      await db.close();
    }
    page = await openPage(browser, served.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await page?.context().close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await sink?.close();
    await served?.stop();
  });

  test('the live counts move as messages go out, and a stop lands within seconds with what was sent marked sent', async () => {
    await page.waitForSelector('main[data-screen="executions"]');
    await page.getByTestId('launch-open').click();
    await page.getByTestId('launch-job').selectOption('sendNotificationBeforeClassJob');
    await page.getByTestId('launch-submit').click();
    await page.getByTestId('confirm-ok').click();
    const detail = page.getByTestId('exec-detail');
    await detail.waitFor();

    // A live row of a send partition counts sent messages while the webhook is still answering the rest.
    const liveSent = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-testid=exec-detail] [data-testid=live-progress]')]
          .filter((row) => (row.getAttribute('data-step') ?? '').includes(':partition'))
          .reduce((sum, row) => sum + Number(row.querySelector('[data-testid=live-read]')?.getAttribute('data-read') ?? 0), 0),
      );
    await expect.poll(liveSent, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
    expect(sink.requests.length).toBeLessThan(CLASSES);
    // and the send step's own live row adds its partitions up
    const stepLive = detail.locator('[data-testid=live-progress][data-step=sendBeforeClassNotificationsStep] [data-testid=live-read]');
    await expect.poll(async () => Number(await stepLive.getAttribute('data-read')), { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
    await screenshot(page, `${backend}-16-sends-live-counts`);

    const stopAsked = Date.now();
    await detail.getByTestId('action-stop').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid=exec-detail][data-status="STOPPED"]').waitFor({ timeout: 60_000 });
    console.log(`[${backend}] the stop took ${((Date.now() - stopAsked) / 1000).toFixed(1)} s; ${sink.requests.length} of ${CLASSES} sent by then`);
    // Four partitions of 250 on two threads: a stop at the end of a chunk (400 a chunk) would
    // have let the first two partitions send all of theirs, 500, before it landed.
    expect(sink.requests.length).toBeLessThan(400);

    // Every message the webhook took is marked sent; nothing else is.
    const db = await openDatabase(served.dbUrl);
    try {
      const sent = await db.kysely.selectFrom('notification').select(['event', 'target_key']).where('sent', '=', 1).execute();
      expect(sent.map((r: { event: string; target_key: string }) => `${r.event}:${r.target_key}`).sort()).toEqual([...sink.delivered().keys()].sort());
    } finally {
      await db.close();
    }
    await screenshot(page, `${backend}-16-sends-stopped`);
  });
});
