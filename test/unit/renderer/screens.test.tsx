// @vitest-environment happy-dom
// The screens as components, against a fake bridge: sign-in, navigation by role, the execution
// detail's actions by role and status, the language switch.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { App } from '../../../renderer/src/App.tsx';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useExecutions } from '../../../renderer/src/stores/executions.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge, summary } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const failed = { ...summary(7, { status: 'FAILED', exitMessage: 'writeDailyReportStep: ENOTDIR' }), steps: [
  { id: 1, stepName: 'buildHourlyStatisticsStep', status: 'COMPLETED', exitCode: 'COMPLETED', exitMessage: '', startTime: null, endTime: null, readCount: 1734, writeCount: 1734, filterCount: 0, commitCount: 2, rollbackCount: 0, readSkipCount: 0, processSkipCount: 0, writeSkipCount: 0, executionContext: {} },
  { id: 2, stepName: 'writeDailyReportStep', status: 'FAILED', exitCode: 'FAILED', exitMessage: 'ENOTDIR', startTime: null, endTime: null, readCount: 0, writeCount: 0, filterCount: 0, commitCount: 0, rollbackCount: 1, readSkipCount: 0, processSkipCount: 0, writeSkipCount: 0, executionContext: {} },
], executionContext: {} };

// the jobs as jobs.list gives them, each step with its title
const jobs = [
  {
    name: 'makeStatisticsJob', title: { ko: '통계 데이터 생성', en: 'Build statistics and reports' }, description: null, restartable: true, parameters: [],
    steps: [
      { name: 'buildHourlyStatisticsStep', title: { ko: '시간별 통계 집계', en: 'Build hourly statistics' } },
      { name: 'writeDailyReportStep', title: { ko: '일간 보고서 작성', en: 'Write the daily report' } },
      { name: 'writeWeeklyReportStep', title: { ko: '주간 보고서 작성', en: 'Write the weekly report' } },
    ],
  },
  {
    name: 'expirePassesJob', title: { ko: '이용권 만료', en: 'Expire passes' }, description: null, restartable: true, parameters: [],
    steps: [
      { name: 'expirePassesStep', title: { ko: '끝난 이용권 만료', en: 'Expire passes that ended' } },
      { name: 'startPassesStep', title: { ko: '시작일이 된 이용권 사용 시작', en: 'Start passes whose start has come' } },
    ],
  },
];

const handlers = {
  'session.me': () => Promise.reject(new Error('signed out')),
  'jobs.list': () => jobs,
  'executions.list': () => ({ total: 1, page: 1, pageSize: 200, items: [summary(7, { status: 'FAILED' })] }),
  'executions.get': () => failed,
  'packages.list': () => [],
};

beforeEach(() => {
  signedOut();
  useExecutions.setState({ list: { state: 'idle' }, jobs: { state: 'idle' }, pages: {}, filterProblem: null, total: 0, selectedId: null, detail: { state: 'idle' } });
});
afterEach(cleanup);

const signInAs = (username: string) => signInWith(fakeBridge(handlers), username);

