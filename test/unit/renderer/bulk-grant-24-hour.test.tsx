// @vitest-environment happy-dom
// The bulk grant's times are a date and a 24-hour time (DateTime24Input), never AM or PM: 18:30
// is sent as typed; a time that is not one (6:30 PM, 25:00) is said under its field, in the
// screen's language, and nothing is sent.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { EMPTY_FORM, useBulkGrants } from '../../../renderer/src/stores/bulkGrants.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

beforeEach(() => {
  signedOut();
  useBulkGrants.setState({ grants: { state: 'idle' }, packages: { state: 'idle' }, groups: { state: 'idle' }, progress: {}, form: EMPTY_FORM });
});
afterEach(() => {
  cleanup();
  useLang.setState({ lang: 'ko' });
});

function grantBridge() {
  return fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'bulkGrants.list': () => [],
    'packages.list': () => [{ packageSeq: 1, packageName: 'PT 10', count: 10, period: 60, retiredAt: null, price: null }],
    'groups.list': () => [{ userGroupId: 'ALL', userGroupName: 'All members', memberCount: 40, activeMemberCount: 38 }],
    'bulkGrants.create': () => ({ bulkPassSeq: 9 }),
  });
}

async function openForm(bridge: ReturnType<typeof grantBridge>) {
  await signInWith(bridge, 'desk');
  act(() => useLang.getState().setLang('en'));
  act(() => useUi.getState().go('bulkGrants'));
  const form = await screen.findByTestId('grant-form');
  await waitFor(() => expect(within(form).getByTestId('grant-package').querySelectorAll('option')).toHaveLength(2));
  fireEvent.change(within(form).getByTestId('grant-package'), { target: { value: '1' } });
  await waitFor(() => expect(within(form).getByTestId('grant-group').querySelectorAll('option')).toHaveLength(2));
  fireEvent.change(within(form).getByTestId('grant-group'), { target: { value: 'ALL' } });
  return form;
}

test('the grant time is a date field and a 24-hour time field named for the grant time, and 18:30 is sent as 18:30', async () => {
  const bridge = grantBridge();
  const form = await openForm(bridge);
  expect(form.querySelector('input[type=datetime-local]')).toBeNull();
  const time = within(form).getByTestId('grant-start-time');
  expect(time.getAttribute('aria-label')).toBe('Grant time: Time (24-hour, e.g. 14:30)');
  fireEvent.change(within(form).getByTestId('grant-start'), { target: { value: '2099-01-04' } });
  fireEvent.change(time, { target: { value: '18:30' } });
  expect(within(form).getByTestId('grant-preview').textContent).toContain('18:30');
  fireEvent.click(within(form).getByTestId('grant-submit'));
  fireEvent.click(await screen.findByTestId('confirm-ok'));
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'bulkGrants.create').map((c) => c.input)).toEqual([{ packageSeq: 1, userGroupId: 'ALL', startedAt: '2099-01-04T18:30' }]));
});

test('a grant time of 6:30 PM, or an end of 25:00, is said under its field and nothing is sent', async () => {
  const bridge = grantBridge();
  const form = await openForm(bridge);
  const start = within(form).getByTestId('grant-start');
  const errorUnder = (input: HTMLElement) => input.closest('label.field')!.querySelector('.field-error')?.textContent ?? null;
  fireEvent.change(start, { target: { value: '2099-01-04' } });
  fireEvent.change(within(form).getByTestId('grant-start-time'), { target: { value: '6:30 PM' } });
  fireEvent.click(within(form).getByTestId('grant-submit'));
  await waitFor(() => expect(errorUnder(start)).toBe('Enter a date and a 24-hour time (e.g. 2026-12-01, 18:30)'));
  expect(within(form).getByTestId('grant-start-time').getAttribute('aria-invalid')).toBe('true');
  expect(screen.queryByTestId('confirm-dialog')).toBeNull();

  fireEvent.change(within(form).getByTestId('grant-start-time'), { target: { value: '18:30' } });
  expect(errorUnder(start)).toBeNull();
  const end = within(form).getByTestId('grant-end');
  fireEvent.change(end, { target: { value: '2099-02-04' } });
  fireEvent.change(within(form).getByTestId('grant-end-time'), { target: { value: '25:00' } });
  fireEvent.click(within(form).getByTestId('grant-submit'));
  await waitFor(() => expect(errorUnder(end)).toBe('Enter a date and a 24-hour time (e.g. 2026-12-01, 18:30)'));
  expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  expect(bridge.calls.filter((c) => c.operation === 'bulkGrants.create')).toEqual([]);
});

test('the grant’s day is typed as 2099-01-04 whatever the browser’s locale; a day that is not one (2099-02-30, 01/04/2099) is said under it and nothing is sent', async () => {
  const bridge = grantBridge();
  const form = await openForm(bridge);
  const start = within(form).getByTestId('grant-start') as HTMLInputElement;
  expect([start.type, start.placeholder]).toEqual(['text', 'YYYY-MM-DD']);
  const errorUnder = (input: HTMLElement) => input.closest('label.field')!.querySelector('.field-error')?.textContent ?? null;
  fireEvent.change(within(form).getByTestId('grant-start-time'), { target: { value: '09:00' } });
  for (const typed of ['2099-02-30', '01/04/2099']) {
    fireEvent.change(start, { target: { value: typed } });
    fireEvent.click(within(form).getByTestId('grant-submit'));
    await waitFor(() => expect(errorUnder(start)).toBe('Enter a date and a 24-hour time (e.g. 2026-12-01, 18:30)'));
    expect(start.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  }
  expect(bridge.calls.filter((c) => c.operation === 'bulkGrants.create')).toEqual([]);
});
