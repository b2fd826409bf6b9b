// @vitest-environment happy-dom
// The Statistics screen's sales, against a fake bridge: for the range chosen, what the passes sold
// at the desk took in, how many, a chart of it by day (by week for a range over two months) and a
// table by package, asked with the same range as the chart;
// a range with no priced sale says so in plain words (and how to get them); a sales answer that
// could not come is said in a line, not as an alert beside the chart's. Under the takings, a small
// table by payment method (the till's reconciliation), only the methods with a figure.
import { DateTime } from 'luxon';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { SalesSummary, StatisticsSeries } from '../../../main/service/contract.ts';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useStatistics } from '../../../renderer/src/stores/statistics.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const day = { at: '2026-11-23T00:00:00.000Z', all: 10, attended: 8, cancelled: 1, attendanceRate: 0.8889 };
const series: StatisticsSeries = {
  unit: 'day',
  timeZone: 'Asia/Seoul',
  points: [day],
  totals: { all: 10, attended: 8, cancelled: 1, attendanceRate: 0.8889 },
  coverage: [{ at: day.at, hoursEnded: 24, hoursAggregated: 24 }],
  daysNotAggregated: [],
};
const sold: SalesSummary = {
  timeZone: 'Asia/Seoul',
  days: [{ day: '2026-11-23', at: '2026-11-22T15:00:00.000Z', count: 3, total: 750_000, refundCount: 0, refunded: 0 }],
  totals: { count: 3, total: 750_000, refundCount: 0, refunded: 0, net: 750_000 },
  packages: [
    { packageSeq: 1, packageName: 'PT 10회 / 60일', count: 2, total: 630_000, refundCount: 0, refunded: 0 },
    { packageSeq: 3, packageName: '요가 월간', count: 1, total: 120_000, refundCount: 0, refunded: 0 },
  ],
  byMethod: [],
};
const nothing: SalesSummary = { timeZone: 'Asia/Seoul', days: [{ ...sold.days[0]!, count: 0, total: 0 }], totals: { count: 0, total: 0, refundCount: 0, refunded: 0, net: 0 }, packages: [], byMethod: [] };
/** a week with a refund: one pass refunded in part, and another package's pass sold in an earlier week refunded in full */
const refunded: SalesSummary = {
  timeZone: 'Asia/Seoul',
  days: [{ day: '2026-11-23', at: '2026-11-22T15:00:00.000Z', count: 3, total: 750_000, refundCount: 2, refunded: 370_000 }],
  totals: { count: 3, total: 750_000, refundCount: 2, refunded: 370_000, net: 380_000 },
  packages: [
    { packageSeq: 1, packageName: 'PT 10회 / 60일', count: 2, total: 630_000, refundCount: 1, refunded: 250_000 },
    { packageSeq: 3, packageName: '요가 월간', count: 1, total: 120_000, refundCount: 1, refunded: 120_000 },
  ],
  byMethod: [],
};

beforeEach(() => {
  signedOut();
  useLang.setState({ lang: 'ko' });
  useStatistics.setState({ range: null, preset: null, unit: 'day', series: { state: 'idle' }, sales: { state: 'idle' }, problem: null, building: null });
});
afterEach(cleanup);

async function openStatistics(sales: () => SalesSummary) {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'statistics.series': () => series,
    'sales.summary': sales,
  });
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('statistics'));
  // the screen's chunk (with the chart library) loads first
  await screen.findByTestId('stats-sales', {}, { timeout: 15_000 });
  return bridge;
}

/** `n` sales days from `first` (yyyy-MM-dd), nothing sold but on the days `sold` names. */
function salesDays(first: string, n: number, sold: Record<string, number>): SalesSummary {
  const days = Array.from({ length: n }, (_, i) => {
    const at = DateTime.fromISO(first, { zone: 'Asia/Seoul' }).plus({ days: i });
    const day = at.toFormat('yyyy-MM-dd');
    return { day, at: at.toUTC().toISO()!, count: sold[day] ? 1 : 0, total: sold[day] ?? 0, refundCount: 0, refunded: 0 };
  });
  const total = days.reduce((sum, d) => sum + d.total, 0);
  const count = days.reduce((sum, d) => sum + d.count, 0);
  return { timeZone: 'Asia/Seoul', days, totals: { count, total, refundCount: 0, refunded: 0, net: total }, packages: [{ packageSeq: 1, packageName: 'PT 10회 / 60일', count, total, refundCount: 0, refunded: 0 }], byMethod: [] };
}

