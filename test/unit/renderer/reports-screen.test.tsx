// @vitest-environment happy-dom
// The list of reports from the keyboard: it grows by a report a day, so it is one stop in the Tab
// order (not one per report), the arrow keys, Home and End move along it, and Enter opens one; an
// open report's facts count its rows in words; a report's period in the list is its whole window (a daily
// report over several days, not its first day alone).
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useReports } from '../../../renderer/src/stores/reports.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const day = (n: number) => new Date(Date.UTC(2026, 10, 30 - n, 15)).toISOString();
const reports = Array.from({ length: 30 }, (_, i) => ({
  reportSeq: 100 - i, kind: 'DAILY', format: 'CSV', periodFrom: day(i + 1), periodTo: day(i), fileName: `daily-${i}.csv`, rowCount: 24, sizeBytes: 771, createdAt: day(i),
}));

beforeEach(() => {
  signedOut();
  useReports.setState({ kind: '', reports: { state: 'idle' }, selected: null, preview: { state: 'idle' } });
});
afterEach(cleanup);

test('the reports list is one Tab stop; the arrow keys, Home and End move along it and Enter opens the report', async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'reports.list': () => reports,
  });
  const opened: number[] = [];
  bridge.readReport = async (reportSeq: number) => {
    opened.push(reportSeq);
    return { fileName: `daily-${reportSeq}.csv`, text: '시간,전체\n2026-11-29 00:00,0' };
  };
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('reports'));
  await waitFor(() => expect(screen.getAllByTestId('report-row')).toHaveLength(30), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const rows = () => screen.getAllByTestId('report-row');
  const stops = () => rows().filter((r) => r.tabIndex === 0);

  expect(stops()).toEqual([rows()[0]]);
  act(() => rows()[0]!.focus());
  fireEvent.keyDown(rows()[0]!, { key: 'ArrowDown' });
  expect(document.activeElement).toBe(rows()[1]);
  expect(stops()).toEqual([rows()[1]]);
  fireEvent.keyDown(rows()[1]!, { key: 'End' });
  expect(document.activeElement).toBe(rows()[29]);
  fireEvent.keyDown(rows()[29]!, { key: 'ArrowDown' });
  expect(document.activeElement).toBe(rows()[29]);
  fireEvent.keyDown(rows()[29]!, { key: 'Home' });
  fireEvent.keyDown(rows()[0]!, { key: 'ArrowDown' });
  fireEvent.keyDown(rows()[1]!, { key: 'ArrowUp' });
  fireEvent.keyDown(rows()[0]!, { key: 'ArrowDown' });
  expect(document.activeElement).toBe(rows()[1]);
  expect(stops()).toEqual([rows()[1]]);

  fireEvent.keyDown(rows()[1]!, { key: 'Enter' });
  await screen.findByTestId('report-preview');
  expect(opened).toEqual([99]);
  expect(rows()[1]!.className).toContain('selected');
});

test("an open report's title is its kind and period in words with its file name under it, and its facts count its rows in words: 24행, 24 rows, and 1 row for one", async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'reports.list': () => [reports[0], { ...reports[1], reportSeq: 7, rowCount: 1 }],
  });
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('reports'));
  await waitFor(() => expect(screen.getAllByTestId('report-row')).toHaveLength(2), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  fireEvent.click(screen.getAllByTestId('report-row')[0]!);
  await waitFor(() => expect(screen.getByTestId('report-facts').textContent).toBe('24행 · 771 B'));
  expect(screen.getByTestId('report-title').textContent).toBe('일간 보고서 · 2026. 11. 30.');
  expect(screen.getByTestId('report-file-name').textContent).toBe('파일 이름: r.csv');
  act(() => useLang.setState({ lang: 'en' }));
  expect(screen.getByTestId('report-facts').textContent).toBe('24 rows · 771 B');
  expect(screen.getByTestId('report-title').textContent).toBe('Daily report · Nov 30, 2026');
  expect(screen.getByTestId('report-file-name').textContent).toBe('File name: r.csv');
  fireEvent.click(screen.getAllByTestId('report-row')[1]!);
  await waitFor(() => expect(screen.getByTestId('report-facts').textContent).toBe('1 row · 771 B'));
});