describe('console screens', () => {
  test('a wrong password says so; the right one opens the role’s home', async () => {
    setBridge(fakeBridge(handlers));
    render(<App />);
    await screen.findByText('직원 로그인');
    fireEvent.change(document.querySelector('input[name=username]')!, { target: { value: 'nobody' } });
    fireEvent.change(document.querySelector('input[name=password]')!, { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('아이디 또는 비밀번호가 틀립니다.');
  });

  test('the front desk sees members, classes, the member import and bulk grants only', async () => {
    await signInAs('desk');
    const nav = [...document.querySelectorAll('nav a')].map((a) => a.textContent);
    expect(nav).toEqual(['회원 이용권', '수업 예약', '회원 가져오기', '이용권 일괄 지급']);
    expect(document.querySelector('main')!.dataset.screen).toBe('members');
  });

  test("the front desk's live stream never asks for the executions list, which only a manager may read; a manager's does", async () => {
    const grantRun = [
      { type: 'job-started', executionId: 31, jobName: 'addPassesJob' },
      { type: 'job-finished', executionId: 31, jobName: 'addPassesJob', status: 'COMPLETED', exitMessage: '' },
    ] as const;
    const desk = fakeBridge({ ...handlers, 'members.search': () => ({ members: [], total: 0, next: null }), 'groups.list': () => [] });
    await signInWith(desk, 'desk');
    for (const event of grantRun) act(() => desk.emit(event));
    await act(() => Promise.resolve());
    expect(desk.calls.map((c) => c.operation).filter((op) => op.startsWith('executions.') || op.startsWith('jobs.'))).toEqual([]);
    cleanup();
    signedOut();

    const manager = fakeBridge(handlers);
    await signInWith(manager, 'manager');
    const before = manager.calls.filter((c) => c.operation === 'executions.list').length;
    for (const event of grantRun) act(() => manager.emit(event));
    await waitFor(() => expect(manager.calls.filter((c) => c.operation === 'executions.list').length).toBeGreaterThan(before));
  });

  test('an admin gets Restart and Abandon on a failed execution, with a confirmation', async () => {
    await signInAs('admin');
    await act(() => useExecutions.getState().select(7));
    const detail = await screen.findByTestId('exec-detail');
    expect(detail.dataset.status).toBe('FAILED');
    expect(screen.getByTestId('action-restart').textContent).toBe('재시작');
    expect(screen.getByTestId('action-abandon').textContent).toBe('포기');
    expect(screen.queryByTestId('action-stop')).toBeNull();
    expect(screen.getByTestId('exit-message').textContent).toContain('ENOTDIR');
    expect(screen.getAllByTestId('step-read')[0]!.textContent).toBe('1,734');
    // Steps in words, with the code name the command line uses under each.
    // (the titles come with the job definitions, which may arrive after the execution)
    const names = () => [...detail.querySelectorAll('[data-testid=step-row] th')].map((th) => [th.firstChild!.textContent, th.querySelector('.step-code')?.textContent]);
    await waitFor(() =>
      expect(names()).toEqual([
      ['시간별 통계 집계', 'buildHourlyStatisticsStep'],
      ['일간 보고서 작성', 'writeDailyReportStep'],
      ]),
    );
    fireEvent.click(screen.getByTestId('action-restart'));
    expect((await screen.findByTestId('confirm-dialog')).textContent).toContain('작업 실행 #7을 재시작할까요?');
    fireEvent.click(screen.getByText('취소'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  });

  test('a busy server: the stream shows the live progress before the execution itself arrives', async () => {
    const bridge = fakeBridge({ ...handlers, 'executions.get': () => new Promise(() => undefined) });
    await signInWith(bridge, 'admin');
    act(() => {
      // its answer never comes
      void useExecutions.getState().select(9);
    });
    act(() =>
      bridge.emit({
        type: 'step-progress', executionId: 9, jobName: 'expirePassesJob', phase: 'chunk', stepName: 'expirePassesStep', status: 'STARTED',
        readCount: 1000, writeCount: 1000, filterCount: 0, skipCount: 0, commitCount: 1, rollbackCount: 0, itemsPerSecond: 500, expectedItems: 4000,
      }),
    );
    const detail = await screen.findByTestId('exec-detail');
    expect(detail.getAttribute('aria-label')).toBe('작업 실행 #9');
    expect(screen.getByTestId('live-read').textContent).toBe('1,000 / 4,000');
    expect(detail.querySelector('[role=progressbar]')!.getAttribute('aria-valuenow')).toBe('25');
    expect(detail.querySelector('[role=progressbar]')!.getAttribute('aria-label')).toBe('끝난 이용권 만료');
  });

  test('a step that has not committed its first chunk says its speed is being measured, not 0/s', async () => {
    const bridge = fakeBridge({ ...handlers, 'executions.get': () => new Promise(() => undefined) });
    await signInWith(bridge, 'admin');
    act(() => {
      void useExecutions.getState().select(12);
    });
    const progress = (readCount: number, itemsPerSecond: number) =>
      bridge.emit({
        type: 'step-progress', executionId: 12, jobName: 'makeStatisticsJob', phase: 'chunk', stepName: 'makeStatisticsStep', status: 'STARTED',
        readCount, writeCount: readCount, filterCount: 0, skipCount: 0, commitCount: readCount ? 1 : 0, rollbackCount: 0, itemsPerSecond, expectedItems: 48,
      });
    act(() => progress(0, 0));
    expect((await screen.findByTestId('live-rate')).textContent).toBe('속도 재는 중');
    act(() => progress(24, 12));
    await waitFor(() => expect(screen.getByTestId('live-rate').textContent).toBe('초당 12건'));
  });

  test('a manager sees the same execution without any action', async () => {
    await signInAs('manager');
    act(() => useUi.getState().go('executions'));
    await act(() => useExecutions.getState().select(7));
    await screen.findByTestId('exec-detail');
    expect(screen.queryByTestId('action-restart')).toBeNull();
    expect(screen.queryByTestId('action-abandon')).toBeNull();
    expect(screen.queryByTestId('launch-open')).toBeNull();
  });

  test('English changes the visible words and is remembered', async () => {
    await signInAs('admin');
    expect(screen.getByTestId('nav-executions').textContent).toBe('작업 실행');
    fireEvent.click(screen.getByTestId('lang-en'));
    expect(screen.getByTestId('nav-executions').textContent).toBe('Executions');
    expect(screen.getByTestId('me-role').textContent).toBe('Admin');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('passConsole.lang')).toBe('en');
  });
});
