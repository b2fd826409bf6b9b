// @vitest-environment happy-dom
// The first run's sign-in screen against a fake bridge: when the service says no staff account
// exists, the admin's password is chosen (twice, 8 characters at least) instead of signing in;
// mistakes are named and nothing is sent; a good password opens the console signed in; a
// console that got an account meanwhile (CONFLICT) goes back to the sign-in form. How the gym
// starts is chosen on the same form: an empty gym, first and chosen, or the demo gym, which says
// what it adds and that it can't be taken out; choosing it says the demo gym is being added while
// the call runs, and a failure is shown with the form still there to start an empty gym.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { App } from '../../../renderer/src/App.tsx';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { adminPasswordProblem, useSession } from '../../../renderer/src/stores/session.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';

let accounts = 0;
let hasGymData = false;
const handlers = {
  'session.me': () => Promise.reject(new BridgeError('UNAUTHENTICATED', { ko: '로그인이 필요합니다.', en: 'Sign in first.' })),
  'setup.status': () => ({ needsAdmin: accounts === 0, hasGymData }),
  'setup.createAdmin': ({ password }: { password: string }) => {
    if (accounts > 0) throw new BridgeError('CONFLICT', { ko: '이미 직원 계정이 있습니다. 로그인하세요.', en: 'Staff accounts exist already. Sign in.' }, undefined, 409);
    accounts++;
    return { token: '', username: 'admin', role: 'ADMIN', expiresAt: '2099-01-01T00:00:00Z', password };
  },
  'jobs.list': () => [],
  'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
};