const packageRows = () => screen.getAllByTestId('sales-package-row').map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));

test('the range’s takings, passes sold and sales by package are shown in won, asked for the same range as the chart, in both languages, with no refund figures when there was no refund', async () => {
  const bridge = await openStatistics(() => sold);
  await waitFor(() => expect(screen.getByTestId('sales-total').querySelector('.kpi-value')!.textContent).toBe('750,000원'));
  expect(screen.getByTestId('sales-count').querySelector('.kpi-value')!.textContent).toBe('3');
  expect(packageRows()).toEqual([
    ['PT 10회 / 60일', '2', '630,000원'],
    ['요가 월간', '1', '120,000원'],
  ]);
  // no refund in the range: no refund figures, no net
  expect(screen.queryByTestId('sales-refunded')).toBeNull();
  expect(screen.queryByTestId('sales-net')).toBeNull();
  // the days drawn: a bar a day, named for a screen reader, the best day described in won
  const drawn = screen.getByTestId('sales-chart');
  expect([drawn.dataset.unit, drawn.dataset.bars, drawn.dataset.desc, drawn.dataset.series]).toEqual(['day', '1', '가장 많이 판 날: 11/23 (월), 750,000원', 'total']);
  expect(screen.getByRole('heading', { name: '날짜별 판매 금액' })).toBeTruthy();
  const chart = bridge.calls.find((c) => c.operation === 'statistics.series')!.input;
  expect(bridge.calls.find((c) => c.operation === 'sales.summary')!.input).toEqual({ from: chart.from, to: chart.to });

  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(screen.getByTestId('sales-total').querySelector('.kpi-value')!.textContent).toBe('₩750,000'));
  expect(screen.getByTestId('stats-sales').querySelector('h2')!.textContent).toBe('Sales');

  // another range asks for its sales too
  fireEvent.click(screen.getByTestId('preset-last30Days'));
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'sales.summary')).toHaveLength(2));
});

test('refunds in the range are shown beside the takings with the net, and by package', async () => {
  await openStatistics(() => refunded);
  await waitFor(() => expect(screen.getByTestId('sales-refunded').textContent).toBe('환불 금액 (환불 2건)370,000원'));
  expect(screen.getByTestId('sales-net').querySelector('.kpi-value')!.textContent).toBe('380,000원');
  expect(screen.getByTestId('stats-sales').textContent).toContain('판매 금액에서 환불 금액을 뺀 금액. 환불은 이용권을 취소한 날에 셉니다.');
  // the chart draws the refunds beside the takings
  expect(screen.getByTestId('sales-chart').dataset.series).toBe('total refunded');
  expect(packageRows()).toEqual([
    ['PT 10회 / 60일', '2', '630,000원', '1', '250,000원'],
    ['요가 월간', '1', '120,000원', '1', '120,000원'],
  ]);
  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(screen.getByTestId('sales-refunded').textContent).toBe('Refunded (2 refunds)₩370,000'));
});

