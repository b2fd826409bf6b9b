// The statistics chart's series (statistics.series) in a gym whose clocks change: hour rows go
// into the gym's weeks and days, the day of the change has 23 hours, and a day counts as
// aggregated only when every one of its hours is. Rows are written here directly, as
// makeStatisticsJob would (aggregated: written after the hour ended).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const HOUR = 3_600_000;

describeEachBackend('statistics series across a change of the clocks (Europe/Berlin, 30 March 2025)', (backend) => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness(backend);
    h.operator.setTimeZone('Europe/Berlin');
    const row = (at: string, all: number, attended: number, cancelled: number, aggregated = true) => {
      const hour = new Date(at);
      return {
        statistics_at: toDbTime(hour),
        all_count: all,
        attended_count: attended,
        cancelled_count: cancelled,
        modified_at: toDbTime(new Date(hour.getTime() + (aggregated ? 2 * HOUR : 10 * 60_000))),
      };
    };
    // the 23 hours of Sunday 30 March (local midnight is 23:00 UTC the day before; 02:00 local does not exist)
    const sunday = Array.from({ length: 23 }, (_, i) => row(new Date(Date.parse('2025-03-29T23:00:00Z') + i * HOUR).toISOString(), 1, 1, 0));
    await h.database.db.kysely
      .insertInto('statistics')
      .values([
        row('2025-03-24T10:00:00Z', 4, 3, 0), // Monday 11:00, first week
        ...sunday,
        row('2025-03-30T22:00:00Z', 7, 6, 1), // Monday 31 March 00:00 (summer time): the second week's first hour
        row('2025-04-02T08:00:00Z', 1, 0, 0, false), // written before its hour ended: not aggregated
      ])
      .execute();
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('sums the hours into the gym\'s weeks, the first of them an hour short, and names every day not wholly aggregated', async () => {
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { from: '2025-03-24', to: '2025-04-07', unit: 'week' });
    expect(series.points).toEqual([
      { at: '2025-03-23T23:00:00.000Z', all: 27, attended: 26, cancelled: 0, attendanceRate: 0.963 },
      { at: '2025-03-30T22:00:00.000Z', all: 8, attended: 6, cancelled: 1, attendanceRate: 0.8571 },
    ]);
    expect(series.totals).toEqual({ all: 35, attended: 32, cancelled: 1, attendanceRate: 0.9412 });
    expect(series.coverage).toEqual([
      { at: '2025-03-23T23:00:00.000Z', hoursEnded: 167, hoursAggregated: 24 },
      { at: '2025-03-30T22:00:00.000Z', hoursEnded: 168, hoursAggregated: 1 },
    ]);
    const days = Array.from({ length: 14 }, (_, i) => `2025-${i < 8 ? '03' : '04'}-${String(i < 8 ? 24 + i : i - 7).padStart(2, '0')}`);
    expect(series.daysNotAggregated).toEqual(days.filter((d) => d !== '2025-03-30'));
  });

  it('gives the day of the change its 23 hours and the days either side their 24', async () => {
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { from: '2025-03-29', to: '2025-04-01', unit: 'day' });
    expect(series.points).toEqual([
      { at: '2025-03-28T23:00:00.000Z', all: 0, attended: 0, cancelled: 0, attendanceRate: null },
      { at: '2025-03-29T23:00:00.000Z', all: 23, attended: 23, cancelled: 0, attendanceRate: 1 },
      { at: '2025-03-30T22:00:00.000Z', all: 7, attended: 6, cancelled: 1, attendanceRate: 1 },
    ]);
    expect(series.coverage.map((c) => [c.hoursEnded, c.hoursAggregated])).toEqual([
      [24, 0],
      [23, 23],
      [24, 1],
    ]);
    expect(series.daysNotAggregated).toEqual(['2025-03-29', '2025-03-31']);
  });
});
