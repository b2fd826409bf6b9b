// The check-in kiosk on a tablet (issue 18): a real `pass-batch serve` (SQLite and MariaDB/MySQL)
// and Debian's Chromium with a touch screen (hasTouch, taps), in windows of 1024 × 768 landscape,
// 768 × 1024 portrait and 1280 × 800, in Korean and in English, signed in at /kiosk with a
// kiosk account. The gym: four members whose phones end in the same four digits (one booked into
// a class today, one with no pass, one whose pass has expired, one whose pass has no use left),
// and one with a long Latin name, seven passes and two classes today under four digits of their own.
//  - every step fits the window: nothing needs a scroll, Start over and the staff's sign-out are
//    always on screen, and the member with seven passes sees their check-in buttons at once, each
//    label on one line (today's bookings come before the passes);
//  - a long masked name stays inside its button and the greeting;
//  - everything a finger taps is at least 44 × 44 px, the sign-out confirmation's buttons too;
//  - each step takes the focus to what it says (a screen reader reads it; a keyboard goes on from
//    there), through the members' cases, a check-in, the confirmation going back by itself, a
//    second check-in, a language switch mid-way, the minute without a touch and digits nobody has;
//  - digits tapped on the keypad, then Enter on a keyboard, search.
// The classes start with classStartToday (still today in Seoul, whatever the hour). The timers
// (10 seconds after a check-in, a minute without a touch) run on the page's own clock
// (page.clock), moved on by the test. Screens: test-results/screenshots/<backend>-kiosk-tablet-*.png.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { toDbTime } from '../../main/batch/index.ts';
import { classStartToday, longestWaitForToday } from '../support/classToday.ts';
import { screenshot } from './support/browser.ts';
import { servedConsole } from './support/console.ts';
import { e2eBackends, STAFF_PASSWORD, type Api, type Served } from './support/server.ts';

const BACKENDS = await e2eBackends();
const ZONE = 'Asia/Seoul';
const MINUTE = 60_000;
const KIOSK_USER = 'kiosk.tablet';
/** both of the long-named member's classes fit in this, one after the other */
const CLASSES_MS = 60 * MINUTE;
const SIZES = [
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
] as const;
/** the least a finger needs */
const TOUCH_PX = 44;
/** the kiosk's timers (renderer/src/stores/kiosk.ts) */
const DONE_MS = 10_000;
const IDLE_MS = 60_000;

