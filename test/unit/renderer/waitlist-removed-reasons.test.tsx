// @vitest-environment happy-dom
// The class dialog's "taken off the waitlist" list: each member with why, in the screen's
// language, and "Member notified" only beside those the service says were told through the outbox
// (booked elsewhere at that time, or a pass that no longer pays, or deactivated since deactivations
// are told); not beside those taken off at the desk, who are sent nothing, nor beside a member
// deactivated before then.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { mondayOf, useClasses } from '../../../renderer/src/stores/classes.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const ZONE = 'Asia/Seoul';
const monday = DateTime.fromISO(mondayOf(new Date(), ZONE), { zone: ZONE }).plus({ weeks: 1 });
const start = monday.plus({ days: 2, hours: 19 });
const cls = {
  classSeq: 7, title: '저녁 필라테스', instructor: null, startedAt: start.toUTC().toISO()!, endedAt: start.plus({ hours: 1 }).toUTC().toISO()!,
  capacity: 1, seriesSeq: null, packageSeqs: [1], booked: 0, waiting: 0,
};
const removed = (userId: string, reason: string, why: { ko: string; en: string }, told: boolean) => ({
  userId, userName: `회원 ${userId}`, passSeq: 1, reason, why, waitedSince: start.minus({ days: 3 }).toUTC().toISO()!, removedAt: start.minus({ days: 1 }).toUTC().toISO()!, told,
});
const INACTIVE = { ko: '회원이 휴면 처리되어 대기 명단에서 빠졌습니다.', en: 'The member was deactivated.' };
const REMOVED = [
  removed('M1', 'DESK', { ko: '프런트에서 대기 명단에서 뺐습니다.', en: 'Taken off at the desk.' }, false),
  removed('M2', 'OVERLAP', { ko: "시간이 겹치는 '요가' 수업(2026-12-10 19:00–20:00)에 예약되어 있습니다.", en: "Booked into '요가' (2026-12-10 19:00–20:00), which overlaps this class." }, true),
  removed('M3', 'INACTIVE', INACTIVE, true),
  removed('M4', 'PASS', { ko: '이용권이 끝났습니다.', en: 'The pass has ended.' }, true),
  removed('M5', 'INACTIVE', INACTIVE, false),
];

beforeEach(() => {
  signedOut();
  useLang.setState({ lang: 'ko' });
  useClasses.setState({ week: mondayOf(new Date(), ZONE), classes: { state: 'idle' }, classSeq: null, detail: { state: 'idle' } });
});
afterEach(cleanup);

test("the taken-off list gives each member's why in the screen's language, and 'Member notified' only beside those the service says were told, not beside those taken off at the desk nor a member deactivated before deactivations were told", async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }],
    'classes.list': () => [cls],
    'classes.get': () => ({ class: cls, bookings: [], waitlist: [], removedFromWaitlist: REMOVED }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('week-next'));
  fireEvent.click(await screen.findByTestId('class-card'));
  const dialog = await screen.findByTestId('class-dialog');
  const list = await within(dialog).findByTestId('waitlist-removed');
  const rows = () => [...list.querySelectorAll('li')].map((li) => [li.getAttribute('data-reason'), li.querySelector('[data-testid=waitlist-removed-why]')!.textContent]);
  expect(rows()).toEqual([
    ['DESK', '프런트에서 대기 명단에서 뺐습니다.'],
    ['OVERLAP', "시간이 겹치는 '요가' 수업(2026-12-10 19:00–20:00)에 예약되어 있습니다.회원에게 알림"],
    ['INACTIVE', '회원이 휴면 처리되어 대기 명단에서 빠졌습니다.회원에게 알림'],
    ['PASS', '이용권이 끝났습니다.회원에게 알림'],
    ['INACTIVE', '회원이 휴면 처리되어 대기 명단에서 빠졌습니다.'],
  ]);
  act(() => useLang.getState().setLang('en'));
  expect(rows()).toEqual([
    ['DESK', 'Taken off at the desk.'],
    ['OVERLAP', "Booked into '요가' (2026-12-10 19:00–20:00), which overlaps this class.Member notified"],
    ['INACTIVE', 'The member was deactivated.Member notified'],
    ['PASS', 'The pass has ended.Member notified'],
    ['INACTIVE', 'The member was deactivated.'],
  ]);
});