beforeEach(() => {
  accounts = 0;
  hasGymData = false;
  localStorage.clear();
  location.hash = '';
  useLang.setState({ lang: 'ko' });
  useSession.setState({ status: 'checking', me: null, error: null, busy: false, needsAdmin: null, hasGymData: false });
  useUi.setState({ screen: null, toasts: [] });
});
afterEach(cleanup);

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('first run', () => {
  test('the rule: 10 to 200 characters, typed twice alike', () => {
    expect(adminPasswordProblem('short', 'short')).toBe('passwordTooShort');
    expect(adminPasswordProblem('', '')).toBe('passwordTooShort');
    expect(adminPasswordProblem('x'.repeat(201), 'x'.repeat(201))).toBe('passwordTooLong');
    expect(adminPasswordProblem('long-enough', 'long-enougH')).toBe('passwordMismatch');
    expect(adminPasswordProblem('123456789', '123456789')).toBe('passwordTooShort');
    expect(adminPasswordProblem('gym-admin-2026', 'gym-admin-2026')).toBeNull();
  });

  test('names a short or mismatched password, sends nothing, then opens the console signed in', async () => {
    const bridge = fakeBridge(handlers);
    setBridge(bridge);
    render(<App />);
    await screen.findByTestId('setup-form');
    expect(screen.getByText('관리자 비밀번호 정하기')).toBeTruthy();
    expect(screen.queryByTestId('sign-in')).toBeNull();

    type('setup-password', 'short');
    type('setup-confirm', 'short');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect(screen.getByTestId('setup-error').textContent).toBe('비밀번호는 10자 이상이어야 합니다.');

    type('setup-password', 'gym-admin-2026');
    type('setup-confirm', 'gym-admin-2025');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect(screen.getByTestId('setup-error').textContent).toBe('두 비밀번호가 다릅니다.');
    expect(screen.getByTestId('setup-confirm').getAttribute('aria-invalid')).toBe('true');
    // English names the same mistake in English.
    fireEvent.click(screen.getByTestId('lang-en'));
    expect(screen.getByTestId('setup-error').textContent).toBe('The two passwords differ.');
    fireEvent.click(screen.getByTestId('lang-ko'));
    expect(bridge.calls.some((c) => c.operation === 'setup.createAdmin')).toBe(false);

    type('setup-confirm', 'gym-admin-2026');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('me-username')).textContent).toBe('admin');
    // nothing chosen: an empty gym
    expect(bridge.calls.filter((c) => c.operation === 'setup.createAdmin')).toEqual([{ operation: 'setup.createAdmin', input: { password: 'gym-admin-2026', gym: 'empty' } }]);
    expect(useSession.getState()).toMatchObject({ status: 'signedIn', me: { username: 'admin', role: 'ADMIN' }, needsAdmin: false });
    expect(document.querySelector('main')!.dataset.screen).toBe('executions');
  });

  test('an account made meanwhile: the refusal is shown and the sign-in form returns', async () => {
    setBridge(fakeBridge(handlers));
    render(<App />);
    await screen.findByTestId('setup-form');
    accounts = 1; // another desk was quicker
    type('setup-password', 'gym-admin-2026');
    type('setup-confirm', 'gym-admin-2026');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('이미 직원 계정이 있습니다. 로그인하세요.');
    expect(screen.queryByTestId('setup-form')).toBeNull();
    expect(screen.getByTestId('sign-in')).toBeTruthy();
  });

  test('a console with staff shows the usual sign-in', async () => {
    accounts = 2;
    setBridge(fakeBridge(handlers));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('sign-in')).toBeTruthy());
    expect(screen.queryByTestId('setup-form')).toBeNull();
  });

  test('how the gym starts: an empty gym first and chosen, the demo gym second, saying what it adds and that it stays', async () => {
    setBridge(fakeBridge(handlers));
    render(<App />);
    await screen.findByTestId('setup-form');
    const radios = [...screen.getByTestId('setup-gym').querySelectorAll<HTMLInputElement>('input[type=radio]')];
    expect(radios.map((r) => [r.value, r.checked])).toEqual([
      ['empty', true],
      ['demo', false],
    ]);
    expect(screen.getByText('체육관을 어떻게 시작할까요?')).toBeTruthy();
    expect(screen.getByRole('radio', { name: '빈 체육관으로 시작 (실제 운영)' })).toBe(radios[0]);
    const demo = screen.getByRole('radio', { name: '데모 체육관으로 시작 (둘러보기용)' });
    expect(document.getElementById(demo.getAttribute('aria-describedby')!)!.textContent).toMatch(/회원 약 2,000명.*빼낼 수는 없습니다.*새 데이터베이스 파일/);
    fireEvent.click(screen.getByTestId('lang-en'));
    expect(screen.getByRole('radio', { name: 'An empty gym, for real use' }).getAttribute('value')).toBe('empty');
    const english = screen.getByRole('radio', { name: 'The demo gym, to try the console' });
    expect(document.getElementById(english.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Adds about 2,000 sample members with their passes, class bookings and a bulk grant. They can’t be taken out later: to start an empty gym after that, the console has to start over with a new database file.',
    );
  });

  test('the demo gym: the choice is sent, the form says the demo gym is being added until it is, then the console opens', async () => {
    let finish: () => void = () => undefined;
    const bridge = fakeBridge({
      ...handlers,
      'setup.createAdmin': (input: { password: string; gym: string }) =>
        new Promise((resolve) => {
          finish = () => resolve(handlers['setup.createAdmin'](input));
        }),
    });
    setBridge(bridge);
    render(<App />);
    await screen.findByTestId('setup-form');
    type('setup-password', 'gym-admin-2026');
    type('setup-confirm', 'gym-admin-2026');
    fireEvent.click(screen.getByTestId('setup-gym-demo'));
    fireEvent.click(screen.getByTestId('setup-submit'));
    await waitFor(() => expect(screen.getByTestId('setup-busy').textContent).toBe('데모 체육관을 넣는 중… 회원 약 2,000명이라 몇 초 걸립니다.'));
    expect(screen.getByTestId('setup-busy').getAttribute('role')).toBe('status');
    expect((screen.getByTestId('setup-submit') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('setup-gym') as HTMLFieldSetElement).disabled).toBe(true);
    expect(bridge.calls.filter((c) => c.operation === 'setup.createAdmin')).toEqual([{ operation: 'setup.createAdmin', input: { password: 'gym-admin-2026', gym: 'demo' } }]);
    finish();
    expect((await screen.findByTestId('me-username')).textContent).toBe('admin');
  });

  test('a demo gym that could not be added: the refusal is shown in plain words, and the same form then starts an empty gym', async () => {
    const failed = { ko: '데모 체육관을 넣지 못했습니다. 아무것도 추가되지 않았고 관리자 계정도 만들지 않았습니다. 다시 시도하거나 빈 체육관으로 시작하세요.', en: 'The demo gym could not be added. Nothing was added and no admin account was made; try again, or start an empty gym.' };
    const bridge = fakeBridge({
      ...handlers,
      'setup.createAdmin': (input: { password: string; gym: string }) => {
        if (input.gym === 'demo') throw new BridgeError('UNAVAILABLE', failed, undefined, 503);
        return handlers['setup.createAdmin'](input);
      },
    });
    setBridge(bridge);
    render(<App />);
    await screen.findByTestId('setup-form');
    type('setup-password', 'gym-admin-2026');
    type('setup-confirm', 'gym-admin-2026');
    fireEvent.click(screen.getByTestId('setup-gym-demo'));
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('setup-error')).textContent).toBe(failed.ko);
    expect(screen.getByTestId('setup-busy').textContent).toBe('');
    fireEvent.click(screen.getByTestId('setup-gym-empty'));
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('me-username')).textContent).toBe('admin');
    expect(bridge.calls.filter((c) => c.operation === 'setup.createAdmin').map((c) => c.input.gym)).toEqual(['demo', 'empty']);
  });

  test('a database that already has gym data offers no choice: it says the gym starts as it is, and sends an empty start', async () => {
    hasGymData = true;
    const bridge = fakeBridge(handlers);
    setBridge(bridge);
    render(<App />);
    await screen.findByTestId('setup-form');
    expect(screen.queryByTestId('setup-gym')).toBeNull();
    expect(screen.getByTestId('setup-gym-has-data').textContent).toBe('이 데이터베이스에는 이미 회원, 패키지나 이용권이 있습니다. 있는 그대로 시작합니다.');
    type('setup-password', 'gym-admin-2026');
    type('setup-confirm', 'gym-admin-2026');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('me-username')).textContent).toBe('admin');
    expect(bridge.calls.filter((c) => c.operation === 'setup.createAdmin').map((c) => c.input.gym)).toEqual(['empty']);
  });

  test('gym data that came meanwhile: the demo gym is refused in plain words, the choice gives way to "as it is", and the next try starts the gym as it is', async () => {
    const refused = { ko: '이 데이터베이스에는 이미 회원, 패키지나 이용권이 있어서 데모 체육관을 넣을 수 없습니다. 있는 그대로 시작하세요.', en: 'This database already has members, packages or passes, so the demo gym can’t be added to it. Start with the gym as it is.' };
    const bridge = fakeBridge({
      ...handlers,
      'setup.createAdmin': (input: { password: string; gym: string }) => {
        if (input.gym === 'demo') throw new BridgeError('VALIDATION', refused, 'gym', 400);
        return handlers['setup.createAdmin'](input);
      },
    });
    setBridge(bridge);
    render(<App />);
    await screen.findByTestId('setup-form');
    type('setup-password', 'gym-admin-2026');
    type('setup-confirm', 'gym-admin-2026');
    fireEvent.click(screen.getByTestId('setup-gym-demo'));
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('setup-error')).textContent).toBe(refused.ko);
    expect(screen.queryByTestId('setup-gym')).toBeNull();
    expect(screen.getByTestId('setup-gym-has-data')).toBeTruthy();
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('me-username')).textContent).toBe('admin');
    expect(bridge.calls.filter((c) => c.operation === 'setup.createAdmin').map((c) => c.input.gym)).toEqual(['demo', 'empty']);
  });
});