test("a report's preview names the file's Korean headings, totals line and days in English on the English screen, says the file keeps Korean, and right-aligns the number columns' headings", async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'reports.list': () => [{ ...reports[0], kind: 'WEEKLY', fileName: 'weekly-2025-12-29.csv', rowCount: 2 }],
  });
  bridge.readReport = async () => ({ fileName: 'weekly-2025-12-29.csv', text: '날짜,요일,전체,출석,취소,출석률(%)\r\n2025-12-29,월,4,3,0,75.0\r\n2025-12-30,화,0,0,0,\r\n합계,,4,3,0,75.0\r\n' });
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('reports'));
  await waitFor(() => expect(screen.getAllByTestId('report-row')).toHaveLength(1), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  fireEvent.click(screen.getAllByTestId('report-row')[0]!);
  const table = await screen.findByRole('region', { name: '보고서 미리 보기 표' });
  const headings = () => [...table.querySelectorAll('th')].map((th) => [th.textContent, th.className === 'num']);
  const firstCells = () => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent));
  expect(headings()).toEqual([['날짜', false], ['요일', false], ['전체', true], ['출석', true], ['취소', true], ['출석률(%)', true]]);
  expect(firstCells()).toEqual([['2025-12-29', '월'], ['2025-12-30', '화'], ['합계', '']]);
  expect(screen.queryByTestId('report-file-words')).toBeNull();

  act(() => useLang.setState({ lang: 'en' }));
  expect(headings()).toEqual([['Date', false], ['Day', false], ['Class bookings', true], ['Attended', true], ['Cancelled', true], ['Attendance (%)', true]]);
  expect(firstCells()).toEqual([['2025-12-29', 'Mon'], ['2025-12-30', 'Tue'], ['Total', '']]);
  expect(screen.getByTestId('report-file-words').textContent).toContain('keeps its Korean headings');
});

test('a report over several days shows its whole period in the list, a one-day report its day and a window off midnight its times', async () => {
  const kst = (d: number, h = 0) => new Date(Date.UTC(2026, 10, d, h - 9)).toISOString();
  const listed = [
    // makeStatisticsJob from=11/28 to=12/3: one daily file of 120 hours
    { reportSeq: 3, kind: 'DAILY', format: 'CSV', periodFrom: kst(28), periodTo: kst(33), fileName: 'daily-2026-11-28T0000_2026-12-03T0000.csv', rowCount: 120, sizeBytes: 3000, createdAt: kst(33) },
    { reportSeq: 2, kind: 'DAILY', format: 'CSV', periodFrom: kst(27), periodTo: kst(28), fileName: 'daily-2026-11-27.csv', rowCount: 24, sizeBytes: 771, createdAt: kst(28) },
    { reportSeq: 1, kind: 'DAILY', format: 'CSV', periodFrom: kst(26, 14), periodTo: kst(27, 14), fileName: 'daily-2026-11-26T1400_2026-11-27T1400.csv', rowCount: 24, sizeBytes: 771, createdAt: kst(28) },
  ];
  const bridge = fakeBridge({ 'session.me': () => Promise.reject(new Error('signed out')), 'reports.list': () => listed });
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('reports'));
  await waitFor(() => expect(screen.getAllByTestId('report-row')).toHaveLength(3), { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  const periods = () => screen.getAllByTestId('report-period').map((td) => td.firstChild!.textContent + (td.childNodes.length > 2 ? ` ${td.childNodes[2]!.textContent}` : ''));
  expect(periods()).toEqual(['2026. 11. 28. – 2026. 12. 2.', '2026. 11. 27.', '2026. 11. 26. 14:00 – 2026. 11. 27. 14:00']);
  act(() => useLang.setState({ lang: 'en' }));
  expect(periods()).toEqual(['Nov 28, 2026 – Dec 2, 2026', 'Nov 27, 2026', 'Nov 26, 2026, 14:00 – Nov 27, 2026, 14:00']);
});
