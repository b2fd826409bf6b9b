// @vitest-environment happy-dom
// Issue 18, slice 4: the check-in kiosk on screen. A kiosk account sees the kiosk screen and
// nothing else, wherever it signs in; the kiosk's window (/kiosk, #kiosk) shows a staff account
// only that it needs a kiosk account. The member's way through: the last four digits (keypad or
// typing) → the masked names → their passes and today's bookings (why one can't be checked in
// to) → check in → the confirmation, the member forgotten; a refusal in the screen's language.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KioskMember } from '../../../main/service/contract.ts';
import { App } from '../../../renderer/src/App.tsx';
import { BridgeError, type Bridge } from '../../../renderer/src/bridge/Bridge.ts';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useKiosk } from '../../../renderer/src/stores/kiosk.ts';
import { isKioskLocation, useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut } from './signIn.tsx';

const HANDLE = 'a1b2c3d4e5f6a7b8c9d0e1f2';
const OTHER = 'ffffffffffffffffffffffff';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const now = Date.now();

const memberView = (timeZone = 'Asia/Seoul'): KioskMember => ({
  member: HANDLE,
  maskedName: '김*수',
  timeZone,
  passes: [
    { packageName: 'PT 10회', remainingCount: 4, startedAt: iso(now - 24 * HOUR), endedAt: '2099-01-31T15:00:00.000Z' },
    { packageName: '자유 이용권', remainingCount: null, startedAt: iso(now - 24 * HOUR), endedAt: null },
  ],
  lastPass: null,
  bookings: [
    { bookingSeq: 201, classTitle: '저녁 필라테스', startedAt: iso(now + HOUR / 2), endedAt: iso(now + 1.5 * HOUR), attended: false, canCheckIn: true },
    { bookingSeq: 202, classTitle: '밤 요가', startedAt: iso(now + 5 * HOUR), endedAt: iso(now + 6 * HOUR), attended: false, canCheckIn: false },
    { bookingSeq: 203, classTitle: '아침 스피닝', startedAt: iso(now - 3 * HOUR), endedAt: iso(now - 2 * HOUR), attended: true, canCheckIn: false },
    { bookingSeq: 204, classTitle: '점심 스트레칭', startedAt: iso(now - 3 * HOUR), endedAt: iso(now - 2 * HOUR), attended: false, canCheckIn: false },
  ],
});

/** A bridge whose `kiosk…` accounts sign in as KIOSK and `desk` as the front desk. */
function kioskBridge(handlers: Parameters<typeof fakeBridge>[0] = {}) {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'kiosk.find': ({ phoneLast4 }: { phoneLast4: string }) =>
      phoneLast4 === '5678' ? [{ member: HANDLE, maskedName: '김*수' }, { member: OTHER, maskedName: '김*희' }] : [],
    'kiosk.member': () => memberView(),
    'kiosk.checkIn': ({ bookingSeq }: { bookingSeq: number }) => ({ bookingSeq, classTitle: '저녁 필라테스', member: memberView() }),
    ...handlers,
  });
  const login: Bridge['login'] = async (username) => ({
    token: 't',
    username,
    role: username.startsWith('kiosk') ? 'KIOSK' : username === 'admin' ? 'ADMIN' : 'FRONT_DESK',
    expiresAt: '2099-01-01T00:00:00Z',
    mustChangePassword: false,
  });
  return Object.assign(bridge, { login });
}

const calls = (bridge: ReturnType<typeof fakeBridge>, operation: string) => bridge.calls.filter((c) => c.operation === operation).map((c) => c.input);

async function signIn(bridge: Bridge, username: string): Promise<void> {
  setBridge(bridge);
  render(<App />);
  await screen.findByText('직원 로그인');
  fireEvent.change(document.querySelector('input[name=username]')!, { target: { value: username } });
  fireEvent.change(document.querySelector('input[name=password]')!, { target: { value: 'password1' } });
  fireEvent.click(screen.getByTestId('sign-in'));
}

/** Types the digits on the keypad and searches. */
function find(digits: string): void {
  for (const key of digits) fireEvent.click(screen.getByTestId(`kiosk-key-${key}`));
  fireEvent.click(screen.getByTestId('kiosk-find'));
}

beforeEach(() => {
  signedOut();
  useUi.setState({ kioskMode: false });
  useKiosk.getState().startOver();
});
afterEach(() => {
  cleanup();
  useUi.setState({ kioskMode: false });
});

