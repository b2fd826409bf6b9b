// @vitest-environment happy-dom
// Issue 18, slice 2 on the import screen: the desk picks a file, sees its column mapping and first
// rows (a bad one with its reason), may import only after a dry run, follows the run's live
// progress, and gets the outcome with the first problems and the rejects file.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { base64Of, useImports } from '../../../renderer/src/stores/imports.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge, summary } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const PREVIEW = {
  fileName: '20261206-090000-ab12-members.csv',
  format: 'csv',
  encoding: 'cp949',
  header: ['회원번호', '이름', '전화번호'],
  mapping: [
    { field: 'id', column: 0, header: '회원번호' },
    { field: 'name', column: 1, header: '이름' },
    { field: 'phone', column: 2, header: '전화번호' },
    ...['group', 'package', 'remaining', 'start', 'end'].map((field) => ({ field, column: null, header: null })),
  ],
  problem: null,
  rows: [
    { row: 2, cells: ['M1', '가나다', '010-1234-5678'], problem: null },
    { row: 3, cells: ['M2', '', '010-1234-5679'], problem: { ko: '이름이 비어 있습니다', en: 'The name is empty' } },
  ],
  rowEstimate: 2,
};

const status = (id: number, dryRun: boolean) => ({
  execution: summary(id, { jobName: 'importMembersJob', parameters: { dryRun } }),
  fileName: PREVIEW.fileName,
  dryRun,
  failure: null,
  step: { status: 'COMPLETED', read: 2, written: 1, skipped: 1, blank: 0, commits: 1 },
  created: 1,
  matched: 0,
  passesAdded: 0,
  groupsAdded: 0,
  problems: [{ row: 3, message: { ko: '이름이 비어 있습니다', en: 'The name is empty' } }],
  rejectedRows: dryRun ? 0 : 1,
  rejectsFile: dryRun ? null : '20261206-090000-ab12-members.rejects-20261206-090100.csv',
});

beforeEach(() => {
  signedOut();
  useImports.getState().reset();
});
afterEach(cleanup);

test('a file is uploaded as base64 and its mapping and first rows are shown; the import is offered only after a dry run, and the outcome offers the rejects file', async () => {
  let next = 40;
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'imports.upload': () => ({ fileName: PREVIEW.fileName, sizeBytes: 40 }),
    'imports.preview': () => PREVIEW,
    'imports.start': ({ dryRun }: { dryRun: boolean }) => summary(++next, { jobName: 'importMembersJob', status: 'STARTED', parameters: { dryRun } }),
    'imports.status': ({ id }: { id: number }) => status(id, id === 41),
    'imports.rejects': () => ({ fileName: 'r.csv', rows: 1, text: '회원번호,이름,전화번호,사유\r\nM2,,010-1234-5679,이름이 비어 있습니다\r\n' }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('imports'));
  const input = await screen.findByTestId('import-file', {}, { timeout: 15_000 });
  const file = new File(['회원번호,이름,전화번호\r\n'], 'members.csv', { type: 'text/csv' });
  fireEvent.change(input, { target: { files: [file] } });

  const mapping = await screen.findByTestId('import-mapping');
  expect(bridge.calls.find((c) => c.operation === 'imports.upload')!.input).toEqual({ fileName: 'members.csv', contentBase64: await base64Of(file) });
  expect([...mapping.querySelectorAll('[data-field="phone"] td')].map((td) => td.textContent)).toEqual(['전화번호', '전화번호']);
  expect(mapping.querySelector('[data-field="group"]')!.textContent).toContain('없음');
  expect(within(screen.getByTestId('import-rows')).getByText('이름이 비어 있습니다')).toBeTruthy();

  const importButton = screen.getByTestId('import-run') as HTMLButtonElement;
  expect(importButton.disabled).toBe(true);
  fireEvent.click(screen.getByTestId('import-dry-run'));
  await waitFor(() => expect(useImports.getState().run?.executionId).toBe(41));
  act(() => bridge.emit({ type: 'step-progress', executionId: 41, jobName: 'importMembersJob', phase: 'chunk', stepName: 'importMembersStep', status: 'STARTED', readCount: 1, writeCount: 1, filterCount: 0, skipCount: 0, commitCount: 1, rollbackCount: 0, itemsPerSecond: 10, expectedItems: 2 }));
  expect(screen.getByTestId('import-progress').querySelector('[role=progressbar]')!.getAttribute('aria-valuenow')).toBe('50');
  act(() => bridge.emit({ type: 'job-finished', executionId: 41, jobName: 'importMembersJob', status: 'COMPLETED', exitMessage: '' }));
  const checked = await screen.findByTestId('import-outcome');
  expect(checked.dataset.dryRun).toBe('true');
  expect(screen.queryByTestId('import-rejects')).toBeNull();
  await waitFor(() => expect(importButton.disabled).toBe(false));

  fireEvent.click(importButton);
  await waitFor(() => expect(useImports.getState().run?.executionId).toBe(42));
  expect(bridge.calls.filter((c) => c.operation === 'imports.start').map((c) => c.input)).toEqual([
    { fileName: PREVIEW.fileName, dryRun: true, language: 'ko' },
    { fileName: PREVIEW.fileName, dryRun: false, language: 'ko' },
  ]);
  act(() => bridge.emit({ type: 'job-finished', executionId: 42, jobName: 'importMembersJob', status: 'COMPLETED', exitMessage: '' }));
  const rejects = await screen.findByTestId('import-rejects');
  expect(rejects.textContent).toContain('1행');
  expect(within(screen.getByTestId('import-problems')).getByText(/3: 이름이 비어 있습니다/)).toBeTruthy();
});

test('a file of another kind is refused on the screen, before anything is uploaded', async () => {
  const bridge = fakeBridge({ 'session.me': () => Promise.reject(new Error('signed out')) });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('imports'));
  const input = await screen.findByTestId('import-file', {}, { timeout: 15_000 });
  fireEvent.change(input, { target: { files: [new File(['x'], 'members.txt')] } });
  await waitFor(() => expect(useUi.getState().toasts.map((t) => t.text.en)).toContain('Only .csv and .xlsx files can be imported.'));
  expect(bridge.calls.filter((c) => c.operation.startsWith('imports.'))).toEqual([]);
});
