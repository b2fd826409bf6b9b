// @vitest-environment happy-dom
// (the list's rows are virtual and happy-dom lays nothing out: the rows' restart marker is proved
// in the browser, test/e2e/first-week-executions.test.ts)
// Issue 16, items 7, 9, 10 and 11 on the screens, against a fake bridge: a failure told in words
// with the engine's text folded away, the restart lineage linked both ways with no action offered
// on an execution its restart took over from, empty runs hidden by default behind a toggle, and
// the launch and schedule dialogs in words (labels, the schedule's timing, no fixed window on a
// repeating schedule).
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { describeParameters, formatParameters } from '../../../renderer/src/lib/format.ts';
import { paramLabel } from '../../../renderer/src/lib/paramForm.ts';
import { actionsFor, listInput, PAGE_SIZE, useExecutions } from '../../../renderer/src/stores/executions.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge, summary } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const technical = "writeDailyReportStep: EEXIST: file already exists, mkdir '/srv/gym/blocked/reports'\nat mkdir (reportFiles.ts:20:3)";
const failed = {
  ...summary(18, { status: 'FAILED', exitMessage: technical, restartedAs: { id: 19, status: 'COMPLETED' } }),
  steps: [
    { id: 2, stepName: 'writeDailyReportStep', status: 'FAILED', exitCode: 'FAILED', exitMessage: "EEXIST: file already exists, mkdir '/srv/gym/blocked/reports'", startTime: null, endTime: null, readCount: 0, writeCount: 0, filterCount: 0, commitCount: 0, rollbackCount: 1, readSkipCount: 0, processSkipCount: 0, writeSkipCount: 0, executionContext: {} },
  ],
  executionContext: {},
  lineage: { instanceId: 5, executions: [{ id: 18, status: 'FAILED' }, { id: 19, status: 'COMPLETED' }], restartOf: null, restartedAs: { id: 19, status: 'COMPLETED' }, latest: false },
  failure: {
    kind: 'folder',
    message: { ko: '단계 writeDailyReportStep에서 폴더 /srv/gym/blocked/reports를 만들거나 쓸 수 없습니다.', en: 'In step writeDailyReportStep: the folder /srv/gym/blocked/reports cannot be made or written.' },
    advice: { ko: '그 파일을 옮기거나 실행 조건의 폴더를 바꾼 뒤 재시작하세요.', en: 'Move that file out of the way (or choose another folder), then restart.' },
    technical,
  },
};
const completed = {
  ...summary(19, { status: 'COMPLETED' }),
  steps: [],
  executionContext: {},
  lineage: { instanceId: 5, executions: [{ id: 18, status: 'FAILED' }, { id: 19, status: 'COMPLETED' }], restartOf: { id: 18, status: 'FAILED' }, restartedAs: null, latest: true },
  failure: null,
};

const statsJob = {
  name: 'makeStatisticsJob', title: null, description: null, restartable: true,
  parameters: [
    { name: 'from', type: 'dateTime', required: false, identifying: true, default: 'computed', integer: false, min: null, max: null, description: { ko: '집계 시작 (기본: 어제 00:00)', en: 'Window start (default: yesterday 00:00)' } },
    { name: 'to', type: 'dateTime', required: false, identifying: true, default: 'computed', integer: false, min: null, max: null, description: { ko: '집계 끝, 포함하지 않음 (기본: 오늘 00:00)', en: 'Window end, exclusive (default: today 00:00)' } },
    { name: 'rerun', type: 'number', required: false, identifying: true, default: 0, integer: true, min: 0, max: null, description: { ko: '같은 기간을 다시 만들 때 1, 2, ...', en: 'Raise to build the same window again' } },
  ],
  steps: [
    { name: 'buildHourlyStatisticsStep', title: { ko: '시간별 통계 집계', en: 'Build hourly statistics' } },
    { name: 'writeDailyReportStep', title: { ko: '일간 보고서 작성', en: 'Write the daily report' } },
    { name: 'writeWeeklyReportStep', title: { ko: '주간 보고서 작성', en: 'Write the weekly report' } },
  ],
};

