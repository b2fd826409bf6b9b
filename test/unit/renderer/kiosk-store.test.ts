// The check-in kiosk's store against a fake bridge, on fake timers: the digits as a member types
// them, every call carrying them again, and the member forgotten when the screen starts over: at
// once after a check-in (only the confirmation stays, for KIOSK_DONE_MS), after KIOSK_IDLE_MS
// without a touch at any other step, and an answer that arrives after that is dropped.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { KioskMember } from '../../../main/service/contract.ts';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { KIOSK_DONE_MS, KIOSK_IDLE_MS, useKiosk } from '../../../renderer/src/stores/kiosk.ts';
import { useSession } from '../../../renderer/src/stores/session.ts';
import { fakeBridge } from './fakeBridge.ts';

const HANDLE = 'a1b2c3d4e5f6a7b8c9d0e1f2';
const member: KioskMember = {
  member: HANDLE,
  maskedName: '김*수',
  timeZone: 'Asia/Seoul',
  passes: [{ packageName: 'PT 10회', remainingCount: 4, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2099-01-31T15:00:00.000Z' }],
  bookings: [{ bookingSeq: 201, classTitle: '저녁 필라테스', startedAt: '2099-01-01T10:00:00.000Z', endedAt: '2099-01-01T11:00:00.000Z', attended: false, canCheckIn: true }],
  lastPass: null,
};

function bridgeFor(handlers: Parameters<typeof fakeBridge>[0] = {}) {
  const bridge = fakeBridge({
    'kiosk.find': () => [{ member: HANDLE, maskedName: '김*수' }],
    'kiosk.member': () => member,
    'kiosk.checkIn': ({ bookingSeq }: { bookingSeq: number }) => ({ bookingSeq, classTitle: '저녁 필라테스', member: { ...member, bookings: [{ ...member.bookings[0]!, attended: true, canCheckIn: false }] } }),
    ...handlers,
  });
  setBridge(bridge);
  return bridge;
}

async function toMember(): Promise<void> {
  for (const key of '5678') useKiosk.getState().press(key);
  await useKiosk.getState().find();
  await useKiosk.getState().pick(HANDLE);
  expect(useKiosk.getState().step).toBe('member');
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  useKiosk.getState().startOver();
});
afterEach(() => {
  useKiosk.getState().startOver();
  vi.useRealTimers();
});

describe('the digits', () => {
  test('the keypad takes digits up to four and deletes the last; the field keeps only its first four digits', () => {
    const kiosk = useKiosk.getState();
    for (const key of ['1', '2', 'x', '3', '4', '5']) kiosk.press(key);
    expect(useKiosk.getState().digits).toBe('1234');
    kiosk.press('back');
    expect(useKiosk.getState().digits).toBe('123');
    kiosk.setDigits('010-98 76abc');
    expect(useKiosk.getState().digits).toBe('0109');
  });

  test('nothing is searched before four digits; every later call carries the digits again', async () => {
    const bridge = bridgeFor();
    useKiosk.getState().press('5');
    await useKiosk.getState().find();
    expect(bridge.calls).toEqual([]);
    useKiosk.getState().press('back');
    await toMember();
    await useKiosk.getState().checkIn(201);
    expect(bridge.calls).toEqual([
      { operation: 'kiosk.find', input: { phoneLast4: '5678' } },
      { operation: 'kiosk.member', input: { phoneLast4: '5678', member: HANDLE } },
      { operation: 'kiosk.checkIn', input: { phoneLast4: '5678', member: HANDLE, bookingSeq: 201 } },
    ]);
  });
});

describe('forgetting the member', () => {
  test('a check-in forgets the member, the digits and the names at once; the confirmation goes after 10 seconds by itself', async () => {
    bridgeFor();
    await toMember();
    await useKiosk.getState().checkIn(201);
    expect(useKiosk.getState()).toMatchObject({ step: 'done', digits: '', matches: [], member: null, checkedIn: { maskedName: '김*수', classTitle: '저녁 필라테스' } });
    // touches do not hold the confirmation on screen
    useKiosk.getState().touch();
    vi.advanceTimersByTime(KIOSK_DONE_MS - 1);
    expect(useKiosk.getState().step).toBe('done');
    vi.advanceTimersByTime(1);
    expect(useKiosk.getState()).toMatchObject({ step: 'digits', digits: '', checkedIn: null, member: null });
    expect(KIOSK_DONE_MS).toBe(10_000);
  });

  test('a minute without a touch takes the screen back to the digits and forgets the member; a touch starts the minute again', async () => {
    bridgeFor();
    await toMember();
    vi.advanceTimersByTime(KIOSK_IDLE_MS - 1);
    useKiosk.getState().touch();
    vi.advanceTimersByTime(KIOSK_IDLE_MS - 1);
    expect(useKiosk.getState().member?.maskedName).toBe('김*수');
    vi.advanceTimersByTime(1);
    expect(useKiosk.getState()).toMatchObject({ step: 'digits', digits: '', matches: [], member: null, error: null });
    expect(KIOSK_IDLE_MS).toBe(60_000);
  });

  test('digits typed and left are cleared after a minute too; the empty screen has no timer', () => {
    useKiosk.getState().press('1');
    vi.advanceTimersByTime(KIOSK_IDLE_MS);
    expect(useKiosk.getState().digits).toBe('');
    expect(vi.getTimerCount()).toBe(0);
  });

  test('an answer that arrives after the screen started over is not shown', async () => {
    let answer!: (value: KioskMember) => void;
    bridgeFor({ 'kiosk.member': () => new Promise<KioskMember>((resolve) => (answer = resolve)) });
    for (const key of '5678') useKiosk.getState().press(key);
    await useKiosk.getState().find();
    const picking = useKiosk.getState().pick(HANDLE);
    useKiosk.getState().startOver();
    answer(member);
    await picking;
    expect(useKiosk.getState()).toMatchObject({ step: 'digits', member: null, busy: false });
  });
});

describe('refusals', () => {
  test('a refused check-in is shown in both languages and the member’s bookings are asked for again', async () => {
    const refusal = { ko: '저녁 필라테스 수업에 이미 출석했습니다.', en: 'You have already checked in to 저녁 필라테스.' };
    const bridge = bridgeFor({
      'kiosk.checkIn': () => Promise.reject(new BridgeError('CONFLICT', refusal, undefined, 409)),
    });
    await toMember();
    await useKiosk.getState().checkIn(201);
    expect(useKiosk.getState()).toMatchObject({ step: 'member', error: refusal, busy: false });
    expect(bridge.calls.map((c) => c.operation)).toEqual(['kiosk.find', 'kiosk.member', 'kiosk.checkIn', 'kiosk.member']);
  });

  test('a session that ended sends the kiosk back to the sign-in and forgets the member', async () => {
    bridgeFor({ 'kiosk.member': () => Promise.reject(new BridgeError('UNAUTHENTICATED', { ko: '로그인이 필요합니다.', en: 'Sign in first.' }, undefined, 401)) });
    useSession.setState({ status: 'signedIn', me: { username: 'kiosk1', role: 'KIOSK', mustChangePassword: false } });
    for (const key of '5678') useKiosk.getState().press(key);
    await useKiosk.getState().find();
    await useKiosk.getState().pick(HANDLE);
    expect(useKiosk.getState()).toMatchObject({ step: 'digits', digits: '', error: null });
    expect(useSession.getState()).toMatchObject({ status: 'signedOut', me: null });
  });
});
