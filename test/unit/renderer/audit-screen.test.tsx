// @vitest-environment happy-dom
// The Activity log names what each row acted on and the jobs and roles in its details in words,
// in Korean and English ('execution:3' read as code to a manager), keeping the code in a tooltip;
// its details' names and values are in words too (실행 조건: 집계 시작 2026. 11. 28. 00:00, not
// params: from=2026-11-28T00:00:00+09:00).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { ACTION_NAME, TARGET_NAME } from '../../../renderer/src/i18n/words.ts';
import { useExecutions } from '../../../renderer/src/stores/executions.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const at = '2026-12-07T01:00:00.000Z';
const entries = [
  { auditSeq: 5, at, actor: 'admin', action: 'executions.launch', target: 'execution:3', detail: { job: 'makeStatisticsJob', params: { rerun: 1 } } },
  { auditSeq: 4, at, actor: 'admin', action: 'staff.create', target: 'staff:desk.kim', detail: { username: 'desk.kim', role: 'FRONT_DESK' } },
  { auditSeq: 3, at, actor: 'manager.lee', action: 'schedules.update', target: 'schedule:makeStatisticsJob', detail: { enabled: false } },
  { auditSeq: 2, at, actor: 'admin', action: 'settings.update', target: 'settings', detail: null },
  { auditSeq: 1, at, actor: 'admin', action: 'someday.new', target: 'widget:7', detail: { job: 'retiredJob' } },
];

beforeEach(() => {
  signedOut();
  useExecutions.setState({ jobs: { state: 'idle' } });
});
afterEach(cleanup);

test('the Activity log names targets, jobs and roles in words in Korean and English, and keeps the code in the tooltip', async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'audit.list': () => ({ items: entries, total: entries.length }),
    'jobs.list': () => [{ name: 'makeStatisticsJob', title: { ko: '통계 데이터 생성', en: 'Build statistics and reports' }, description: null, restartable: true, parameters: [], steps: [] }],
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('audit'));
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(5), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const targets = () => screen.getAllByTestId('audit-target').map((td) => [td.textContent, td.getAttribute('title')]);
  const details = () => screen.getAllByTestId('audit-row').map((tr) => tr.querySelector('.audit-detail')!.textContent);
  await waitFor(() => expect(targets()[2]![0]).toBe('예약 실행: 통계 데이터 생성'));
  expect(targets()).toEqual([
    ['작업 실행 #3', 'execution:3'],
    ['직원 desk.kim', 'staff:desk.kim'],
    ['예약 실행: 통계 데이터 생성', 'schedule:makeStatisticsJob'],
    ['설정', 'settings'],
    ['widget:7', 'widget:7'],
  ]);
  expect(details()).toEqual(['배치 작업: 통계 데이터 생성실행 조건: 다시 만든 횟수 1', '아이디: desk.kim권한: 프런트', '사용: 아니요', '', '배치 작업: retiredJob']);

  act(() => useLang.setState({ lang: 'en' }));
  expect(targets().map(([text]) => text)).toEqual(['Execution #3', 'Staff desk.kim', 'Schedule: Build statistics and reports', 'Settings', 'widget:7']);
  expect(details().slice(0, 3)).toEqual(['Batch job: Build statistics and reportsParameters: Times built again 1', 'Username: desk.kimRole: Front desk', 'On: no']);
});