describe('kiosk mode', () => {
  test('the kiosk’s window is the page at /kiosk in a browser or #kiosk on the desktop, nothing else', () => {
    for (const where of [{ pathname: '/kiosk', hash: '' }, { pathname: '/kiosk/', hash: '' }, { pathname: '/index.html', hash: '#kiosk' }]) {
      expect(isKioskLocation(where), JSON.stringify(where)).toBe(true);
    }
    for (const where of [{ pathname: '/', hash: '' }, { pathname: '/index.html', hash: '#/members' }, { pathname: '/kiosks', hash: '' }, { pathname: '/kiosk/x', hash: '' }]) {
      expect(isKioskLocation(where), JSON.stringify(where)).toBe(false);
    }
  });

  test('a kiosk account sees the kiosk screen only: no navigation, no other screen, even with a screen’s address in the hash', async () => {
    location.hash = '#/members';
    const bridge = kioskBridge();
    await signIn(bridge, 'kiosk1');
    await screen.findByTestId('kiosk-screen');
    expect(document.querySelector('main')?.dataset.screen).toBe('kiosk');
    expect(document.querySelector('nav')).toBeNull();
    expect(screen.queryByTestId('nav-members')).toBeNull();
    expect(screen.queryByTestId('me-username')).toBeNull();
    expect(bridge.calls.map((c) => c.operation).filter((op) => !op.startsWith('session.') && op !== 'setup.status')).toEqual([]);
  });

  test('in the kiosk’s window a staff account is told the window needs a kiosk account, is not shown the console, and can sign out', async () => {
    useUi.setState({ kioskMode: true });
    const bridge = kioskBridge();
    setBridge(bridge);
    render(<App />);
    expect((await screen.findByTestId('kiosk-sign-in-note')).textContent).toContain('출석 키오스크 계정으로 로그인하세요');
    cleanup();
    await signIn(bridge, 'desk');
    const notice = await screen.findByTestId('kiosk-needs-kiosk-account');
    expect(notice.textContent).toContain('desk 계정(프런트)으로는 키오스크를 열 수 없습니다');
    expect(document.querySelector('nav')).toBeNull();
    expect(screen.queryByTestId('me-username')).toBeNull();
    expect(screen.queryByTestId('kiosk-screen')).toBeNull();
    fireEvent.click(within(notice).getByTestId('sign-out'));
    await screen.findByText('직원 로그인');
  });

  test('in the kiosk’s window a kiosk account gets the kiosk screen', async () => {
    useUi.setState({ kioskMode: true });
    await signIn(kioskBridge(), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    expect(screen.queryByTestId('kiosk-needs-kiosk-account')).toBeNull();
  });
});

describe('a member checks in', () => {
  test('digits → names → their passes and today’s bookings → check in → the confirmation, the member forgotten → start over', async () => {
    const bridge = kioskBridge();
    await signIn(bridge, 'kiosk1');
    const digits = (await screen.findByTestId('kiosk-digits')) as HTMLInputElement;
    // the keypad, a mistake taken back, and a key typed on a keyboard
    for (const key of ['5', '6', '7', '9', 'back']) fireEvent.click(screen.getByTestId(`kiosk-key-${key}`));
    expect((screen.getByTestId('kiosk-find') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(screen.getByTestId('kiosk-key-7'), { key: '8' });
    expect(digits.value).toBe('5678');
    fireEvent.click(screen.getByTestId('kiosk-find'));

    const names = await screen.findAllByTestId('kiosk-match');
    expect(names.map((n) => n.textContent)).toEqual(['김*수', '김*희']);
    expect(calls(bridge, 'kiosk.find')).toEqual([{ phoneLast4: '5678' }]);
    fireEvent.click(names[0]!);

    const panel = await screen.findByTestId('kiosk-member');
    expect(calls(bridge, 'kiosk.member')).toEqual([{ phoneLast4: '5678', member: HANDLE }]);
    expect(panel.textContent).toContain('김*수 님, 반갑습니다');
    expect(screen.getAllByTestId('kiosk-pass').map((p) => p.textContent)).toEqual(['PT 10회남은 횟수 4회2099. 1. 31.까지', '자유 이용권횟수 제한 없음기간 제한 없음']);
    // why the others can't be checked in to
    expect(screen.getByTestId('kiosk-why-202').textContent).toMatch(/^\d\d:\d\d부터 출석할 수 있습니다$/);
    expect(screen.getByTestId('kiosk-why-203').textContent).toBe('이미 출석했습니다');
    expect(screen.getByTestId('kiosk-why-204').textContent).toBe('끝난 수업입니다');
    expect(screen.queryByTestId('kiosk-checkin-202')).toBeNull();
    expect(within(screen.getByTestId('kiosk-booking-201')).getByText('저녁 필라테스')).toBeTruthy();

    fireEvent.click(screen.getByTestId('kiosk-checkin-201'));
    const done = await screen.findByTestId('kiosk-done');
    expect(calls(bridge, 'kiosk.checkIn')).toEqual([{ phoneLast4: '5678', member: HANDLE, bookingSeq: 201 }]);
    expect(done.textContent).toContain('김*수 님, 저녁 필라테스 수업에 출석했습니다.');
    // nothing of the member is left on screen or in the store
    expect(screen.queryByTestId('kiosk-member')).toBeNull();
    expect(document.body.textContent).not.toContain('PT 10회');
    expect(useKiosk.getState()).toMatchObject({ member: null, digits: '', matches: [] });

    fireEvent.click(screen.getByTestId('kiosk-start-over'));
    expect(((await screen.findByTestId('kiosk-digits')) as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('kiosk-done')).toBeNull();
  });

  test('the times are shown in the gym\'s time zone, as the service gives it to the kiosk', async () => {
    // a pass ending 2099-01-31T15:00Z ends at midnight of 1 February in Seoul (31 January, its last day, alone) and
    // at 15:00 on 31 January in London (the day and the time)
    const bridge = kioskBridge({ 'kiosk.member': () => memberView('Europe/London') });
    await signIn(bridge, 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('5678');
    fireEvent.click((await screen.findAllByTestId('kiosk-match'))[0]!);
    await screen.findByTestId('kiosk-member');
    expect(screen.getAllByTestId('kiosk-pass')[0]!.textContent).toContain('2099. 1. 31. 15:00까지');
  });

  // 2099-02-04T15:00Z is midnight of 5 February in Seoul: used through 4 February, said as that day.
  // 2099-02-04T17:12Z is 02:12 on 5 February: "2. 5.까지" would promise the member all of the 5th.
  const MIDNIGHT = '2099-02-04T15:00:00.000Z';
  const EARLY = '2099-02-04T17:12:00.000Z';

  test.each([
    ['at midnight reads as its last day', MIDNIGHT, '2099. 2. 4.까지', 'Until Feb 4, 2099'],
    ['at 02:12 reads with its time, so the member does not count on the rest of that day', EARLY, '2099. 2. 5. 02:12까지', 'Until Feb 5, 2099, 02:12'],
  ] as const)("a pass's end %s, in Korean and English", async (_case, endedAt, ko, en) => {
    const view = memberView();
    view.passes = [{ ...view.passes[0]!, endedAt }];
    await signIn(kioskBridge({ 'kiosk.member': () => view }), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('5678');
    fireEvent.click((await screen.findAllByTestId('kiosk-match'))[0]!);
    await screen.findByTestId('kiosk-member');
    expect(screen.getByTestId('kiosk-pass').textContent).toBe(`PT 10회남은 횟수 4회${ko}`);
    fireEvent.click(screen.getAllByTestId('lang-en')[0]!);
    await waitFor(() => expect(screen.getByTestId('kiosk-pass').textContent).toBe(`PT 10회4 uses left${en}`));
  });

  test.each([
    ['at midnight is said as its last day', MIDNIGHT, '2099. 2. 4.', 'Feb 4, 2099'],
    ['at 02:12 is said with its time', EARLY, '2099. 2. 5. 02:12', 'Feb 5, 2099, 02:12'],
  ] as const)('a member whose pass has ended is told when by the same rule: an end %s, in Korean and English', async (_case, endedAt, ko, en) => {
    await signIn(kioskBridge({ 'kiosk.member': () => ({ ...memberView(), passes: [], lastPass: { packageName: 'PT 10회', endedAt, usedUp: false } }) }), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('5678');
    fireEvent.click((await screen.findAllByTestId('kiosk-match'))[0]!);
    await screen.findByTestId('kiosk-member');
    expect(screen.getByTestId('kiosk-no-pass-why').textContent).toBe(`PT 10회 이용권이 ${ko}에 끝났습니다. 안내 데스크에 문의해 주세요.`);
    fireEvent.click(screen.getAllByTestId('lang-en')[0]!);
    await waitFor(() => expect(screen.getByTestId('kiosk-no-pass-why').textContent).toBe(`Your PT 10회 pass ended on ${en}. Please ask at the front desk.`));
  });

  test('the digits field asks a tablet for no system keyboard, so none pops over the keypad when it takes the focus', async () => {
    await signIn(kioskBridge(), 'kiosk1');
    const digits = await screen.findByTestId('kiosk-digits');
    await waitFor(() => expect(document.activeElement).toBe(digits));
    expect(digits.getAttribute('inputmode')).toBe('none');
  });

  test.each([
    ['no pass ever', null, '이용권은 안내 데스크에 문의해 주세요.', 'Please ask at the front desk about a pass.'],
    // 2026-11-30T15:00Z is midnight of 1 December in Seoul: the pass was used through 30 November
    ['a pass that ended', { packageName: 'PT 10회', endedAt: '2026-11-30T15:00:00.000Z', usedUp: false }, 'PT 10회 이용권이 2026. 11. 30.에 끝났습니다. 안내 데스크에 문의해 주세요.', 'Your PT 10회 pass ended on Nov 30, 2026. Please ask at the front desk.'],
    ['a pass with no use left', { packageName: 'PT 10회', endedAt: '2099-01-31T15:00:00.000Z', usedUp: true }, 'PT 10회 이용권의 남은 횟수가 없습니다. 안내 데스크에 문의해 주세요.', 'Your PT 10회 pass has no uses left. Please ask at the front desk.'],
  ] as const)('a member with no usable pass is told why in plain words and to ask at the front desk: %s', async (_case, lastPass, ko, en) => {
    await signIn(kioskBridge({ 'kiosk.member': () => ({ ...memberView(), passes: [], lastPass }) }), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('5678');
    fireEvent.click((await screen.findAllByTestId('kiosk-match'))[0]!);
    const member = await screen.findByTestId('kiosk-member');
    expect(member.textContent).toContain('사용할 수 있는 이용권이 없습니다.');
    expect(screen.getByTestId('kiosk-no-pass-why').textContent).toBe(ko);
    fireEvent.click(screen.getAllByTestId('lang-en')[0]!);
    await waitFor(() => expect(screen.getByTestId('kiosk-no-pass-why').textContent).toBe(en));
  });

  test('a pass that has not started yet says from which day it can be used; one already started says nothing of it', async () => {
    const view = memberView();
    // 2099-03-01T00:00Z is 09:00 on 1 March in Seoul
    view.passes[0] = { ...view.passes[0]!, startedAt: '2099-03-01T00:00:00.000Z', endedAt: '2099-03-31T00:00:00.000Z' };
    await signIn(kioskBridge({ 'kiosk.member': () => view }), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('5678');
    fireEvent.click((await screen.findAllByTestId('kiosk-match'))[0]!);
    await screen.findByTestId('kiosk-member');
    const [later, started] = screen.getAllByTestId('kiosk-pass');
    expect(within(later!).getByTestId('kiosk-pass-from').textContent).toBe('2099. 3. 1.부터 사용할 수 있습니다');
    expect(within(started!).queryByTestId('kiosk-pass-from')).toBeNull();
    fireEvent.click(screen.getAllByTestId('lang-en')[0]!);
    await waitFor(() => expect(within(later!).getByTestId('kiosk-pass-from').textContent).toBe('Usable from Mar 1, 2099'));
  });

  test('typing in the field works too, and only digits are kept', async () => {
    await signIn(kioskBridge(), 'kiosk1');
    const digits = (await screen.findByTestId('kiosk-digits')) as HTMLInputElement;
    fireEvent.change(digits, { target: { value: '56a78' } });
    expect(digits.value).toBe('5678');
    fireEvent.submit(digits.form!);
    expect(await screen.findAllByTestId('kiosk-match')).toHaveLength(2);
  });

  test('digits nobody has are answered in plain words, and start over goes back to the digits', async () => {
    await signIn(kioskBridge(), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('0000');
    expect((await screen.findByTestId('kiosk-no-match')).textContent).toBe(
      '전화번호가 0000으로 끝나는 회원을 찾지 못했습니다. 번호를 다시 확인하거나 안내 데스크에 문의해 주세요.',
    );
    expect(screen.queryByTestId('kiosk-match')).toBeNull();
    fireEvent.click(screen.getByTestId('kiosk-start-over'));
    expect(((await screen.findByTestId('kiosk-digits')) as HTMLInputElement).value).toBe('');
  });

  test('digits nobody has offer to enter them again: the digits come back empty, with the focus on them', async () => {
    await signIn(kioskBridge(), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('0000');
    await screen.findByTestId('kiosk-no-match');
    const retry = screen.getByTestId('kiosk-retry');
    expect(retry.textContent).toBe('다시 입력');
    fireEvent.click(retry);
    const digits = (await screen.findByTestId('kiosk-digits')) as HTMLInputElement;
    expect(digits.value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(digits));
    expect(useKiosk.getState().step).toBe('digits');
    // and the keypad types into it again
    find('5678');
    expect(await screen.findAllByTestId('kiosk-match')).toHaveLength(2);
  });

  test('a refused check-in shows the service’s words in the screen’s language, and the member stays to try another', async () => {
    const refusal = { ko: '출석은 수업 시작 1시간 전부터 수업이 끝날 때까지 할 수 있습니다.', en: 'Check-in opens an hour before the class and closes when it ends.' };
    await signIn(kioskBridge({ 'kiosk.checkIn': () => Promise.reject(new BridgeError('CONFLICT', refusal, undefined, 409)) }), 'kiosk1');
    await screen.findByTestId('kiosk-digits');
    find('5678');
    fireEvent.click((await screen.findAllByTestId('kiosk-match'))[0]!);
    fireEvent.click(await screen.findByTestId('kiosk-checkin-201'));
    expect((await screen.findByTestId('kiosk-error')).textContent).toBe(refusal.ko);
    fireEvent.click(screen.getByTestId('lang-en'));
    await waitFor(() => expect(screen.getByTestId('kiosk-error').textContent).toBe(refusal.en));
    expect(screen.getByTestId('kiosk-member')).toBeTruthy();
    expect(screen.queryByTestId('kiosk-done')).toBeNull();
    fireEvent.click(screen.getByTestId('kiosk-start-over'));
    await screen.findByTestId('kiosk-digits');
    expect(screen.queryByTestId('kiosk-error')).toBeNull();
  });

  test('the kiosk is signed out only after a confirmation', async () => {
    await signIn(kioskBridge(), 'kiosk1');
    fireEvent.click(await screen.findByTestId('kiosk-sign-out'));
    fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(screen.getByTestId('kiosk-screen')).toBeTruthy();
    fireEvent.click(screen.getByTestId('kiosk-sign-out'));
    fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
    await screen.findByText('직원 로그인');
  });
});

describe('the Staff screen', () => {
  test('an admin creates a check-in kiosk account: the role list offers it, with what such an account can do', async () => {
    const staff = [{ username: 'admin', role: 'ADMIN', active: true, createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, mustChangePassword: false, lockedUntil: null }];
    const bridge = kioskBridge({
      'jobs.list': () => [],
      'jobs.namesInHistory': () => [],
      'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
      'staff.list': () => staff,
      'staff.create': ({ username, role }: { username: string; role: string }) => {
        staff.push({ ...staff[0]!, username, role });
        return staff.at(-1);
      },
    });
    await signIn(bridge, 'admin');
    await screen.findByTestId('me-username');
    act(() => useUi.getState().go('staff'));
    const role = (await screen.findByTestId('staff-new-role')) as HTMLSelectElement;
    expect([...role.options].map((o) => `${o.value}:${o.textContent}`)).toContain('KIOSK:출석 키오스크');
    fireEvent.change(role, { target: { value: 'KIOSK' } });
    expect(role.closest('label')!.textContent).toContain('출석 체크만 할 수 있고');
    fireEvent.change(screen.getByTestId('staff-new-username'), { target: { value: 'kiosk1' } });
    fireEvent.change(screen.getByTestId('staff-new-password'), { target: { value: 'kiosk-password-1' } });
    fireEvent.click(screen.getByTestId('staff-new-submit'));
    await waitFor(() => expect(calls(bridge, 'staff.create')).toEqual([{ username: 'kiosk1', password: 'kiosk-password-1', role: 'KIOSK' }]));
  });
});
