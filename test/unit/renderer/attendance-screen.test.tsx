// @vitest-environment happy-dom
// Issue 18, slice 4 at the desk: the Classes screen's "today" shows today's classes; in a class,
// each booking that holds a place has an attendance toggle (pressed when attended, with the time),
// "everyone attended" marks the whole class without asking, and the service's refusal is shown in
// the screen's language. The Settings screen's no-show checkbox is saved with the booking policy.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { ClassBookingView, SettingsView } from '../../../main/service/contract.ts';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { mondayOf, useClasses } from '../../../renderer/src/stores/classes.ts';
import { useSettings } from '../../../renderer/src/stores/settings.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const ZONE = 'Asia/Seoul';
const start = DateTime.now().setZone(ZONE).plus({ minutes: 30 }).startOf('minute');
const today = DateTime.now().setZone(ZONE).toFormat('yyyy-MM-dd');
// 19:05 in Seoul
const MARKED_AT = '2026-12-06T10:05:00.000Z';

const cls = (booked: number) => ({
  classSeq: 7, title: '저녁 필라테스', instructor: null, startedAt: start.toUTC().toISO()!, endedAt: start.plus({ hours: 1 }).toUTC().toISO()!,
  capacity: 10, seriesSeq: null, packageSeqs: [1], booked, waiting: 0,
});
const booking = (bookingSeq: number, userName: string, status = 'READY'): ClassBookingView => ({
  bookingSeq, userId: `M${bookingSeq}`, userName, passSeq: bookingSeq, status: status as ClassBookingView['status'], attended: false, attendedAt: null, usedPass: false, cancelledAt: null,
});

function attendanceBridge(refuse?: { ko: string; en: string }) {
  let bookings = [booking(101, '최수연'), booking(102, '박지훈'), booking(103, '이민아', 'CANCELLED')];
  const detail = () => ({ class: cls(2), bookings, waitlist: [] });
  const mark = (seqs: number[], attended: boolean) => {
    bookings = bookings.map((b) => (seqs.includes(b.bookingSeq) ? { ...b, attended, attendedAt: attended ? MARKED_AT : null } : b));
  };
  return fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [],
    'classes.list': () => [cls(2)],
    'classes.get': () => detail(),
    'bookings.markAttended': ({ bookingSeq, attended }: { bookingSeq: number; attended: boolean }) => {
      if (refuse) return Promise.reject(new BridgeError('CONFLICT', refuse, undefined, 409));
      mark([bookingSeq], attended);
      return detail();
    },
    'classes.markAllAttended': () => {
      mark(bookings.filter((b) => b.status !== 'CANCELLED').map((b) => b.bookingSeq), true);
      return detail();
    },
  });
}

const calls = (bridge: ReturnType<typeof fakeBridge>, operation: string) => bridge.calls.filter((c) => c.operation === operation).map((c) => c.input);
const pressed = (testId: string) => screen.getByTestId(testId).getAttribute('aria-pressed');

async function openTodaysClass(bridge: ReturnType<typeof fakeBridge>) {
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('classes-today'));
  const list = await screen.findByTestId('today-list');
  fireEvent.click(await within(list).findByTestId('class-card'));
  const dialog = await screen.findByTestId('class-dialog');
  await within(dialog).findByTestId('class-detail');
  return dialog;
}

beforeEach(() => {
  signedOut();
  useClasses.setState({ week: mondayOf(new Date(), ZONE), day: null, classes: { state: 'idle' }, classSeq: null, detail: { state: 'idle' } });
  useSettings.setState({ settings: { state: 'idle' }, draft: null, serverProblems: {} });
});
afterEach(cleanup);

test("'today' asks for today's classes only and lists them; the week buttons go back to the week", async () => {
  const bridge = attendanceBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  await screen.findByTestId('week-grid');
  fireEvent.click(screen.getByTestId('classes-today'));
  const list = await screen.findByTestId('today-list');
  expect(calls(bridge, 'classes.list').at(-1)).toEqual({ from: today, to: DateTime.fromISO(today).plus({ days: 1 }).toFormat('yyyy-MM-dd') });
  expect(screen.getByTestId('classes-today').getAttribute('aria-pressed')).toBe('true');
  expect(within(list).getByTestId('class-card').textContent).toContain('저녁 필라테스');
  expect(screen.queryByTestId('week-grid')).toBeNull();
  fireEvent.click(screen.getByTestId('week-today'));
  await screen.findByTestId('week-grid');
  expect(screen.queryByTestId('today-list')).toBeNull();
});

