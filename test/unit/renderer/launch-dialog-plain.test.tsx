// @vitest-environment happy-dom
// The launch dialog (Executions → run a job) for front-desk eyes: a date-time parameter is a date
// and a 24-hour time (an <input type="datetime-local"> showed '12:00 AM' in an en-US browser,
// while the console says 24-hour times everywhere), and the hints say what pressing Run does for
// them, not 'a new value makes a new run' or 'Rebuild number'.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useExecutions } from '../../../renderer/src/stores/executions.ts';
import { fakeBridge, summary } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const statsJob = {
  name: 'makeStatisticsJob', title: { ko: '통계 데이터 생성', en: 'Build statistics and reports' }, description: null, restartable: true,
  parameters: [
    { name: 'from', type: 'dateTime', required: false, identifying: true, default: 'computed', integer: false, min: null, max: null, description: { ko: '집계 시작 (기본: 어제 00:00)', en: 'Window start (default: yesterday 00:00)' } },
    { name: 'to', type: 'dateTime', required: false, identifying: true, default: 'computed', integer: false, min: null, max: null, description: { ko: '집계 끝, 포함하지 않음 (기본: 오늘 00:00)', en: 'Window end, exclusive (default: today 00:00)' } },
    { name: 'rerun', type: 'number', required: false, identifying: true, default: 0, integer: true, min: 0, max: null, description: { ko: '이미 만든 기간을 다시 만들려면 1 올리세요', en: 'To build dates already built again, add 1' } },
  ],
  steps: [{ name: 'buildHourlyStatisticsStep', title: { ko: '시간별 통계 집계', en: 'Build hourly statistics' } }],
};
const WAIT = { timeout: 15_000 }; // a wait for a busy machine, not a limit on the screen

beforeEach(() => {
  signedOut();
  useExecutions.setState({ list: { state: 'idle' }, jobs: { state: 'idle' }, pages: {}, filterProblem: null, total: 0, selectedId: null, detail: { state: 'idle' } });
});
afterEach(cleanup);

function bridgeFor() {
  return fakeBridge({
    'jobs.list': () => [statsJob],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'executions.launch': () => summary(70, { status: 'STARTED' }),
    'executions.get': () => ({ ...summary(70), steps: [], executionContext: {}, lineage: null, failure: null }),
  });
}

test('a date-time parameter is a date and a 24-hour time, and 14:30 and 9:00 are sent as such; 25:00 is refused in the form', async () => {
  const bridge = bridgeFor();
  await signInWith(bridge, 'admin');
  fireEvent.click(await screen.findByTestId('launch-open', {}, WAIT));
  const dialog = await screen.findByTestId('launch-dialog', {}, WAIT);
  expect(dialog.querySelector('input[type=datetime-local]')).toBeNull();
  const date = (name: string) => dialog.querySelector(`input[type=text][data-param=${name}]`) as HTMLInputElement;
  const time = (name: string) => dialog.querySelector(`input[data-param-time=${name}]`) as HTMLInputElement;
  // the parameters' fields come with the job's definition, which may arrive after the dialog
  await waitFor(() => expect(time('from')).not.toBeNull(), WAIT);
  expect(time('from').type).toBe('text');
  expect(time('from').getAttribute('aria-label')).toBe('시각 (24시간, 예: 14:30)');
  expect(time('from').placeholder).toBe('00:00');

  fireEvent.change(date('from'), { target: { value: '2026-12-01' } });
  fireEvent.change(time('from'), { target: { value: '25:00' } });
  fireEvent.click(within(dialog).getByText('실행', { selector: 'button' }));
  await waitFor(() => expect(date('from').closest('label.field')!.querySelector('.field-error')?.textContent).toBe('날짜와 시각을 넣으세요'));

  fireEvent.change(time('from'), { target: { value: '14:30' } });
  fireEvent.change(date('to'), { target: { value: '2026-12-02' } });
  fireEvent.change(time('to'), { target: { value: '9:00' } });
  expect(date('from').value).toBe('2026-12-01');
  expect(time('from').value).toBe('14:30');
  fireEvent.click(within(dialog).getByText('실행', { selector: 'button' }));
  fireEvent.click(await screen.findByTestId('confirm-ok'));
  await waitFor(() => expect(bridge.calls.find((c) => c.operation === 'executions.launch')?.input).toEqual({ job: 'makeStatisticsJob', params: { from: '2026-12-01T14:30', to: '2026-12-02T09:00', rerun: 0 } }));
});

test('the hints say what a run with the same values does, and the rebuild count is named in plain words, in Korean and English', async () => {
  await signInWith(bridgeFor(), 'admin');
  fireEvent.click(await screen.findByTestId('launch-open', {}, WAIT));
  const dialog = await screen.findByTestId('launch-dialog', {}, WAIT);
  const rerun = () => dialog.querySelector('[data-param=rerun]')!.closest('label.field')!;
  expect(rerun().querySelector('.field-label')!.textContent).toBe('다시 만든 횟수');
  expect(rerun().querySelector('.field-hint')!.textContent).toBe('이미 만든 기간을 다시 만들려면 1 올리세요 · 기본값: 0 · 값이 모두 이미 끝난 실행과 같으면 실행되지 않습니다. 다시 하려면 값을 바꾸세요');
  act(() => useLang.getState().setLang('en'));
  expect(rerun().querySelector('.field-label')!.textContent).toBe('Times built again');
  expect(rerun().querySelector('.field-hint')!.textContent).toBe('To build dates already built again, add 1 · Default: 0 · A run with the same values as one already finished is refused: change a value to run again');
  expect(dialog.textContent).not.toContain('a new value makes a new run');
  expect(dialog.textContent).not.toContain('Rebuild number');
  expect(dialog.querySelector('input[data-param-time=from]')!.getAttribute('aria-label')).toBe('Time (24-hour, e.g. 14:30)');
});
