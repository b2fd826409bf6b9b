// @vitest-environment happy-dom
// The import screen names the uploaded file as it was picked ('회원 목록.csv'), not by the name the
// service stored it under ('20261207-153613-91dc-회원 목록.csv'), which the desk never typed;
// the stored name is still what the preview and the run are asked for.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useImports } from '../../../renderer/src/stores/imports.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const STORED = '20261207-153613-91dc-회원 목록.csv';
const PREVIEW = {
  fileName: STORED,
  format: 'csv',
  encoding: 'utf-8',
  header: ['이름', '전화번호'],
  mapping: [
    { field: 'name', column: 0, header: '이름' },
    { field: 'phone', column: 1, header: '전화번호' },
    ...['id', 'group', 'package', 'remaining', 'start', 'end'].map((field) => ({ field, column: null, header: null })),
  ],
  problem: null,
  rows: [{ row: 2, cells: ['가나다', '010-1234-5678'], problem: null }],
  rowEstimate: 1,
};

beforeEach(() => {
  signedOut();
  useImports.getState().reset();
});
afterEach(cleanup);

test('the uploaded file is shown by the name it was picked with, and the stored name is what the preview is asked for', async () => {
  const bridge = fakeBridge({
    'imports.upload': () => ({ fileName: STORED, sizeBytes: 30 }),
    'imports.preview': () => PREVIEW,
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('imports'));
  const input = await screen.findByTestId('import-file', {}, { timeout: 15_000 });
  fireEvent.change(input, { target: { files: [new File(['이름,전화번호\r\n가나다,010-1234-5678\r\n'], '회원 목록.csv', { type: 'text/csv' })] } });

  const shown = await screen.findByTestId('import-uploaded');
  expect(shown.textContent).toContain('회원 목록.csv');
  expect(shown.textContent).not.toContain('20261207-153613');
  await waitFor(() => expect(bridge.calls.find((c) => c.operation === 'imports.preview')?.input).toEqual({ fileName: STORED }));

  // another file clears it
  fireEvent.click(shown.querySelector('button')!);
  expect(screen.queryByTestId('import-uploaded')).toBeNull();
  expect(useImports.getState().picked).toBeNull();
});
