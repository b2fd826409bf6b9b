// @vitest-environment happy-dom
// Staff → Create: the password's rules are under its field before anything is tried, and a
// username or password that breaks a rule is refused under its field in the screen's language
// and our words, not by the browser's own "Please match the requested format." (which came in
// English even in the Korean console); nothing is sent until both keep their rules.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

beforeEach(signedOut);
afterEach(cleanup);

const under = (testId: string, part: 'hint' | 'error') => screen.getByTestId(testId).closest('label.field')!.querySelector(`.field-${part}`)?.textContent ?? null;

test('the new account form shows the password rules at once and refuses "Kim Lee" and a short password in our words, in Korean and in English', async () => {
  const bridge = fakeBridge({
    'jobs.list': () => [],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'staff.list': () => [],
    'staff.create': ({ username, role }: { username: string; role: string }) => ({ username, role, active: true, createdAt: '2026-12-07T00:00:00Z', lastLoginAt: null, mustChangePassword: false, lockedUntil: null }),
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('staff'));
  const form = await screen.findByTestId('staff-new-form');
  // the browser does not judge the fields: the screen does, in its own language
  expect((form as HTMLFormElement).noValidate).toBe(true);
  expect(screen.getByTestId('staff-new-username').getAttribute('pattern')).toBeNull();

  expect(under('staff-new-password', 'hint')).toBe('10자 이상, 아이디와 다르게, 흔한 비밀번호는 안 됩니다');
  expect(under('staff-new-password', 'error')).toBeNull();

  fireEvent.change(screen.getByTestId('staff-new-username'), { target: { value: 'Kim Lee' } });
  fireEvent.change(screen.getByTestId('staff-new-password'), { target: { value: 'short' } });
  fireEvent.click(screen.getByTestId('staff-new-submit'));
  await waitFor(() => expect(under('staff-new-username', 'error')).toBe('아이디에 쓸 수 없는 글자가 있습니다(띄어쓰기). 3–50자, 영문 소문자 a-z, 숫자, ".", "_", "-"만 쓸 수 있습니다.'));
  expect(under('staff-new-password', 'error')).toBe('비밀번호는 10자 이상이어야 합니다.');
  expect(screen.getByTestId('staff-new-username').getAttribute('aria-invalid')).toBe('true');

  act(() => useLang.getState().setLang('en'));
  expect(under('staff-new-password', 'hint')).toBe('At least 10 characters, not the username, not a common password');
  expect(under('staff-new-username', 'error')).toBe('A username can\'t hold a space: 3 to 50 characters: letters a-z, digits, ".", "_" and "-" only.');
  expect(under('staff-new-password', 'error')).toBe('The password must be at least 10 characters long.');
  fireEvent.change(screen.getByTestId('staff-new-username'), { target: { value: 'kim@lee' } });
  expect(under('staff-new-username', 'error')).toBe('A username can\'t hold "@": 3 to 50 characters: letters a-z, digits, ".", "_" and "-" only.');
  expect(bridge.calls.filter((c) => c.operation === 'staff.create')).toHaveLength(0);

  // capitals are fine: the service keeps names in lower case
  fireEvent.change(screen.getByTestId('staff-new-username'), { target: { value: 'Kim.Lee' } });
  fireEvent.change(screen.getByTestId('staff-new-password'), { target: { value: 'front-desk-2026' } });
  expect(under('staff-new-username', 'error')).toBeNull();
  expect(under('staff-new-password', 'error')).toBeNull();
  fireEvent.click(screen.getByTestId('staff-new-submit'));
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'staff.create').map((c) => c.input)).toEqual([{ username: 'Kim.Lee', password: 'front-desk-2026', role: 'FRONT_DESK' }]));
});
