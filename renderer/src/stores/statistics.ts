// 통계: a range and a unit, the series the service sums from the hourly statistics, and
// "build statistics" for the days never aggregated (makeStatisticsJob, watched to its end); and
// the range's sales (sales.summary: what the passes sold at the desk took in), asked with it.
import { DateTime } from 'luxon';
import { create } from 'zustand';
import type { BatchStatus, SalesSummary, StatisticsSeries } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import { isRunning } from '../lib/status.ts';
import { dayRangeProblem } from '../lib/time24.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

export type Unit = StatisticsSeries['unit'];
export type Preset = 'lastWeek' | 'thisWeek' | 'last30Days';

export interface Range {
  /** 'yyyy-MM-dd' in the gym's zone, inclusive */
  from: string;
  /** 'yyyy-MM-dd' in the gym's zone, inclusive */
  to: string;
}

/** A preset range in the gym's zone; weeks start on Monday. */
export function presetRange(preset: Preset, zone: string, now = new Date()): Range {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const monday = today.startOf('week');
  const fmt = (d: DateTime) => d.toFormat('yyyy-MM-dd');
  if (preset === 'lastWeek') return { from: fmt(monday.minus({ weeks: 1 })), to: fmt(monday.minus({ days: 1 })) };
  if (preset === 'thisWeek') return { from: fmt(monday), to: fmt(monday.plus({ days: 6 })) };
  return { from: fmt(today.minus({ days: 29 })), to: fmt(today) };
}

/** What keeps a range typed as 2026-12-01 from being asked for: a day missing or not one, the last before the first. */
export function rangeProblem(range: Range): 'badDate' | 'reversed' | null {
  return range.from === '' || range.to === '' ? 'badDate' : dayRangeProblem(range.from, range.to);
}

/** The service's [from, to) for an inclusive range of days. */
export function seriesInput(range: Range, unit: Unit): { from: string; to: string; unit: Unit } {
  const to = DateTime.fromISO(range.to).plus({ days: 1 }).toFormat('yyyy-MM-dd');
  return { from: `${range.from}T00:00`, to: `${to}T00:00`, unit };
}

interface StatisticsState {
  range: Range | null;
  preset: Preset | null;
  unit: Unit;
  series: Load<StatisticsSeries>;
  /** the range's sales, read from the passes' prices (not from the aggregated statistics) */
  sales: Load<SalesSummary>;
  /** the range as last asked for, when it could not be (nothing was) */
  problem: 'badDate' | 'reversed' | null;
  setRange(range: Range, preset?: Preset | null): void;
  setUnit(unit: Unit): void;
  fetch(): Promise<StatisticsSeries | null>;
  /** the execution building statistics for the range, while it runs */
  building: number | null;
  /** builds the range's statistics, waits for the run to end, then shows the series again */
  build(): Promise<{ ok: true; status: BatchStatus } | { ok: false; error: Words }>;
}

/** The execution's status once it has ended (asked again and again, less often as it goes on). */
async function endOf(id: number): Promise<BatchStatus> {
  for (let i = 0; ; i++) {
    const { status } = await bridge().call('executions.get', { id });
    if (!isRunning(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, i < 10 ? 300 : 1500));
  }
}

export const useStatistics = create<StatisticsState>((set, get) => ({
  range: null,
  preset: null,
  unit: 'day',
  series: idle,
  sales: idle,
  problem: null,
  building: null,
  setRange(range, preset = null) {
    set({ range, preset });
  },
  setUnit(unit) {
    set({ unit });
  },
  async fetch() {
    const { range, unit } = get();
    if (!range) return null;
    const problem = rangeProblem(range);
    set({ problem });
    if (problem) return null;
    const input = seriesInput(range, unit);
    // asked alongside, not waited for: the chart shows as soon as its own answer comes
    void load((sales) => set({ sales }), get().sales, () => bridge().call('sales.summary', { from: input.from, to: input.to }));
    return load((series) => set({ series }), get().series, () => bridge().call('statistics.series', input));
  },
  async build() {
    const { range, unit } = get();
    if (!range || rangeProblem(range)) return { ok: false, error: { ko: '기간을 고르세요.', en: 'Choose a range.' } };
    const { from, to } = seriesInput(range, unit);
    try {
      const execution = await bridge().call('statistics.build', { from, to });
      set({ building: execution.id });
      const status = await endOf(execution.id);
      await get().fetch();
      return { ok: true, status };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    } finally {
      set({ building: null });
    }
  },
}));