describe.each(BACKENDS)('the check-in kiosk on a tablet, on %s', (backend) => {
  let served: Served;
  let admin: Api;
  let browser: Browser;
  const pages: Page[] = [];
  /** four members under these digits; the long-named one under `single` */
  let shared: string;
  let single: string;
  /** digits nobody's phone ends in */
  let nobody: string;
  let bookedSeq: number;
  /** the time of day the passes were sold from, and so end at ('HH:mm'; never midnight: the classes start ahead of now) */
  let soldAt: string;

  servedConsole(backend, () => pages, (parts) => ({ served, admin, browser } = parts));

  beforeAll(async () => {
    const digits: string[] = [];
    for (let d = 6101; digits.length < 3; d += 7) {
      const { total } = await admin.call<{ total: number }>('members.search', { query: String(d), limit: 1 });
      if (total === 0) digits.push(String(d));
    }
    [shared, single, nobody] = digits as [string, string, string];
    await admin.call('staff.create', { username: KIOSK_USER, password: STAFF_PASSWORD, role: 'KIOSK' });

    // at most 20 minutes ahead: the second class, half an hour later, is open for check-in too (from an hour before)
    const start = DateTime.fromJSDate(await classStartToday({ aheadMs: 20 * MINUTE, lengthMs: CLASSES_MS }), { zone: ZONE });
    const local = (at: DateTime) => at.toFormat("yyyy-MM-dd'T'HH:mm");
    soldAt = start.toFormat('HH:mm');
    const packages = await admin.call<{ packageSeq: number; count: number | null; period: number | null; price: number | null }[]>('packages.list');
    const counted = packages.find((p) => p.count !== null && p.period !== null)!;
    const newClass = async (title: string, from: DateTime, minutes: number) =>
      (await admin.call<{ classSeq: number }[]>('classes.create', { title, startedAt: local(from), endedAt: local(from.plus({ minutes })), capacity: 8, packageSeqs: packages.map((p) => p.packageSeq) }))[0]!.classSeq;
    const reformer = await newClass('아침 필라테스 리포머 중급반', start, 25);
    const yoga = await newClass('Evening Yoga Flow for Beginners and Returning Members', start.plus({ minutes: 30 }), 25);
    const member = async (userName: string, phone: string) => (await admin.call<{ detail: { member: { userId: string } } }>('members.create', { userName, phone })).detail.member.userId;
    const pass = async (userId: string, packageSeq: number) =>
      (await admin.call<{ passes: { passSeq: number }[] }>('passes.register', { userId, packageSeq, startedAt: local(start.minus({ days: 1 })), ...(packages.find((p) => p.packageSeq === packageSeq)?.price ? { paymentMethod: 'CARD' } : {}) })).passes[0]!.passSeq;
    const book = async (classSeq: number, userId: string, passSeq: number) => (await admin.call<{ bookingSeq: number }>('bookings.create', { classSeq, userId, passSeq })).bookingSeq;

    // under the shared digits: 김민수 booked today; 강하늘 with no pass; 김수민's pass ended yesterday; 남궁민수's has no use left
    const kim = await member('김민수', `010-4821-${shared}`);
    bookedSeq = await book(reformer, kim, await pass(kim, counted.packageSeq));
    await member('강하늘', `010-6935-${shared}`);
    const expired = await pass(await member('김수민', `010-1357-${shared}`), counted.packageSeq);
    const usedUp = await pass(await member('남궁민수', `010-2468-${shared}`), counted.packageSeq);
    const db = await openDatabase(served.dbUrl, { poolSize: 1 });
    try {
      await db.kysely.updateTable('pass' as never).set({ ended_at: toDbTime(new Date(Date.now() - 86_400_000)) } as never).where('pass_seq' as never, '=', expired as never).execute();
      await db.kysely.updateTable('pass' as never).set({ remaining_count: 0 } as never).where('pass_seq' as never, '=', usedUp as never).execute();
    } finally {
      await db.close();
    }

    // under digits of their own: a long name, seven passes, two classes today
    const alex = await member('Alexandra Montgomery-Richardson', `010-5555-${single}`);
    const passes: number[] = [];
    for (const p of [...packages, ...packages].slice(0, 7)) passes.push(await pass(alex, p.packageSeq));
    await book(reformer, alex, passes[0]!);
    await book(yoga, alex, passes[0]!);
  }, 180_000 + longestWaitForToday({ lengthMs: CLASSES_MS }));

  /** The kiosk signed in, on a touch screen of this size, in this language. */
  async function kiosk(size: { width: number; height: number }, lang: 'ko' | 'en' = 'ko', options: { clock?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: size, hasTouch: true, locale: 'ko-KR', timezoneId: ZONE });
    const page = await context.newPage();
    pages.push(page);
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    if (options.clock) await page.clock.install();
    await page.goto(`${served.url}/kiosk`);
    await page.locator('input[name=username]').fill(KIOSK_USER);
    await page.locator('input[name=password]').fill(STAFF_PASSWORD);
    await page.getByTestId('sign-in').tap();
    await page.getByTestId('kiosk-digits').waitFor();
    if (lang === 'en') await setLang(page, 'en');
    return page;
  }

  async function setLang(page: Page, lang: 'ko' | 'en'): Promise<void> {
    await page.getByTestId(`lang-${lang}`).first().tap();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  async function tapDigits(page: Page, digits: string): Promise<void> {
    for (const key of digits) await page.getByTestId(`kiosk-key-${key}`).tap();
    await expect.poll(() => page.getByTestId('kiosk-digits').inputValue()).toBe(digits);
  }

  const step = (page: Page) => page.getByTestId('kiosk-screen').getAttribute('data-step');

  /** What does not fit the window: the page's own scroll, and the testids (or tags) of the elements outside it. */
  function outsideWindow(page: Page, testIds: string[]): Promise<string[]> {
    return page.evaluate((ids) => {
      const out: string[] = [];
      const root = document.documentElement;
      if (root.scrollHeight > innerHeight || root.scrollWidth > innerWidth) out.push(`the page scrolls: ${root.scrollWidth} × ${root.scrollHeight}`);
      for (const id of ids) {
        const el = document.querySelector(`[data-testid="${id}"]`);
        if (!el) {
          out.push(`${id}: not shown`);
          continue;
        }
        const box = el.getBoundingClientRect();
        // inside the window, and inside the part of the kiosk's body scrolled into view
        const body = el.closest('.kiosk-body')?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight };
        if (box.top < Math.max(0, body.top) || box.bottom > Math.min(innerHeight, body.bottom) || box.left < 0 || box.right > innerWidth) out.push(`${id}: ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)}`);
      }
      return out;
    }, testIds);
  }

  /** The buttons and fields on screen smaller than a finger, with their size. */
  function smallTargets(page: Page): Promise<string[]> {
    return page.evaluate((least) => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, input, a[href], [role=button]'))) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.width < least || box.height < least) out.push(`${el.dataset.testid ?? el.textContent?.trim()}: ${Math.round(box.width)} × ${Math.round(box.height)}`);
      }
      return out;
    }, TOUCH_PX);
  }

  /** The element the focus is on: its testid or id, and its text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { id: el?.dataset.testid ?? el?.id ?? el?.tagName ?? '', text: el?.innerText.trim() ?? '' };
    });

  test('at 1024 × 768, 768 × 1024 and 1280 × 800, in Korean and in English, every step fits the window: nothing needs a scroll, Start over and the sign-out are on screen, and a member with seven passes sees their check-in buttons at once, each label on one line, and each pass’s end with the time of day it ends at', async () => {
    for (const size of SIZES) {
      for (const lang of ['ko', 'en'] as const) {
        const name = `${size.width}x${size.height} ${lang}`;
        const page = await kiosk(size, lang);
        const always = ['kiosk-start-over', 'kiosk-sign-out'];
        expect(await outsideWindow(page, [...always, 'kiosk-digits', 'kiosk-key-0', 'kiosk-find']), `${name}: the digits`).toEqual([]);
        await tapDigits(page, single);
        await page.getByTestId('kiosk-find').tap();
        await page.getByTestId('kiosk-match').first().waitFor();
        expect(await outsideWindow(page, [...always, 'kiosk-match']), `${name}: the names`).toEqual([]);
        await page.getByTestId('kiosk-match').tap();
        await page.getByTestId('kiosk-member').waitFor();
        expect(await page.getByTestId('kiosk-pass').count()).toBe(7);
        // each pass's end with its time: they were sold from the class's time of day, so they end at it, not at midnight
        for (const text of await page.getByTestId('kiosk-pass').allInnerTexts()) {
          if (!/기간 제한 없음|No end date/.test(text)) expect(text, `${name}: a pass`).toMatch(lang === 'ko' ? new RegExp(`\\d{4}\\. \\d{1,2}\\. \\d{1,2}\\. ${soldAt}까지`) : new RegExp(`Until [A-Z][a-z]{2} \\d{1,2}, \\d{4}, ${soldAt}`));
        }
        const checkIn = (await page.locator('[data-testid^=kiosk-checkin-]').first().getAttribute('data-testid'))!;
        expect(await outsideWindow(page, [...always, checkIn]), `${name}: the member`).toEqual([]);
        // and each Check in says so on one line
        const lines = await page.locator('[data-testid^=kiosk-checkin-]').evaluateAll((buttons) =>
          buttons.map((b) => {
            const range = document.createRange();
            range.selectNodeContents(b);
            return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
          }),
        );
        expect(lines, `${name}: the Check in buttons' lines`).toEqual([1, 1]);
        await screenshot(page, `${backend}-kiosk-tablet-${size.width}x${size.height}-${lang}-member`, { english: false });
        await page.context().close();
      }
    }
  });

  test('a long name, masked, stays inside its button and the greeting, in a 768 × 1024 window in English and in Korean', async () => {
    const page = await kiosk({ width: 768, height: 1024 }, 'en');
    const overflowing = (selector: string) =>
      page.locator(selector).evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > innerWidth).map((el) => (el as HTMLElement).innerText));
    await tapDigits(page, single);
    await page.getByTestId('kiosk-find').tap();
    await page.getByTestId('kiosk-match').waitFor();
    expect(await page.getByTestId('kiosk-match').innerText()).toBe('A***n');
    expect(await overflowing('[data-testid=kiosk-match]')).toEqual([]);
    await setLang(page, 'ko');
    expect(await overflowing('[data-testid=kiosk-match]')).toEqual([]);
    await page.getByTestId('kiosk-match').tap();
    await page.getByTestId('kiosk-member').waitFor();
    expect(await overflowing('#kiosk-member-title')).toEqual([]);
    await setLang(page, 'en');
    expect(await overflowing('#kiosk-member-title')).toEqual([]);
    await screenshot(page, `${backend}-kiosk-tablet-long-name`, { english: false });
    await page.context().close();
  });

  test('everything a finger taps at each step is at least 44 × 44 px, the sign-out confirmation’s buttons too; Cancel keeps the kiosk and Sign out signs it out', async () => {
    const page = await kiosk({ width: 768, height: 1024 });
    expect(await smallTargets(page), 'the digits').toEqual([]);
    await tapDigits(page, shared);
    await page.getByTestId('kiosk-find').tap();
    await page.getByTestId('kiosk-match').first().waitFor();
    expect(await smallTargets(page), 'the names').toEqual([]);
    await page.getByTestId('kiosk-match').filter({ hasText: '김*수' }).tap();
    await page.getByTestId(`kiosk-checkin-${bookedSeq}`).waitFor();
    expect(await smallTargets(page), 'the member').toEqual([]);

    await page.getByTestId('kiosk-sign-out').tap();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await smallTargets(page), 'the sign-out confirmation').toEqual([]);
    await page.getByTestId('confirm-cancel').tap();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect(await step(page)).toBe('member');
    await page.getByTestId('kiosk-sign-out').tap();
    await page.getByTestId('confirm-ok').tap();
    await page.locator('input[name=username]').waitFor();
    expect(await page.getByTestId('kiosk-screen').count()).toBe(0);
    await page.context().close();
  });

  test('each step takes the focus to what it says, so a screen reader reads it: the names, the member (no pass, an expired pass, no use left, each told why, a booking), the check-in, the start again by itself, the second check-in, a language switch, a minute without a touch, and digits nobody has, then 다시 입력 back to the empty digits', async () => {
    const page = await kiosk({ width: 1024, height: 768 }, 'ko', { clock: true });
    expect((await focused(page)).id).toBe('kiosk-digits');
    const findShared = async () => {
      await tapDigits(page, shared);
      await page.getByTestId('kiosk-find').tap();
      await page.getByTestId('kiosk-match').first().waitFor();
    };
    await findShared();
    expect(await page.getByTestId('kiosk-match').allTextContents()).toEqual(['강*늘', '김*수', '김*민', '남**수']);
    expect((await focused(page)).text).toBe('내 이름을 눌러 주세요');

    // no pass, a pass that has ended, a pass with no use left: no usable pass and no class today, said in words
    // and why, in plain words, with where to ask (the ended pass ended a day before now, not at midnight: with its time)
    const why: Record<string, RegExp> = {
      '강*늘': /^이용권은 안내 데스크에 문의해 주세요\.$/,
      '김*민': /^.+ 이용권이 \d{4}\. \d{1,2}\. \d{1,2}\. \d\d:\d\d에 끝났습니다\. 안내 데스크에 문의해 주세요\.$/,
      '남**수': /^.+ 이용권의 남은 횟수가 없습니다\. 안내 데스크에 문의해 주세요\.$/,
    };
    for (const masked of ['강*늘', '김*민', '남**수']) {
      await page.getByTestId('kiosk-match').filter({ hasText: masked }).tap();
      await page.getByTestId('kiosk-member').waitFor();
      expect((await focused(page)).text, masked).toBe(`${masked} 님, 반갑습니다`);
      const shown = await page.getByTestId('kiosk-member').innerText();
      expect(shown).toContain('사용할 수 있는 이용권이 없습니다.');
      expect(await page.getByTestId('kiosk-no-pass-why').innerText(), masked).toMatch(why[masked]!);
      expect(shown).toContain('오늘 예약한 수업이 없습니다.');
      await page.getByTestId('kiosk-start-over').tap();
      expect((await focused(page)).id).toBe('kiosk-digits');
      await findShared();
    }

    // the booked member; the language changes mid-way and the member stays
    await page.getByTestId('kiosk-match').filter({ hasText: '김*수' }).tap();
    await page.getByTestId(`kiosk-checkin-${bookedSeq}`).waitFor();
    expect((await focused(page)).text).toBe('김*수 님, 반갑습니다');
    await setLang(page, 'en');
    expect(await page.locator('#kiosk-member-title').innerText()).toBe('Hello, 김*수');
    await setLang(page, 'ko');
    await page.getByTestId(`kiosk-checkin-${bookedSeq}`).tap();
    await page.getByTestId('kiosk-done').waitFor();
    expect(await page.getByTestId('kiosk-done').getAttribute('role')).toBe('status');
    expect((await focused(page)).text).toBe('출석했습니다');
    // the confirmation goes back to the digits by itself
    await page.clock.runFor(DONE_MS);
    await page.getByTestId('kiosk-digits').waitFor();
    expect((await focused(page)).id).toBe('kiosk-digits');

    // checked in already: said so, and no button
    await findShared();
    await page.getByTestId('kiosk-match').filter({ hasText: '김*수' }).tap();
    await page.getByTestId(`kiosk-why-${bookedSeq}`).waitFor();
    expect(await page.getByTestId(`kiosk-why-${bookedSeq}`).innerText()).toBe('이미 출석했습니다');
    expect(await page.getByTestId(`kiosk-checkin-${bookedSeq}`).count()).toBe(0);
    // a minute without a touch: back to the digits, the member forgotten
    await page.clock.runFor(IDLE_MS);
    await page.getByTestId('kiosk-digits').waitFor();
    expect((await focused(page)).id).toBe('kiosk-digits');
    expect(await page.getByTestId('kiosk-screen').innerText()).not.toContain('김*수');

    // digits nobody has
    await tapDigits(page, nobody);
    await page.getByTestId('kiosk-find').tap();
    await page.getByTestId('kiosk-no-match').waitFor();
    const said = await focused(page);
    expect(said.id).toBe('kiosk-no-match');
    expect(said.text).toContain(`전화번호가 ${nobody}`);
    // 다시 입력: back to the digits, empty, the focus on them, big enough for a finger
    expect(await smallTargets(page), 'the nobody-found step').toEqual([]);
    await page.getByTestId('kiosk-retry').tap();
    await page.getByTestId('kiosk-digits').waitFor();
    expect((await focused(page)).id).toBe('kiosk-digits');
    expect(await page.getByTestId('kiosk-digits').inputValue()).toBe('');
    await tapDigits(page, shared);
    await page.getByTestId('kiosk-find').tap();
    await page.getByTestId('kiosk-match').first().waitFor();
    await page.context().close();
  });

  test('digits tapped on the keypad and then Enter on a keyboard search, as the Find button does', async () => {
    const page = await kiosk({ width: 1024, height: 768 });
    await tapDigits(page, shared);
    expect((await focused(page)).id).toBe(`kiosk-key-${shared.at(-1)}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('kiosk-match').first().waitFor();
    expect(await page.getByTestId('kiosk-match').count()).toBe(4);
    await page.context().close();
  });

  test('the digits field, focused when the step shows, asks the tablet for no system keyboard over the keypad, and a hardware keyboard still types into it and searches', async () => {
    const page = await kiosk({ width: 768, height: 1024 });
    const field = page.getByTestId('kiosk-digits');
    expect((await focused(page)).id).toBe('kiosk-digits');
    expect(await field.getAttribute('inputmode')).toBe('none');
    await page.keyboard.type(shared);
    expect(await field.inputValue()).toBe(shared);
    await page.keyboard.press('Enter');
    await page.getByTestId('kiosk-match').first().waitFor();
    expect(await page.getByTestId('kiosk-match').count()).toBe(4);
    await page.context().close();
  });
});
