// @vitest-environment happy-dom
// Issue 18, slice 3 on the Classes screen: the week's calendar asks for Monday to the next Monday
// and puts each class on its day; the desk opens a class, finds a member by the last four digits,
// books them with a pass the class takes (the waitlist when it is full), and cancels a booking
// only after confirming; a new class is scheduled from a dialog with its packages and weeks.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { mondayOf, useClasses } from '../../../renderer/src/stores/classes.ts';
import { useMembers } from '../../../renderer/src/stores/members.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const ZONE = 'Asia/Seoul';
// Wednesday of next week, 19:00 in Seoul: never in the past, always on a weekday column
const monday = DateTime.fromISO(mondayOf(new Date(), ZONE), { zone: ZONE }).plus({ weeks: 1 });
const start = monday.plus({ days: 2, hours: 19 });

const cls = (booked: number, waiting = 0) => ({
  classSeq: 7, title: '저녁 필라테스', instructor: '김강사', startedAt: start.toUTC().toISO()!, endedAt: start.plus({ hours: 1 }).toUTC().toISO()!,
  capacity: 2, seriesSeq: null, packageSeqs: [1], booked, waiting,
});
const booking = (userId: string, status = 'READY') => ({ bookingSeq: userId === 'M1' ? 101 : 102, userId, userName: `회원 ${userId}`, passSeq: 1, status, attended: false, usedPass: false, cancelledAt: null });

function classesBridge() {
  let bookings = [booking('M1')];
  const detail = () => ({ class: cls(bookings.filter((b) => b.status !== 'CANCELLED').length), bookings, waitlist: [], cancelPolicy: { cutoffMinutes: 180, lateCancelCountsAsUse: true } });
  return fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }, { packageSeq: 6, packageName: '인바디 상담', count: null, period: null, retiredAt: null, price: null }],
    'groups.list': () => [],
    'classes.list': () => [cls(bookings.length)],
    'classes.get': () => detail(),
    'members.search': () => ({ members: [{ userId: 'M2', userName: '최수연', phone: '01033334444', status: 'ACTIVE', livePasses: 2 }], total: 1, next: null }),
    'members.passes': () => ({
      member: { userId: 'M2', userName: '최수연', phone: '01033334444', status: 'ACTIVE', livePasses: 2, memo: null, createdAt: '2026-01-01T00:00:00Z' },
      groups: [],
      passes: [
        { passSeq: 60, packageSeq: 6, packageName: '인바디 상담', status: 'PROGRESSED', remainingCount: null, startedAt: '2026-01-01T00:00:00Z', endedAt: null, expiredAt: null, bulkPassSeq: null, price: null },
        { passSeq: 61, packageSeq: 1, packageName: 'PT 10회', status: 'PROGRESSED', remainingCount: 4, startedAt: '2026-01-01T00:00:00Z', endedAt: null, expiredAt: null, bulkPassSeq: null, price: null },
      ],
      bookings: [],
    }),
    'bookings.create': ({ userId }: { userId: string }) => {
      bookings = [...bookings, booking(userId)];
      return { outcome: 'WAITLISTED', bookingSeq: null, waitlistPosition: 1, detail: detail() };
    },
    'bookings.cancel': ({ bookingSeq }: { bookingSeq: number }) => {
      bookings = bookings.map((b) => (b.bookingSeq === bookingSeq ? { ...b, status: 'CANCELLED' } : b));
      return { bookingSeq, late: false, countedAsUse: false, promoted: null, detail: detail() };
    },
    'classes.create': (input: { repeatWeeks: number }) => Array.from({ length: input.repeatWeeks }, () => cls(0)),
    // a new time tells the one member booked
    'classes.update': () => ({ ...detail(), notified: 1 }),
  });
}

const calls = (bridge: ReturnType<typeof fakeBridge>, operation: string) => bridge.calls.filter((c) => c.operation === operation).map((c) => c.input);

beforeEach(() => {
  signedOut();
  useClasses.setState({ week: mondayOf(new Date(), ZONE), classes: { state: 'idle' }, classSeq: null, detail: { state: 'idle' } });
  useMembers.setState({ packages: { state: 'idle' } });
});
afterEach(cleanup);

