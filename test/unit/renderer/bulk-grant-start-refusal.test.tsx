// @vitest-environment happy-dom
// A bulk grant refused on its start (more than a year ahead, or before today): the refusal is
// shown under the start field, in the screen's language, as the desk sale's form does, not only
// in a toast that fades; typing another start takes it away.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { EMPTY_FORM, useBulkGrants } from '../../../renderer/src/stores/bulkGrants.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const TOO_FAR = {
  ko: '시작일: 2099-01-01은 너무 먼 날입니다. 시작일은 오늘부터 1년 뒤인 2027-12-07까지 정할 수 있습니다. 연도를 확인하세요',
  en: 'startedAt: 2099-01-01 is too far ahead: a pass may start at most a year from today, on 2027-12-07 at the latest. Check the year',
};

beforeEach(() => {
  signedOut();
  useLang.setState({ lang: 'ko' });
  useBulkGrants.setState({ grants: { state: 'idle' }, packages: { state: 'idle' }, groups: { state: 'idle' }, progress: {}, form: EMPTY_FORM });
});
afterEach(cleanup);

test('a start refused as too far ahead is shown under the start field in the screen\'s language, and goes away when the start is changed', async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'bulkGrants.list': () => [],
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10회', count: 10, period: 60, retiredAt: null, price: null }],
    'groups.list': () => [{ userGroupId: 'ALL', userGroupName: '전체 회원', memberCount: 40, activeMemberCount: 38 }],
    'bulkGrants.create': () => {
      throw new BridgeError('VALIDATION', TOO_FAR, 'startedAt', 400);
    },
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('bulkGrants'));
  const form = await screen.findByTestId('grant-form');
  await waitFor(() => expect(within(form).getByTestId('grant-package').querySelectorAll('option')).toHaveLength(2));
  fireEvent.change(within(form).getByTestId('grant-package'), { target: { value: '1' } });
  await waitFor(() => expect(within(form).getByTestId('grant-group').querySelectorAll('option')).toHaveLength(2));
  fireEvent.change(within(form).getByTestId('grant-group'), { target: { value: 'ALL' } });
  const start = within(form).getByTestId('grant-start');
  fireEvent.change(start, { target: { value: '2099-01-01' } });
  fireEvent.change(within(form).getByTestId('grant-start-time'), { target: { value: '09:00' } });
  fireEvent.click(within(form).getByTestId('grant-submit'));
  fireEvent.click(await screen.findByTestId('confirm-ok'));

  const underStart = () => start.closest('label.field')!.querySelector('.field-error')?.textContent ?? null;
  await waitFor(() => expect(underStart()).toBe(TOO_FAR.ko));
  expect(bridge.calls.filter((c) => c.operation === 'bulkGrants.create')).toHaveLength(1);
  // the end field says nothing: the refusal is about the start
  expect(within(form).getByTestId('grant-end').closest('label.field')!.querySelector('.field-error')).toBeNull();
  act(() => useLang.getState().setLang('en'));
  expect(underStart()).toBe(TOO_FAR.en);
  act(() => useLang.getState().setLang('ko'));

  fireEvent.change(start, { target: { value: '2027-01-04' } });
  expect(underStart()).toBeNull();
});