const handlers = {
  'session.me': () => Promise.reject(new Error('signed out')),
  'jobs.list': () => [statsJob],
  'jobs.namesInHistory': () => [],
  'executions.list': () => ({ total: 2, page: 1, pageSize: 200, items: [summary(19), summary(18, { status: 'FAILED', restartedAs: { id: 19, status: 'COMPLETED' } })] }),
  'executions.get': ({ id }: { id: number }) => (id === 18 ? failed : completed),
  'packages.list': () => [],
};

beforeEach(() => {
  signedOut();
  useExecutions.setState({ list: { state: 'idle' }, jobs: { state: 'idle' }, pages: {}, filterProblem: null, total: 0, selectedId: null, detail: { state: 'idle' }, filter: { job: '', status: '', from: '', to: '', showEmpty: false } });
});
afterEach(cleanup);

/** how long to wait for the screen to answer on a busy machine (a wait, not a time limit on the app) */
const WAIT = { timeout: 15_000 };

describe('failures and restart lineage', () => {
  test('a failed execution says what happened and what to do in Korean, with the engine’s text folded under technical details', async () => {
    await signInWith(fakeBridge(handlers), 'admin');
    await act(() => useExecutions.getState().select(18));
    const failure = await screen.findByTestId('failure', {}, WAIT);
    expect(failure.dataset.kind).toBe('folder');
    expect(screen.getByTestId('failure-message').textContent).toContain('/srv/gym/blocked/reports');
    expect(screen.getByTestId('failure-message').textContent).not.toContain('EEXIST');
    expect(screen.getByTestId('failure-advice').textContent).toContain('재시작하세요');
    const folded = screen.getByTestId('failure-technical') as HTMLDetailsElement;
    expect(folded.tagName).toBe('DETAILS');
    expect(folded.open).toBe(false);
    expect(folded.textContent).toContain('EEXIST: file already exists');
    // A failed step's own text is folded the same way.
    const stepText = screen.getByTestId('step-exit').querySelector('details')!;
    expect(stepText.open).toBe(false);
    expect(stepText.textContent).toContain('EEXIST');
  });

  test('an execution its restart completed offers no restart or abandon, and links to the restart, which links back', async () => {
    await signInWith(fakeBridge(handlers), 'admin');
    await act(() => useExecutions.getState().select(18));
    await screen.findByTestId('lineage', {}, WAIT);
    expect(screen.queryByTestId('action-restart')).toBeNull();
    expect(screen.queryByTestId('action-abandon')).toBeNull();
    expect(screen.getByTestId("lineage-not-latest").textContent).toContain("#19로 재시작되었으므로");
    const forward = screen.getByTestId('lineage-restarted-as');
    expect(forward.textContent).toBe('#19로 재시작됨 · 완료');
    fireEvent.click(forward);
    await waitFor(() => expect(screen.getByTestId('exec-detail').dataset.status).toBe('COMPLETED'), WAIT);
    const back = await screen.findByTestId('lineage-restart-of', {}, WAIT);
    expect(back.textContent).toBe('#18의 재시작');
    fireEvent.click(back);
    await waitFor(() => expect(screen.getByTestId('exec-detail').dataset.status).toBe('FAILED'), WAIT);
  });

  test('restart and abandon are offered only on the latest execution of an instance', () => {
    expect(actionsFor('FAILED', true, false, true)).toEqual(['restart', 'abandon']);
    expect(actionsFor('FAILED', true, false, false)).toEqual([]);
    expect(actionsFor('STOPPED', true, false, false)).toEqual([]);
  });
});

describe('empty runs', () => {
  test('the list asks the service to leave out empty runs by default and shows them when the toggle is on', async () => {
    expect(listInput({ job: '', status: '', from: '', to: '', showEmpty: false }, 1)).toEqual({ input: { hideEmpty: true, page: 1, pageSize: PAGE_SIZE } });
    expect(listInput({ job: '', status: '', from: '', to: '', showEmpty: true }, 1)).toEqual({ input: { page: 1, pageSize: PAGE_SIZE } });
    const bridge = fakeBridge(handlers);
    await signInWith(bridge, 'admin');
    await waitFor(() => expect(bridge.calls.some((c) => c.operation === 'executions.list')).toBe(true), WAIT);
    expect(bridge.calls.filter((c) => c.operation === 'executions.list').at(-1)!.input.hideEmpty).toBe(true);
    const toggle = screen.getByTestId('filter-show-empty') as HTMLInputElement;
    expect(toggle.closest('label')!.textContent).toBe('빈 실행 보기');
    expect(toggle.checked).toBe(false);
    fireEvent.click(toggle);
    await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'executions.list').at(-1)!.input.hideEmpty).toBeUndefined(), WAIT);
  });
});

