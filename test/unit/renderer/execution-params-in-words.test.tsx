// @vitest-environment happy-dom
// An execution's parameters in its detail read as people read them: each by its name in words with
// its value right after it ('Language of the reasons Korean', '미리 확인 (쓰지 않음) 예'), the code
// name small after both, not 'language ko' or 'dryRun yes' (found by an exploratory pass).
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { describeParameters, formatParameter } from '../../../renderer/src/lib/format.ts';
import { paramLabel } from '../../../renderer/src/lib/paramForm.ts';
import { useExecutions } from '../../../renderer/src/stores/executions.ts';
import { fakeBridge, summary } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const importRun = {
  ...summary(31, { jobName: 'importMembersJob', parameters: { dryRun: true, language: 'ko', now: '2026-12-07T06:36:00.000Z' } }),
  steps: [],
  executionContext: {},
  lineage: null,
  failure: null,
};
const importJob = {
  name: 'importMembersJob', title: { ko: '회원 가져오기', en: 'Import members' }, description: null, restartable: true,
  parameters: [
    { name: 'dryRun', type: 'boolean', required: false, identifying: true, default: false, integer: false, min: null, max: null, description: { ko: '미리 확인만 (쓰지 않음)', en: 'Check only (write nothing)' } },
    { name: 'language', type: 'string', required: false, identifying: false, default: 'ko', integer: false, min: null, max: null, description: { ko: '거부 파일의 사유를 쓸 언어 (ko, en)', en: 'The language of the reasons in the rejects file (ko, en)' } },
  ],
  steps: [],
};

beforeEach(() => {
  signedOut();
  useExecutions.setState({ list: { state: 'idle' }, jobs: { state: 'idle' }, pages: {}, filterProblem: null, total: 0, selectedId: null, detail: { state: 'idle' } });
});
afterEach(cleanup);

test("an import's detail says its dry run and language as people read them, in Korean and English, the code name after the value", async () => {
  await signInWith(fakeBridge({
    'jobs.list': () => [importJob],
    'jobs.namesInHistory': () => ['importMembersJob'],
    'executions.list': () => ({ total: 1, page: 1, pageSize: 200, items: [summary(31, { jobName: 'importMembersJob', parameters: importRun.parameters })] }),
    'executions.get': () => importRun,
  }), 'admin');
  await act(() => useExecutions.getState().select(31));
  const detail = await screen.findByTestId('exec-detail', {}, { timeout: 15_000 });
  const line = (name: string) => detail.querySelector(`.param-list [data-param=${name}]`)!.textContent!.replace(/\s+/g, ' ').trim();
  await screen.findByText('거부 사유의 언어');
  expect(line('dryRun')).toBe('미리 확인 (쓰지 않음) 예 dryRun');
  expect(line('language')).toBe('거부 사유의 언어 한국어 language');
  expect(line('now')).toBe('기준 시각 2026. 12. 7. 15:36 now');
  act(() => useLang.getState().setLang('en'));
  expect(line('dryRun')).toBe('Dry run (writes nothing) yes dryRun');
  expect(line('language')).toBe('Language of the reasons Korean language');
});

test("the list's parameters are named in words with their values, never as code=value", () => {
  const label = (lang: 'ko' | 'en') => (name: string) => paramLabel(name, lang);
  expect(describeParameters({ minutesBefore: 10, maxAttempts: 5, backoffMs: 500 }, 'ko', 'Asia/Seoul', label('ko'))).toBe('수업 몇 분 전 10 · 최대 발송 시도 5 · 재시도 대기 (ms) 500');
  expect(describeParameters({ bulkPassSeq: 0, reportDir: '' }, 'en', 'Asia/Seoul', label('en'))).toBe('Bulk grant number 0 · Report folder default');
  expect(formatParameter('en', 'ko', 'Asia/Seoul', 'language')).toBe('영어');
  expect(formatParameter('en', 'en', 'Asia/Seoul', 'reportDir')).toBe('en');
});