test('each booking holding a place is a toggle: pressed marks it attended with the time, pressed again takes it back; a cancelled one has none', async () => {
  const bridge = attendanceBridge();
  const dialog = await openTodaysClass(bridge);
  expect(pressed('attend-101')).toBe('false');
  expect(pressed('attend-102')).toBe('false');
  expect(screen.queryByTestId('attend-103')).toBeNull();
  expect(screen.getByTestId('attend-101').getAttribute('aria-label')).toBe('최수연 출석');
  expect(within(dialog).getByTestId('attended-count').textContent).toBe('출석 0/2명');

  fireEvent.click(screen.getByTestId('attend-101'));
  await waitFor(() => expect(pressed('attend-101')).toBe('true'));
  expect(calls(bridge, 'bookings.markAttended')).toEqual([{ bookingSeq: 101, attended: true }]);
  const row = within(dialog).getAllByTestId('class-booking').find((li) => li.dataset.user === 'M101')!;
  expect(within(row).getByTestId('attended-at').textContent).toBe('19:05 출석');
  expect(within(dialog).getByTestId('attended-count').textContent).toBe('출석 1/2명');

  fireEvent.click(screen.getByTestId('attend-101'));
  await waitFor(() => expect(pressed('attend-101')).toBe('false'));
  expect(calls(bridge, 'bookings.markAttended')).toEqual([{ bookingSeq: 101, attended: true }, { bookingSeq: 101, attended: false }]);
  expect(within(row).queryByTestId('attended-at')).toBeNull();
});

test('everyone attended marks the whole class at once, without a confirmation', async () => {
  const bridge = attendanceBridge();
  await openTodaysClass(bridge);
  fireEvent.click(screen.getByTestId('attend-all'));
  await waitFor(() => expect(calls(bridge, 'classes.markAllAttended')).toEqual([{ classSeq: 7 }]));
  expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  await waitFor(() => expect([pressed('attend-101'), pressed('attend-102')]).toEqual(['true', 'true']));
  await screen.findByText('2명을 출석으로 표시했습니다.');
  expect((screen.getByTestId('attend-all') as HTMLButtonElement).disabled).toBe(true);
});

test("a refused mark shows the service's words in the screen's language and leaves the toggle as it was", async () => {
  const refusal = { ko: '수업 시작 1시간 전부터 출석할 수 있습니다.', en: 'Attendance opens an hour before the class starts.' };
  await openTodaysClass(attendanceBridge(refusal));
  fireEvent.click(screen.getByTestId('attend-102'));
  expect((await screen.findByTestId('attend-error')).textContent).toBe(refusal.ko);
  expect(pressed('attend-102')).toBe('false');
  act(() => useLang.getState().setLang('en'));
  expect(screen.getByTestId('attend-error').textContent).toBe(refusal.en);
  act(() => useLang.getState().setLang('ko'));
});

// ---- Settings: the no-show policy --------------------------------------------------------------

const settingsView = (deductNoShows: boolean): SettingsView => ({
  timeZone: 'Asia/Seoul',
  activeTimeZone: 'Asia/Seoul',
  language: 'ko',
  dataFolder: '/data',
  allowedFolders: [],
  notifier: { kind: 'logFile' },
  database: { url: 'sqlite:/data/gym.sqlite', dialect: 'sqlite' },
  modifiedAt: null,
  modifiedBy: null,
  bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows },
});

test('the no-show checkbox shows the saved policy, and unticked it is saved with the policy after a confirmation that says so', async () => {
  let saved = settingsView(true);
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'jobs.list': () => [],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'backups.list': () => ({ supported: false, databaseFile: null, folder: null, keep: null, backups: [] }),
    'settings.get': () => saved,
    'settings.update': (input: { bookingPolicy: SettingsView['bookingPolicy'] }) => {
      saved = { ...saved, bookingPolicy: { ...saved.bookingPolicy, ...input.bookingPolicy } };
      return saved;
    },
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('settings'));
  const box = (await screen.findByTestId('settings-deduct-no-shows')) as HTMLInputElement;
  expect(box.checked).toBe(true);
  expect(box.closest('label')!.textContent).toBe('결석(노쇼)도 이용권 1회 차감');

  fireEvent.click(box);
  expect(box.checked).toBe(false);
  fireEvent.click(screen.getByTestId('settings-save'));
  const confirm = await screen.findByTestId('confirm-dialog');
  expect(within(confirm).getByTestId('settings-changes').textContent).toBe(
    '수업 예약 규칙 (취소·노쇼): 180분 전까지 무료, 뒤에는 1회 차감, 노쇼도 1회 차감 → 180분 전까지 무료, 뒤에는 1회 차감, 출석한 예약만 차감',
  );
  fireEvent.click(within(confirm).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'settings.update')).toEqual([{ bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows: false } }]));
  await screen.findByText('설정을 저장했습니다.');
  expect((screen.getByTestId('settings-deduct-no-shows') as HTMLInputElement).checked).toBe(false);
});