test('under the takings, a table by payment method lists only the methods with a figure, the sales from before methods were kept by name, and refunds beside them under the method their pass was paid with, in both languages', async () => {
  const paid: SalesSummary = {
    ...refunded,
    byMethod: [
      { paymentMethod: 'CARD', count: 2, total: 630_000, refundCount: 1, refunded: 250_000 },
      { paymentMethod: 'TRANSFER', count: 1, total: 120_000, refundCount: 0, refunded: 0 },
      { paymentMethod: null, count: 0, total: 0, refundCount: 1, refunded: 120_000 },
    ],
  };
  let answer = paid;
  await openStatistics(() => answer);
  const table = await screen.findByTestId('sales-by-method');
  const rows = () => screen.getAllByTestId('sales-method-row').map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
  expect(screen.getByRole('heading', { name: '결제 수단별' })).toBeTruthy();
  expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['결제 수단', '판매 수', '판매 금액', '환불 수', '환불 금액']);
  expect(rows()).toEqual([
    ['카드', '2', '630,000원', '1', '250,000원'],
    ['계좌이체', '1', '120,000원', '0', '0원'],
    ['기록 없음 (결제 수단을 남기기 전 판매)', '0', '0원', '1', '120,000원'],
  ]);
  expect(table.textContent).toContain('환불은 그 이용권을 결제한 수단으로 셉니다. 0원 판매는 어느 결제 수단에도 들지 않습니다.');
  // under the takings, above the chart
  const totals = screen.getByTestId('sales-totals');
  expect(totals.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(table.compareDocumentPosition(screen.getByTestId('sales-chart')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(screen.getByRole('heading', { name: 'By payment method' })).toBeTruthy());
  expect(rows().map((r) => [r[0], r[2], r[4]])).toEqual([
    ['Card', '₩630,000', '₩250,000'],
    ['Bank transfer', '₩120,000', '₩0'],
    ['Not recorded (sold before methods were kept)', '₩0', '₩120,000'],
  ]);

  // no refund in the range: no refund columns; no method at all (only 0원 sales, say): no table
  answer = { ...sold, byMethod: [{ paymentMethod: 'CASH', count: 3, total: 750_000, refundCount: 0, refunded: 0 }] };
  fireEvent.click(screen.getByTestId('preset-last30Days'));
  await waitFor(() => expect(rows()).toEqual([['Cash', '3', '₩750,000']]));
  expect([...screen.getByTestId('sales-by-method').querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Payment method', 'Sold', 'Taken in']);
  answer = { ...sold, byMethod: [] };
  fireEvent.click(screen.getByTestId('preset-thisWeek'));
  await waitFor(() => expect(screen.queryByTestId('sales-by-method')).toBeNull());
  expect(screen.getAllByTestId('sales-package-row')).toHaveLength(2);
});

test('a range of more than two months is drawn a bar a week, Monday first, the best week described with the days it covers; two months are still drawn by day', async () => {
  // 1 September 2026 is a Tuesday: the first bar is the week of Monday 31 August, from the 1st
  const long = salesDays('2026-09-01', 100, { '2026-09-02': 100_000, '2026-09-03': 200_000, '2026-11-23': 250_000, '2026-11-29': 250_000, '2026-11-30': 90_000 });
  let answer = long;
  await openStatistics(() => answer);
  await waitFor(() => expect(screen.getByTestId('sales-chart').dataset.unit).toBe('week'));
  const drawn = () => screen.getByTestId('sales-chart');
  // 31 August to 7 December: 15 Mondays
  expect(drawn().dataset.bars).toBe('15');
  expect(drawn().dataset.desc).toBe('가장 많이 판 주: 11/23 (월) – 11/29 (일), 500,000원');
  expect(screen.getByRole('heading', { name: '주별 판매 금액 (기간이 길어 한 주씩 묶었습니다)' })).toBeTruthy();
  fireEvent.click(screen.getByTestId('lang-en'));
  await waitFor(() => expect(drawn().dataset.desc).toBe('Best week: Mon 11/23 – Sun 11/29, ₩500,000'));
  expect(screen.getByRole('heading', { name: 'Taken in by week (a long range, so a bar a week)' })).toBeTruthy();

  answer = salesDays('2026-09-01', 62, { '2026-09-02': 100_000 });
  fireEvent.click(screen.getByTestId('stats-show'));
  await waitFor(() => expect(drawn().dataset.unit).toBe('day'));
  expect(drawn().dataset.bars).toBe('62');
  expect(drawn().dataset.desc).toBe('Best day: Wed 9/2, ₩100,000');
});

test('a range with no priced sale says so in plain words and how prices get there, with no table', async () => {
  await openStatistics(() => nothing);
  expect((await screen.findByTestId('sales-none')).textContent).toBe(
    '이 기간에 가격이 있는 판매가 없습니다. 패키지 화면에서 패키지에 가격을 정하면, 그 뒤에 데스크에서 파는 이용권의 금액이 여기에 나옵니다.',
  );
  expect(screen.queryByTestId('sales-package-row')).toBeNull();
  expect(screen.queryByTestId('sales-total')).toBeNull();
  expect(screen.queryByTestId('sales-chart')).toBeNull();
});

test('sales that could not be read are said in a line under the heading; the chart still shows, with no second alert', async () => {
  await openStatistics(() => {
    throw new BridgeError('INTERNAL', { ko: '서버 오류입니다.', en: 'Server error.' }, undefined, 500);
  });
  expect((await screen.findByTestId('sales-error')).textContent).toBe('판매 금액을 불러오지 못했습니다. 서버 오류입니다.');
  expect(await screen.findByTestId('stats-totals')).toBeTruthy();
  expect(screen.queryByRole('alert')).toBeNull();
});