test('the Activity log says a run’s parameters, a restart and a settings change in words, with times in the gym’s zone, not code names and ISO times', async () => {
  const rows = [
    {
      auditSeq: 3, at, actor: 'admin', action: 'executions.launch', target: 'execution:2',
      detail: { job: 'makeStatisticsJob', params: { reportDir: '', from: '2026-11-28T00:00:00+09:00', to: '2026-12-02T15:00:00.000Z' }, executionId: 2 },
    },
    { auditSeq: 2, at, actor: 'admin', action: 'executions.restart', target: 'execution:2', detail: { id: 2, newExecutionId: 5 } },
    { auditSeq: 4, at, actor: 'admin', action: 'backups.run', target: 'job:backupDatabaseJob', detail: { params: {} } },
    { auditSeq: 1, at, actor: 'admin', action: 'settings.update', target: 'settings', detail: { timeZone: { from: 'Asia/Seoul', to: 'Asia/Tokyo' } } },
  ];
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'audit.list': () => ({ items: rows, total: rows.length }),
    'jobs.list': () => [{ name: 'makeStatisticsJob', title: { ko: '통계 데이터 생성', en: 'Build statistics and reports' }, description: null, restartable: true, parameters: [], steps: [] }],
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('audit'));
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(5), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const lines = () => screen.getAllByTestId('audit-row').map((tr) => [...tr.querySelectorAll('.audit-detail > div')].map((d) => d.textContent));
  await waitFor(() => expect(lines()[0]![0]).toBe('배치 작업: 통계 데이터 생성'));
  expect(lines()).toEqual([
    ['배치 작업: 통계 데이터 생성', '실행 조건: 보고서 폴더 기본값 · 집계 시작 2026. 11. 28. 00:00 · 집계 끝 2026. 12. 3. 00:00', '작업 실행: #2'],
    ['작업 실행: #2', '새 작업 실행: #5'],
    ['실행 조건: 기본값'],
    ['시간대: Asia/Seoul → Asia/Tokyo'],
  ]);
  act(() => useLang.setState({ lang: 'en' }));
  expect(lines()).toEqual([
    ['Batch job: Build statistics and reports', 'Parameters: Report folder default · Window start Nov 28, 2026, 00:00 · Window end Dec 3, 2026, 00:00', 'Execution: #2'],
    ['Execution: #2', 'New execution: #5'],
    ['Parameters: default'],
    ['Time zone: Asia/Seoul → Asia/Tokyo'],
  ]);
});

test('the Activity log says each part of a settings change in the Settings screen’s words: the booking rules, the notifier, the folders and a notifier test, a webhook’s key masked as recorded', async () => {
  const rows = [
    {
      auditSeq: 4, at, actor: 'admin', action: 'settings.update', target: 'settings',
      detail: {
        bookingPolicy: {
          from: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows: true },
          to: { cancelCutoffMinutes: 120, lateCancelCountsAsUse: true, deductNoShows: false },
        },
      },
    },
    {
      auditSeq: 3, at, actor: 'admin', action: 'settings.update', target: 'settings',
      detail: { notifier: { from: { kind: 'logFile' }, to: { kind: 'webhook', url: 'https://hooks.example/send?key=***&team=7', timeoutMs: 5000 } } },
    },
    { auditSeq: 2, at, actor: 'admin', action: 'settings.update', target: 'settings', detail: { allowedFolders: { from: [], to: ['/srv/pass/reports', '/srv/pass/backups'] } } },
    { auditSeq: 1, at, actor: 'admin', action: 'settings.testNotifier', target: 'notifier', detail: { kind: 'webhook', target: 'https://hooks.example/send?…', ok: true, error: null } },
    { auditSeq: 0, at, actor: 'admin', action: 'settings.testDatabase', target: 'mysql://app:***@db/pass', detail: { url: 'mysql://app:***@db/pass', ok: false, error: { ko: '연결을 거부했습니다', en: 'The server refused the connection' } } },
  ];
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'audit.list': () => ({ items: rows, total: rows.length }),
    'jobs.list': () => [],
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('audit'));
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(5), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const lines = () => screen.getAllByTestId('audit-row').map((tr) => [...tr.querySelectorAll('.audit-detail > div')].map((d) => d.textContent));
  expect(lines()).toEqual([
    ['무료 취소 시한 (수업 전 분): 180 → 120', '결석(노쇼)도 이용권 1회 차감: 예 → 아니요'],
    ['보내는 방법: 로그 파일 → 웹훅 (카카오톡·문자 중계 서버)', '웹훅 주소: – → https://hooks.example/send?key=***&team=7', '응답 대기 시간 (밀리초): – → 5,000'],
    ['파일을 쓸 수 있는 폴더: – → /srv/pass/reports, /srv/pass/backups'],
    ['보내는 방법: 웹훅 (카카오톡·문자 중계 서버)', '보낸 곳: https://hooks.example/send?…', '성공: 예', '오류: –'],
    [expect.stringContaining('mysql://app:***@db/pass'), '성공: 아니요', '오류: 연결을 거부했습니다'],
  ]);
  act(() => useLang.setState({ lang: 'en' }));
  expect(lines()).toEqual([
    ['Free cancellation until (minutes before): 180 → 120', 'A no-show takes a use too: yes → no'],
    ['How to send: Log file → Webhook (KakaoTalk / SMS relay)', 'Webhook address: – → https://hooks.example/send?key=***&team=7', 'Answer timeout (ms): – → 5,000'],
    ['Folders files may be written to: – → /srv/pass/reports, /srv/pass/backups'],
    ['How to send: Webhook (KakaoTalk / SMS relay)', 'Sent to: https://hooks.example/send?…', 'Succeeded: yes', 'Error: –'],
    [expect.stringContaining('mysql://app:***@db/pass'), 'Succeeded: no', 'Error: The server refused the connection'],
  ]);
});