test("next week's calendar asks for Monday to Monday and shows the class on its Wednesday; the desk books a member found by the last four digits with a pass the class takes", async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('week-next'));
  const card = await screen.findByTestId('class-card');
  expect(card.closest('[data-day]')?.getAttribute('data-day')).toBe(start.toFormat('yyyy-MM-dd'));
  expect(calls(bridge, 'classes.list').at(-1)).toEqual({ from: monday.toFormat('yyyy-MM-dd'), to: monday.plus({ weeks: 1 }).toFormat('yyyy-MM-dd') });
  expect(within(card).getByText('19:00–20:00')).toBeTruthy();

  fireEvent.click(card);
  const dialog = await screen.findByTestId('class-dialog');
  await within(dialog).findByTestId('class-detail');
  fireEvent.change(within(dialog).getByTestId('book-query'), { target: { value: '4444' } });
  fireEvent.click(within(dialog).getByTestId('book-search'));
  fireEvent.click(await within(dialog).findByTestId('book-member'));
  // the pass of a package the class takes is picked, not the first one listed
  await waitFor(() => expect((within(dialog).getByTestId('book-pass') as HTMLSelectElement).value).toBe('61'));
  fireEvent.click(within(dialog).getByTestId('book-submit'));
  await waitFor(() => expect(calls(bridge, 'bookings.create')).toEqual([{ classSeq: 7, userId: 'M2', passSeq: 61 }]));
  await screen.findByText('정원이 차서 최수연 회원을 대기 1번으로 올렸습니다.');
});

test('cancelling a booking asks first: Cancel sends nothing, confirming cancels it', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('week-next'));
  fireEvent.click(await screen.findByTestId('class-card'));
  const dialog = await screen.findByTestId('class-dialog');
  fireEvent.click(await within(dialog).findByTestId('booking-cancel'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  expect(calls(bridge, 'bookings.cancel')).toEqual([]);
  fireEvent.click(within(dialog).getByTestId('booking-cancel'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(calls(bridge, 'bookings.cancel')).toEqual([{ bookingSeq: 101 }]));
  await waitFor(() => expect(within(dialog).getByTestId('class-booking').dataset.status).toBe('CANCELLED'));
});

test('a new class is scheduled from the dialog with its day, times, capacity, packages and weeks', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('class-new'));
  const form = await screen.findByTestId('class-form');
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '아침 요가' } });
  fireEvent.change(within(form).getByTestId('class-form-day'), { target: { value: '2099-03-02' } });
  fireEvent.change(within(form).getByTestId('class-form-start'), { target: { value: '07:00' } });
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '07:50' } });
  fireEvent.change(within(form).getByTestId('class-form-capacity'), { target: { value: '12' } });
  fireEvent.change(within(form).getByTestId('class-form-weeks'), { target: { value: '4' } });
  fireEvent.click(await within(form).findByLabelText('PT 10회'));
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await waitFor(() =>
    expect(calls(bridge, 'classes.create')).toEqual([{ title: '아침 요가', startedAt: '2099-03-02T07:00', endedAt: '2099-03-02T07:50', capacity: 12, packageSeqs: [1], repeatWeeks: 4 }]),
  );
  await screen.findByText('수업 4개를 만들었습니다.');
});

test('while a new class can’t be made yet, the form says why beside its button, in Korean and in English: a title, then a package to tick', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('class-new'));
  const form = await screen.findByTestId('class-form');
  const submit = within(form).getByTestId('class-form-submit') as HTMLButtonElement;
  const why = () => within(form).queryByTestId('class-form-submit-why');
  expect(submit.disabled).toBe(true);
  expect(why()?.textContent).toBe('수업 이름을 쓰세요. 예약할 수 있는 패키지를 하나 이상 고르세요.');
  expect(submit.getAttribute('aria-describedby')).toBe(why()!.id);

  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '아침 요가' } });
  expect(submit.disabled).toBe(true);
  expect(why()?.textContent).toBe('예약할 수 있는 패키지를 하나 이상 고르세요.');
  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(why()?.textContent).toBe('Tick at least one package that may book it.'));

  fireEvent.click(await within(form).findByLabelText('PT 10회'));
  expect(submit.disabled).toBe(false);
  expect(why()).toBeNull();
  expect(submit.getAttribute('aria-describedby')).toBeNull();
});

