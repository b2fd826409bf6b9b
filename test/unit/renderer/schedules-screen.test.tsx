// @vitest-environment happy-dom
// The schedule editor: a job's parameters besides `now` (which every fire sets) can be set for
// its scheduled runs, checked in the form before anything is sent.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useExecutions } from '../../../renderer/src/stores/executions.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const entry = (params: Record<string, number>) => ({
  jobName: 'cleanJobHistoryJob', cron: '30 3 * * *', timeZone: 'Asia/Seoul', enabled: true, misfirePolicy: 'RUN_ONCE', params,
  nextFires: ['2026-12-04T18:30:00.000Z'], lastFire: null, modifiedAt: '2026-12-03T00:00:00.000Z', modifiedBy: 'defaults', description: null,
});
const job = {
  name: 'cleanJobHistoryJob', title: null, description: null, restartable: true,
  parameters: [
    { name: 'now', type: 'dateTime', required: false, identifying: true, default: 'now', integer: false, min: null, max: null, description: null },
    { name: 'keepDays', type: 'number', required: false, identifying: false, default: 90, integer: true, min: 1, max: 3650, description: { ko: '보관할 날짜 수 (기본 90일)', en: 'Days of history to keep (default 90)' } },
  ],
  steps: [{ name: 'deleteOldHistoryStep', title: { ko: '오래된 실행 기록 지우기', en: 'Delete old execution history' } }],
};

beforeEach(() => {
  signedOut();
  useExecutions.setState({ jobs: { state: 'idle' } });
});
afterEach(cleanup);

test("an admin sets the history clean-up's days kept on its schedule; a value out of range is named and nothing is sent", async () => {
  let saved = entry({});
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'jobs.list': () => [job],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'schedules.list': () => [saved],
    'schedules.update': (input: { params: Record<string, number> }) => (saved = entry(input.params)),
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('schedules'));
  await screen.findByTestId('schedule-row', {}, { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  expect(screen.queryByTestId('schedule-params')).toBeNull();

  fireEvent.click(screen.getByText('변경'));
  const input = (await screen.findByRole('spinbutton')) as HTMLInputElement;
  expect(input.dataset.param).toBe('keepDays');
  expect(document.querySelector('[data-param=now]')).toBeNull();
  expect(input.value).toBe('90');

  fireEvent.change(input, { target: { value: '0' } });
  // past the browser's own min check, as a pasted value or an older browser would get
  fireEvent.submit(input.closest('form')!);
  await screen.findByText('값이 너무 작습니다');
  expect(bridge.calls.filter((c) => c.operation === 'schedules.update')).toEqual([]);

  fireEvent.change(input, { target: { value: '30' } });
  fireEvent.click(screen.getByText('저장'));
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'schedules.update').map((c) => c.input)).toEqual([
    { job: 'cleanJobHistoryJob', cron: '30 3 * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE', params: { keepDays: 30 } },
  ]));
  expect((await screen.findByTestId('schedule-params')).textContent).toBe('보관 일수 30');
});

test('turning a schedule off is asked first, naming the job: cancelling changes nothing, confirming turns it off; turning it on is not asked', async () => {
  let saved = entry({});
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'jobs.list': () => [job],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'schedules.list': () => [saved],
    'schedules.update': (input: { enabled: boolean }) => (saved = { ...saved, enabled: input.enabled }),
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('schedules'));
  await screen.findByTestId('schedule-row', {}, { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const updates = () => bridge.calls.filter((c) => c.operation === 'schedules.update').map((c) => c.input);

  fireEvent.click(screen.getByTestId('schedule-toggle'));
  const ask = await screen.findByTestId('confirm-dialog');
  expect(ask.textContent).toContain('cleanJobHistoryJob 예약 실행을 끌까요?');
  fireEvent.click(within(ask).getByTestId('confirm-cancel'));
  await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  expect(updates()).toEqual([]);

  fireEvent.click(screen.getByTestId('schedule-toggle'));
  fireEvent.click(within(await screen.findByTestId('confirm-dialog')).getByTestId('confirm-ok'));
  await waitFor(() => expect(updates()).toEqual([{ job: 'cleanJobHistoryJob', enabled: false }]));
  await waitFor(() => expect(screen.getByTestId('schedule-toggle').textContent).toBe('켜기'));

  fireEvent.click(screen.getByTestId('schedule-toggle'));
  await waitFor(() => expect(updates()).toEqual([{ job: 'cleanJobHistoryJob', enabled: false }, { job: 'cleanJobHistoryJob', enabled: true }]));
  expect(screen.queryByTestId('confirm-dialog')).toBeNull();
});
