// @vitest-environment happy-dom
// The first run's sign-in screen against a fake bridge: when the service says no staff account
// exists, the admin's password is chosen (twice, 8 characters at least) instead of signing in;
// mistakes are named and nothing is sent; a good password opens the console signed in; a
// console that got an account meanwhile (CONFLICT) goes back to the sign-in form.
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
const handlers = {
  'session.me': () => Promise.reject(new BridgeError('UNAUTHENTICATED', { ko: '로그인이 필요합니다.', en: 'Sign in first.' })),
  'setup.status': () => ({ needsAdmin: accounts === 0 }),
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
  localStorage.clear();
  location.hash = '';
  useLang.setState({ lang: 'ko' });
  useSession.setState({ status: 'checking', me: null, error: null, busy: false, needsAdmin: null });
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
    expect(bridge.calls.filter((c) => c.operation === 'setup.createAdmin')).toEqual([{ operation: 'setup.createAdmin', input: { password: 'gym-admin-2026' } }]);
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
});
