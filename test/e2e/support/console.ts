// The life of one served console in a describe block of browser tests: before its tests, `pass-batch
// serve` on the backend with the two staff accounts (createStaff) and a Chromium; after them, every
// page the tests opened closed, the browser closed and the server stopped (whatever of it started).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { createStaff, startServe, type Api, type Backend, type Served } from './server.ts';

export interface ServedConsole {
  served: Served;
  /** the admin's API session */
  admin: Api;
  browser: Browser;
}

/**
 * Starts the console before the block's tests (before the block's own beforeAll hooks, registered
 * after this) and hands its parts to `take`; stops it after them, closing `pages` (or the pages a
 * function gives then) first.
 */
export function servedConsole(backend: Backend, pages: Page[] | (() => Array<Page | undefined>), take: (parts: ServedConsole) => void, options: { gym?: 'demo' | 'empty' } = {}): void {
  let served: Served | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    served = await startServe(backend, options);
    const admin = await createStaff(served.url);
    browser = await launchBrowser();
    take({ served, admin, browser });
  });
  afterAll(async () => {
    for (const page of typeof pages === 'function' ? pages() : pages) await page?.context().close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await served?.stop();
  });
}
