// @vitest-environment happy-dom
// Issue 16 on screen, against a fake bridge: the statistics screen names the days never
// aggregated (not a plain 0) and a manager builds them; the bulk grant list shows the uses a
// grant with no count of its own gave (the package's), not "unlimited".
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { StatisticsSeries } from '../../../main/service/contract.ts';
import { BridgeError, NETWORK_ERROR } from '../../../renderer/src/bridge/Bridge.ts';
import { useBulkGrants } from '../../../renderer/src/stores/bulkGrants.ts';
import { useStatistics } from '../../../renderer/src/stores/statistics.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge, summary } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25'];
function series(aggregated: boolean): StatisticsSeries {
  const points = DAYS.map((d, i) => ({ at: `${d}T00:00:00.000Z`, all: aggregated ? 10 + i : 0, attended: aggregated ? 8 : 0, cancelled: aggregated ? 1 : 0, attendanceRate: aggregated ? 0.8 : null }));
  return {
    unit: 'day',
    timeZone: 'Asia/Seoul',
    points,
    totals: { all: aggregated ? 33 : 0, attended: aggregated ? 24 : 0, cancelled: aggregated ? 3 : 0, attendanceRate: aggregated ? 0.8 : null },
    coverage: points.map((p) => ({ at: p.at, hoursEnded: 24, hoursAggregated: aggregated ? 24 : 0 })),
    daysNotAggregated: aggregated ? [] : DAYS,
  };
}

beforeEach(() => {
  signedOut();
  useStatistics.setState({ range: null, preset: null, unit: 'day', series: { state: 'idle' }, problem: null, building: null });
  useBulkGrants.setState({ grants: { state: 'idle' }, packages: { state: 'idle' }, groups: { state: 'idle' }, progress: {} });
});
afterEach(cleanup);