test('a desk sale in the Activity log says how it was paid in words (카드 / Card), not its code', async () => {
  const rows = [
    { auditSeq: 2, at, actor: 'desk.kim', action: 'passes.register', target: 'user:M1000002', detail: { userId: 'M1000002', packageSeq: 1, paymentMethod: 'TRANSFER', passSeqs: [41] } },
    { auditSeq: 1, at, actor: 'desk.kim', action: 'passes.register', target: 'user:M1000003', detail: { userId: 'M1000003', packageSeq: 1, paymentMethod: 'CARD', passSeqs: [40] } },
  ];
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'audit.list': () => ({ items: rows, total: rows.length }),
    'jobs.list': () => [],
  });
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('audit'));
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const method = () => screen.getAllByTestId('audit-row').map((tr) => [...tr.querySelectorAll('.audit-detail > div')].map((d) => d.textContent).find((line) => /결제|Payment/.test(line ?? '')));
  expect(method()).toEqual(['결제 수단: 계좌이체', '결제 수단: 카드']);
  act(() => useLang.setState({ lang: 'en' }));
  expect(method()).toEqual(['Payment method: Bank transfer', 'Payment method: Card']);
  act(() => useLang.setState({ lang: 'ko' }));
});

test('every kind of target the console records has words in the Activity log, in Korean and in English', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const kinds = new Set<string>();
  for (const folder of ['main/service', 'main/cli', 'main/app']) {
    for (const file of readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(root, folder, file), 'utf8');
      for (const m of text.matchAll(/\btarget: `([a-z_]+):/g)) kinds.add(m[1]!);
      for (const m of text.matchAll(/\btarget: '([a-z_]+)'/g)) kinds.add(m[1]!);
    }
  }
  expect([...kinds]).toEqual(expect.arrayContaining(['execution', 'class', 'user', 'settings']));
  expect([...kinds].filter((k) => !TARGET_NAME[k]?.ko || !TARGET_NAME[k]?.en)).toEqual([]);
});

test('every action the console records outside the service’s operations (a restore, an upgrade) has words in the Activity log', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const actions = new Set<string>();
  for (const folder of ['main/cli', 'main/app']) {
    for (const file of readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(join(root, folder, file), 'utf8').matchAll(/\baction: '([a-z]+\.[a-zA-Z]+)'/g)) actions.add(m[1]!);
    }
  }
  expect([...actions]).toEqual(expect.arrayContaining(['backups.restore', 'database.upgrade']));
  expect([...actions].filter((a) => !ACTION_NAME[a]?.ko || !ACTION_NAME[a]?.en)).toEqual([]);
});