test('the class’s day is typed as 2026-12-07 whatever the browser’s locale: a day that is not one is said under it and nothing is sent, a day typed is the class’s', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('class-new'));
  const form = await screen.findByTestId('class-form');
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '저녁 요가' } });
  fireEvent.click(await within(form).findByLabelText('PT 10회'));
  const day = within(form).getByTestId('class-form-day') as HTMLInputElement;
  expect([day.type, day.placeholder]).toEqual(['text', 'YYYY-MM-DD']);
  const errorUnder = () => day.closest('label.field')!.querySelector('.field-error')?.textContent;
  for (const typed of ['2099-02-30', '03/02/2099']) {
    fireEvent.change(day, { target: { value: typed } });
    fireEvent.click(within(form).getByTestId('class-form-submit'));
    await waitFor(() => expect(errorUnder()).toBe('날짜를 2026-12-01처럼 넣으세요'));
    expect(day.getAttribute('aria-invalid')).toBe('true');
  }
  fireEvent.change(day, { target: { value: '2099-03-02' } });
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await waitFor(() => expect(calls(bridge, 'classes.create')).toEqual([{ title: '저녁 요가', startedAt: '2099-03-02T19:00', endedAt: '2099-03-02T20:00', capacity: 10, packageSeqs: [1], repeatWeeks: 1 }]));
});

test('editing a booked class says, once its time is changed, how many booked or waiting members will be sent the new time, and once saved that they are told; a change of title alone says nothing', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('week-next'));
  fireEvent.click(await screen.findByTestId('class-card'));
  const dialog = await screen.findByTestId('class-dialog');
  fireEvent.click(await within(dialog).findByTestId('class-edit'));
  const form = await screen.findByTestId('class-form');
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '저녁 필라테스 B' } });
  expect(within(form).queryByTestId('class-form-moved')).toBeNull();
  fireEvent.change(within(form).getByTestId('class-form-start'), { target: { value: '20:00' } });
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '21:00' } });
  expect(within(form).getByTestId('class-form-moved').textContent).toBe('저장하면 예약하거나 대기 중인 회원 1명에게 바뀐 시각을 알림으로 보냅니다.');
  fireEvent.change(within(form).getByTestId('class-form-start'), { target: { value: '19:00' } });
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '20:00' } });
  expect(within(form).queryByTestId('class-form-moved')).toBeNull();
  fireEvent.change(within(form).getByTestId('class-form-start'), { target: { value: '20:00' } });
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '21:00' } });
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await screen.findByText('수업을 바꿨습니다. 회원 1명에게 바뀐 시각을 알립니다.');
  expect(calls(bridge, 'classes.update')).toEqual([expect.objectContaining({ classSeq: 7, startedAt: `${start.toFormat('yyyy-MM-dd')}T20:00`, endedAt: `${start.toFormat('yyyy-MM-dd')}T21:00` })]);
});

test("a cancelled class's dialog says its waitlist was cleared when it was cancelled, not that nobody is waiting", async () => {
  const cancelledAt = start.minus({ days: 1 }).toUTC().toISO()!;
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'classes.list': () => [{ ...cls(0), cancelledAt }],
    'classes.get': () => ({ class: { ...cls(0), cancelledAt }, bookings: [{ ...booking('M1', 'CANCELLED'), cancelledAt }], waitlist: [] }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('week-next'));
  fireEvent.click(await screen.findByTestId('class-card'));
  const dialog = await screen.findByTestId('class-dialog');
  expect((await within(dialog).findByTestId('waitlist-cleared')).textContent).toBe('수업이 취소되어 대기 명단을 비웠습니다. 대기하던 회원에게도 취소를 알렸습니다.');
  expect(within(dialog).queryByText('대기 중인 회원이 없습니다.')).toBeNull();
});

/** Next week's one class `klass` (booked by M1) open in its dialog at the desk; `edit` opens its edit form. */
async function classDialogOf(klass: ReturnType<typeof cls>) {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }],
    'classes.list': () => [klass],
    'classes.get': () => ({ class: klass, bookings: [booking('M1')], waitlist: [] }),
    'classes.update': () => ({ class: klass, bookings: [booking('M1')], waitlist: [], notified: 0 }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('week-next'));
  fireEvent.click(await screen.findByTestId('class-card'));
  const dialog = await screen.findByTestId('class-dialog');
  const edit = async () => {
    fireEvent.click(await within(dialog).findByTestId('class-edit'));
    return screen.findByTestId('class-form');
  };
  return { bridge, dialog, edit };
}