describe('first week numbers on screen', () => {
  test('the statistics screen names the days never aggregated, and a manager builds them', async () => {
    let built = false;
    const bridge = fakeBridge({
      'session.me': () => Promise.reject(new Error('signed out')),
      'statistics.series': () => series(built),
      'statistics.build': () => {
        built = true;
        return summary(9, { status: 'STARTED' });
      },
      'executions.get': () => ({ ...summary(9), steps: [], executionContext: {} }),
    });
    await signInWith(bridge, 'manager');
    act(() => useUi.getState().go('statistics'));
    // the screen's chunk (with the chart library) loads first
    const notice = await screen.findByTestId('stats-not-aggregated', {}, { timeout: 15_000 });
    expect(notice.textContent).toContain('아직 집계되지 않은 날이 있습니다');
    expect(screen.getAllByTestId('stats-missing-day').map((d) => d.dataset.day)).toEqual(DAYS);
    expect(screen.queryByText('이 기간에는 통계가 없습니다.')).toBeNull();
    expect(screen.getByTestId('stats-chart').dataset.notAggregated).toBe('3');
    // nothing aggregated: the totals are unknown, not 0
    expect([...screen.getByTestId('stats-totals').querySelectorAll('.kpi-value')].map((k) => k.textContent)).toEqual(['–', '–', '–', '–']);

    fireEvent.click(screen.getByTestId('stats-build'));
    await waitFor(() => expect(screen.queryByTestId('stats-not-aggregated')).toBeNull(), { timeout: 10_000 });
    const build = bridge.calls.find((c) => c.operation === 'statistics.build')!;
    expect(build.input).toEqual({ from: expect.stringMatching(/T00:00$/), to: expect.stringMatching(/T00:00$/) });
    expect(screen.getByTestId('stats-chart').dataset.notAggregated).toBe('0');
    expect(screen.getByTestId('stats-totals').textContent).toContain('33');
    expect(await screen.findByText('통계를 만들었습니다.')).toBeTruthy();
  });

  test('the range is typed as 2026-12-07 whatever the browser’s locale: a day that is not one, or a last day before the first, is said and asks nothing; a range typed is the one asked for', async () => {
    const bridge = fakeBridge({
      'session.me': () => Promise.reject(new Error('signed out')),
      'statistics.series': () => series(true),
    });
    await signInWith(bridge, 'manager');
    act(() => useUi.getState().go('statistics'));
    await screen.findByTestId('stats-totals', {}, { timeout: 15_000 });
    const asked = () => bridge.calls.filter((c) => c.operation === 'statistics.series').map((c) => c.input);
    const first = asked().length;
    const from = screen.getByTestId('stats-from') as HTMLInputElement;
    const to = screen.getByTestId('stats-to') as HTMLInputElement;
    expect([from.type, to.type, from.placeholder]).toEqual(['text', 'text', 'YYYY-MM-DD']);
    const errorUnder = () => to.closest('label.field')!.querySelector('.field-error')?.textContent;
    for (const [typedFrom, typedTo, said] of [
      ['2026-02-30', '2026-11-25', '날짜가 올바르지 않습니다.'],
      ['2026-11-23', '11/25/2026', '날짜가 올바르지 않습니다.'],
      ['2026-11-25', '2026-11-23', '종료일이 시작일보다 앞입니다.'],
    ] as const) {
      fireEvent.change(from, { target: { value: typedFrom } });
      fireEvent.change(to, { target: { value: typedTo } });
      fireEvent.click(screen.getByTestId('stats-show'));
      await waitFor(() => expect(errorUnder()).toBe(said));
      expect(screen.queryByTestId('stats-totals')).toBeNull();
    }
    expect(asked()).toHaveLength(first);
    fireEvent.change(from, { target: { value: '2026-11-23' } });
    fireEvent.change(to, { target: { value: '2026-11-25' } });
    fireEvent.click(screen.getByTestId('stats-show'));
    await screen.findByTestId('stats-totals');
    expect(errorUnder()).toBeUndefined();
    expect(asked().at(-1)).toEqual({ from: '2026-11-23T00:00', to: '2026-11-26T00:00', unit: 'day' });
  });

  test("the attendance rate is the counts' own, rounded once: 2,747 attended of 3,249 held is 84.5%, not the 84.6% of the service's 0.8455 rounded again", async () => {
    const day = { at: '2026-11-23T00:00:00.000Z', all: 3664, attended: 2747, cancelled: 415, attendanceRate: 0.8455 };
    const bridge = fakeBridge({
      'session.me': () => Promise.reject(new Error('signed out')),
      'statistics.series': () => ({ unit: 'day', timeZone: 'Asia/Seoul', points: [day], totals: { all: 3664, attended: 2747, cancelled: 415, attendanceRate: 0.8455 }, coverage: [{ at: day.at, hoursEnded: 24, hoursAggregated: 24 }], daysNotAggregated: [] }),
    });
    await signInWith(bridge, 'manager');
    act(() => useUi.getState().go('statistics'));
    // the screen's chunk (with the chart library) loads first
    const rate = await screen.findByTestId('stats-rate', {}, { timeout: 15_000 });
    await waitFor(() => expect(rate.querySelector('.kpi-value')?.textContent).toBe('84.5%'));
  });

  test('a series the server could not answer (out of reach) offers "try again", which fetches it anew', async () => {
    let reachable = false;
    const bridge = fakeBridge({
      'session.me': () => Promise.reject(new Error('signed out')),
      'statistics.series': () => {
        if (!reachable) throw new BridgeError('NETWORK', NETWORK_ERROR);
        return series(true);
      },
    });
    await signInWith(bridge, 'manager');
    act(() => useUi.getState().go('statistics'));
    const alert = await screen.findByRole('alert', {}, { timeout: 15_000 });
    expect(alert.dataset.code).toBe('NETWORK');
    reachable = true;
    fireEvent.click(within(alert).getByRole('button', { name: '다시 시도' }));
    expect((await screen.findByTestId('stats-totals')).textContent).toContain('33');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a front-desk user sees what a bulk grant with no count of its own gave: the package count, not unlimited', async () => {
    const grant = (bulkPassSeq: number, count: number | null, usesGranted: number | null, usesFromPackage: boolean) => ({
      bulkPassSeq,
      packageSeq: 4,
      packageName: '오픈 기념 보너스 PT 2회',
      userGroupId: 'PT',
      userGroupName: 'PT 회원',
      status: 'COMPLETED',
      count,
      usesGranted,
      usesFromPackage,
      startedAt: '2026-11-16T00:00:00.000Z',
      endedAt: null,
      createdAt: '2026-11-13T00:00:00.000Z',
      passesCreated: 700,
    });
    await signInWith(
      fakeBridge({
        'session.me': () => Promise.reject(new Error('signed out')),
        'bulkGrants.list': () => [grant(1, null, 2, true), grant(2, 5, 5, false), grant(3, null, null, false)],
        'packages.list': () => [],
        'groups.list': () => [],
        'members.search': () => ({ items: [], total: 0 }),
      }),
      'desk',
    );
    act(() => useUi.getState().go('bulkGrants'));
    await screen.findAllByTestId('grant-row');
    const uses = screen.getAllByTestId('grant-uses').map((cell) => cell.textContent);
    expect(uses).toEqual(['2 (패키지 기본)', '5', '무제한']);
  });

  test("the bulk grants' column of what each pass got is headed as such, not as uses left, which a grant made long ago no longer tells", async () => {
    await signInWith(
      fakeBridge({
        'session.me': () => Promise.reject(new Error('signed out')),
        'bulkGrants.list': () => [{ bulkPassSeq: 1, packageSeq: 4, packageName: 'PT 2회', userGroupId: 'PT', userGroupName: 'PT 회원', status: 'COMPLETED', count: 2, usesGranted: 2, usesFromPackage: false, startedAt: '2026-11-16T00:00:00.000Z', endedAt: null, createdAt: '2026-11-13T00:00:00.000Z', passesCreated: 700 }],
        'packages.list': () => [],
        'groups.list': () => [],
        'members.search': () => ({ items: [], total: 0 }),
      }),
      'desk',
    );
    act(() => useUi.getState().go('bulkGrants'));
    await screen.findAllByTestId('grant-row');
    const headers = screen.getAllByRole('columnheader').map((th) => th.textContent);
    expect(headers).toContain('이용권당 횟수');
    expect(headers).not.toContain('잔여 횟수');
  });
});