describe('dialogs in words', () => {
  test('parameters read as words: labels from the glossary, ids without separators, an empty folder as the default', () => {
    expect(formatParameters({ bulkPassSeq: 99999, reportDir: '' }, 'ko')).toBe('bulkPassSeq=99999, reportDir=기본값');
    expect(paramLabel('from', 'ko')).toBe('집계 시작');
    expect(paramLabel('somethingNew', 'en', { ko: '새 조건 (기본: 없음)', en: 'A new one (default: none)' })).toBe('A new one');
    expect(describeParameters({ from: '2026-11-30T15:00:00.000Z', reportDir: '' }, 'ko', 'Asia/Seoul', (n) => paramLabel(n, 'ko'))).toBe('집계 시작 2026. 12. 1. 00:00 · 보고서 폴더 기본값');
  });

  test('the launch form labels each parameter in words with its code name small, and no jargon', async () => {
    await signInWith(fakeBridge(handlers), 'admin');
    fireEvent.click(await screen.findByTestId('launch-open', {}, WAIT));
    const dialog = await screen.findByTestId('launch-dialog', {}, WAIT);
    const labels = [...dialog.querySelectorAll('.field-label')].map((l) => l.textContent);
    expect(labels).toEqual(expect.arrayContaining(['집계 시작', '집계 끝', '다시 만든 횟수']));
    expect([...dialog.querySelectorAll('[data-testid=param-code]')].map((c) => c.textContent)).toEqual(['from', 'to', 'rerun']);
    expect(dialog.textContent).not.toContain('식별 조건');
  });

  test('a schedule is told in words with its cron folded under Advanced, and a fixed window is refused in the form', async () => {
    const entry = {
      jobName: 'makeStatisticsJob', cron: '0 1 * * *', timeZone: 'Asia/Seoul', enabled: true, misfirePolicy: 'RUN_ONCE', params: {},
      nextFires: ['2026-12-06T16:00:00.000Z'], lastFire: { fireTime: '2026-12-05T16:00:00.000Z', outcome: 'SKIPPED_NO_WORK', executionId: null, message: 'Nothing to do' },
      modifiedAt: '2026-12-03T00:00:00.000Z', modifiedBy: 'defaults', description: { ko: '매일 01:00', en: 'Daily at 01:00' },
    };
    const bridge = fakeBridge({ ...handlers, 'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }), 'schedules.list': () => [entry], 'schedules.update': () => entry });
    await signInWith(bridge, 'admin');
    act(() => useUi.getState().go('schedules'));
    await screen.findByTestId('schedule-row', {}, WAIT);
    expect(screen.getByTestId('schedule-words').textContent).toBe('매일 01:00');
    expect((screen.getByTestId('schedule-cron') as HTMLDetailsElement).open).toBe(false);
    expect(screen.getByTestId('schedule-last-outcome').textContent).toBe('건너뜀: 할 일 없음');

    fireEvent.click(screen.getByText('변경'));
    expect((await screen.findByTestId('edit-schedule-words', {}, WAIT)).textContent).toBe('매일 01:00');
    expect((screen.getByTestId('cron-advanced') as HTMLDetailsElement).open).toBe(false);
    const from = document.querySelector('[data-param=from]') as HTMLInputElement;
    fireEvent.change(from, { target: { value: '2026-11-01' } }); // the date field of a date and 24-hour time
    fireEvent.submit(from.closest('form')!);
    await screen.findByText(/날짜와 시각을 고정할 수 없습니다/, {}, WAIT);
    expect(bridge.calls.filter((c) => c.operation === 'schedules.update')).toEqual([]);
  });
});