test('editing a class whose times have seconds (made through the API) sends a start or end only when the desk changed it, to the minute: a new title alone sends no time, so the service does not count it as a move', async () => {
  const odd = { ...cls(1), startedAt: start.plus({ seconds: 30 }).toUTC().toISO()!, endedAt: start.plus({ hours: 1, seconds: 30 }).toUTC().toISO()! };
  const { bridge, edit } = await classDialogOf(odd);
  let form = await edit();
  expect(within(form).getByTestId<HTMLInputElement>('class-form-start').value).toBe('19:00');
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '저녁 필라테스 B' } });
  expect(within(form).queryByTestId('class-form-moved')).toBeNull();
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await waitFor(() => expect(calls(bridge, 'classes.update')).toHaveLength(1));
  expect(calls(bridge, 'classes.update')[0]).toEqual({ classSeq: 7, title: '저녁 필라테스 B', capacity: 2, packageSeqs: [1], instructor: '김강사' });
  await waitFor(() => expect(screen.queryByTestId('class-form')).toBeNull());

  // only the end changed: the end is sent, the start (with its seconds) is left as it is
  form = await edit();
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '20:15' } });
  expect(within(form).getByTestId('class-form-moved')).toBeTruthy();
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await waitFor(() => expect(calls(bridge, 'classes.update')).toHaveLength(2));
  const second = calls(bridge, 'classes.update')[1] as Record<string, unknown>;
  expect(second).toMatchObject({ endedAt: `${start.toFormat('yyyy-MM-dd')}T20:15` });
  expect(second).not.toHaveProperty('startedAt');
});

test('a class from 23:30 to 00:30 is sent ending the next day, and the form says so under its times', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('class-new'));
  const form = await screen.findByTestId('class-form');
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '심야 요가' } });
  fireEvent.change(within(form).getByTestId('class-form-day'), { target: { value: '2099-03-02' } });
  fireEvent.change(within(form).getByTestId('class-form-start'), { target: { value: '23:30' } });
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '00:30' } });
  expect(within(form).getByTestId('class-form-next-day').textContent).toBe('다음 날 2099. 3. 3. 00:30에 끝납니다.');
  fireEvent.click(await within(form).findByLabelText('PT 10회'));
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await waitFor(() => expect(calls(bridge, 'classes.create')).toEqual([expect.objectContaining({ startedAt: '2099-03-02T23:30', endedAt: '2099-03-03T00:30' })]));
});

test('a start or end that is not a 24-hour time is said under its field and nothing is sent', async () => {
  const bridge = classesBridge();
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('classes'));
  fireEvent.click(await screen.findByTestId('class-new'));
  const form = await screen.findByTestId('class-form');
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '아침 요가' } });
  fireEvent.change(within(form).getByTestId('class-form-day'), { target: { value: '2099-03-02' } });
  fireEvent.change(within(form).getByTestId('class-form-end'), { target: { value: '25:00' } });
  fireEvent.click(await within(form).findByLabelText('PT 10회'));
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  const end = within(form).getByTestId('class-form-end');
  await waitFor(() => expect(end.closest('label.field')!.querySelector('.field-error')?.textContent).toBe('시각을 24시간으로 넣으세요 (예: 14:30)'));
  expect(end.getAttribute('aria-invalid')).toBe('true');
  fireEvent.change(end, { target: { value: '20:00' } });
  fireEvent.change(within(form).getByTestId('class-form-start'), { target: { value: '7:00 PM' } });
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  const start = within(form).getByTestId('class-form-start');
  await waitFor(() => expect(start.closest('label.field')!.querySelector('.field-error')?.textContent).toBe('시각을 24시간으로 넣으세요 (예: 14:30)'));
  expect(calls(bridge, 'classes.create')).toEqual([]);
});

test('editing a class that runs past midnight shows its times as they are, and a new title alone sends no time', async () => {
  const late = { ...cls(1), startedAt: start.set({ hour: 23, minute: 30 }).toUTC().toISO()!, endedAt: start.set({ hour: 23, minute: 30 }).plus({ hours: 1 }).toUTC().toISO()! };
  const { bridge, edit } = await classDialogOf(late);
  const form = await edit();
  expect(within(form).getByTestId<HTMLInputElement>('class-form-start').value).toBe('23:30');
  expect(within(form).getByTestId<HTMLInputElement>('class-form-end').value).toBe('00:30');
  expect(within(form).getByTestId('class-form-next-day')).toBeTruthy();
  expect(within(form).queryByTestId('class-form-moved')).toBeNull();
  fireEvent.change(within(form).getByTestId('class-form-title'), { target: { value: '심야 필라테스' } });
  fireEvent.click(within(form).getByTestId('class-form-submit'));
  await waitFor(() => expect(calls(bridge, 'classes.update')).toHaveLength(1));
  expect(calls(bridge, 'classes.update')[0]).toEqual({ classSeq: 7, title: '심야 필라테스', capacity: 2, packageSeqs: [1], instructor: '김강사' });
});
