// @vitest-environment happy-dom
// A schedule's time zone is picked as the gym's zone in Settings is, from one shared list (it was
// a free text box), and a zone that is not on it is refused under the field in the screen's
// language before anything is sent.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useExecutions } from '../../../renderer/src/stores/executions.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const entry = {
  jobName: 'expirePassesJob', cron: '0 3 * * *', timeZone: 'Asia/Seoul', enabled: true, misfirePolicy: 'RUN_ONCE', params: {},
  nextFires: ['2026-12-07T18:00:00.000Z'], lastFire: null, modifiedAt: '2026-12-03T00:00:00.000Z', modifiedBy: 'defaults', description: null,
};

beforeEach(() => {
  signedOut();
  useExecutions.setState({ jobs: { state: 'idle' } });
});
afterEach(cleanup);

test('the schedule editor offers the list of time zones and refuses "Seoul" under the field in Korean and English, sending nothing until a listed zone is picked', async () => {
  const bridge = fakeBridge({
    'jobs.list': () => [],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'schedules.list': () => [entry],
    'schedules.update': (input: { timeZone: string }) => ({ ...entry, timeZone: input.timeZone }),
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('schedules'));
  await screen.findByTestId('schedule-row', {}, { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  fireEvent.click(screen.getByText('변경'));
  const zone = (await screen.findByTestId('edit-timezone')) as HTMLInputElement;
  expect(zone.value).toBe('Asia/Seoul');
  const list = document.getElementById(zone.getAttribute('list') ?? '');
  expect(list?.tagName).toBe('DATALIST');
  const names = [...list!.querySelectorAll('option')].map((o) => o.value);
  expect(names).toContain('Asia/Seoul');
  expect(names).toContain('UTC');
  expect(names).toContain('America/New_York');

  const under = () => zone.closest('label.field')!.querySelector('.field-error')?.textContent ?? null;
  fireEvent.change(zone, { target: { value: 'Seoul' } });
  fireEvent.click(screen.getByText('저장'));
  await waitFor(() => expect(under()).toBe('알 수 없는 시간대입니다. 목록에서 고르세요 (예: Asia/Seoul).'));
  expect(zone.getAttribute('aria-invalid')).toBe('true');
  act(() => useLang.getState().setLang('en'));
  expect(under()).toBe('Not a known time zone. Pick one from the list (e.g. Asia/Seoul).');
  expect(bridge.calls.filter((c) => c.operation === 'schedules.update')).toEqual([]);

  fireEvent.change(zone, { target: { value: 'Asia/Tokyo' } });
  expect(under()).toBeNull();
  fireEvent.click(screen.getByText('Save'));
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'schedules.update').map((c) => c.input.timeZone)).toEqual(['Asia/Tokyo']));
});
