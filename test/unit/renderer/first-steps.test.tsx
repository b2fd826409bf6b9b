// @vitest-environment happy-dom
// 처음 시작하기 on the home screen: an admin of a gym that started empty sees the steps in order,
// each done or to do as the gym reads (setup.firstSteps), with the way to its screen; a manager
// sees only the steps a manager takes; the list is gone once the gym has packages and members, and
// "Later" puts it away until the console opens again; in English too.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { FirstStepsView } from '../../../main/service/contract.ts';
import { useFirstStepsLater } from '../../../renderer/src/components/FirstSteps.tsx';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const EMPTY: FirstStepsView = { listNeeded: true, packagesOnSale: 0, members: 0, upcomingClasses: 0, staffAccounts: 0, kioskAccounts: 0, membersHearFromGym: false };

function gym(view: FirstStepsView) {
  const state = { view };
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'setup.firstSteps': () => ({ ...state.view }),
    'jobs.list': () => [],
    'executions.list': () => ({ items: [], next: null }),
  });
  return { bridge, state };
}

const steps = () => screen.getAllByTestId(/^first-step-[a-z]+$/).map((li) => [li.dataset.testid!.replace('first-step-', ''), li.dataset.done, li.querySelector('.first-step-mark')!.textContent]);
const home = () => document.querySelector('main')!.dataset.screen;
/** away to another screen (once it shows) and back home, as a person does after a step */
async function awayAndBack(away: 'members' | 'classes', back: 'executions' | 'statistics') {
  act(() => useUi.getState().go(away));
  await screen.findByRole('heading', { level: 1, name: away === 'members' ? '회원 이용권' : '수업 예약' }, { timeout: 15_000 });
  act(() => useUi.getState().go(back));
  await screen.findByRole('heading', { level: 1, name: back === 'executions' ? '작업 실행' : '통계' });
}

beforeEach(() => {
  signedOut();
  useFirstStepsLater.setState({ later: false });
});
afterEach(() => cleanup());

test('an admin of an empty gym finds the steps on the home screen in order, none done, each going to the screen that does it', async () => {
  const { bridge } = gym(EMPTY);
  await signInWith(bridge, 'admin');
  const list = await screen.findByTestId('first-steps', {}, { timeout: 15_000 });
  expect(within(list).getByRole('heading', { level: 2 }).textContent).toBe('처음 시작하기');
  expect(steps()).toEqual([
    ['packages', 'false', '할 일'],
    ['members', 'false', '할 일'],
    ['staff', 'false', '할 일'],
    ['classes', 'false', '선택'],
    ['notifier', 'false', '선택'],
    ['kiosk', 'false', '선택'],
  ]);
  expect(within(screen.getByTestId('first-step-notifier')).getByText(/알림 기록 파일에만 남습니다/)).toBeTruthy();
  fireEvent.click(within(screen.getByTestId('first-step-members')).getByTestId('first-step-go-imports'));
  expect(useUi.getState().screen).toBe('imports');
  act(() => useUi.getState().go('executions'));
  fireEvent.click(within(await screen.findByTestId('first-step-packages')).getByRole('button', { name: '패키지 화면으로' }));
  expect(useUi.getState().screen).toBe('packages');
});

test('each step the gym has done reads done with its count, read again on coming back to the home screen', async () => {
  const { bridge, state } = gym({ ...EMPTY, packagesOnSale: 2 });
  await signInWith(bridge, 'admin');
  await screen.findByTestId('first-steps', {}, { timeout: 15_000 });
  expect(screen.getByTestId('first-step-packages').dataset.done).toBe('true');
  expect(screen.getByTestId('first-step-packages').textContent).toContain('판매 중인 패키지 2개');

  state.view = { ...state.view, upcomingClasses: 1, staffAccounts: 3, membersHearFromGym: true };
  await awayAndBack('members', 'executions');
  await screen.findByText('직원 계정 3개');
  expect(steps().map(([id, done]) => [id, done])).toEqual([
    ['packages', 'true'],
    ['members', 'false'],
    ['staff', 'true'],
    ['classes', 'true'],
    ['notifier', 'true'],
    ['kiosk', 'false'],
  ]);
  expect(screen.getByTestId('first-step-notifier').textContent).toContain('알림이 중계 서버로 나갑니다');

  // packages and members: the gym can sell and book, and the list is gone (the service no longer
  // counts them past 1 then)
  state.view = { ...state.view, listNeeded: false, packagesOnSale: 1, members: 1 };
  await awayAndBack('classes', 'executions');
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  expect(screen.queryByTestId('first-steps')).toBeNull();
  expect(bridge.calls.filter((c) => c.operation === 'setup.firstSteps')).toHaveLength(3);
});

test('a manager lands on Statistics with the steps a manager takes, and Later puts the list away until the console opens again', async () => {
  const { bridge } = gym(EMPTY);
  await signInWith(bridge, 'manager');
  await screen.findByTestId('first-steps', {}, { timeout: 15_000 });
  expect(home()).toBe('statistics');
  expect(steps().map(([id]) => id)).toEqual(['packages', 'members', 'classes']);
  const later = screen.getByTestId('first-steps-later');
  expect(document.getElementById(later.getAttribute('aria-describedby')!)!.textContent).toBe('다음에 콘솔을 열 때 다시 보입니다.');
  fireEvent.click(later);
  expect(screen.queryByTestId('first-steps')).toBeNull();
  await awayAndBack('members', 'statistics');
  expect(screen.queryByTestId('first-steps')).toBeNull();
});

test('in English the steps read in English, with counts in words', async () => {
  const { bridge } = gym({ ...EMPTY, packagesOnSale: 1, kioskAccounts: 2 });
  await signInWith(bridge, 'admin');
  await screen.findByTestId('first-steps', {}, { timeout: 15_000 });
  act(() => useLang.setState({ lang: 'en' }));
  expect(screen.getByRole('heading', { level: 2, name: 'First steps' })).toBeTruthy();
  expect(screen.getByTestId('first-step-packages').textContent).toContain('1 package on sale');
  expect(screen.getByTestId('first-step-kiosk').textContent).toContain('2 kiosk accounts');
  expect(screen.getByTestId('first-step-members').textContent).toContain('Add your members');
  expect(screen.getByRole('button', { name: 'Go to Import members' })).toBeTruthy();
});

test('when the steps can’t be read, the home screen shows no list and no error (a guide, not a gate)', async () => {
  const bridge = fakeBridge({ 'session.me': () => Promise.reject(new Error('signed out')), 'jobs.list': () => [], 'executions.list': () => ({ items: [], next: null }) });
  await signInWith(bridge, 'admin');
  await screen.findByTestId('launch-open');
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  expect(bridge.calls.some((c) => c.operation === 'setup.firstSteps')).toBe(true);
  expect(screen.queryByTestId('first-steps')).toBeNull();
  expect(screen.queryByRole('alert')).toBeNull();
});
