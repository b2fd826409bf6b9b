// The statistics chart's series (statistics.series) in a gym whose clocks change: hour rows go
// into the gym's weeks and days, the day of the change has 23 hours, and a day counts as
// aggregated only when every one of its hours is. Rows are written here directly, as
// makeStatisticsJob would (aggregated: written after the hour ended).
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { hoursNotAggregated } from '../../main/pass/reports/hourlyStatistics.ts';
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

describeEachBackend('statistics series summed in the database', (backend) => {
  let h: ServiceHarness;
  const at = (iso: string) => Date.parse(iso);
  const insert = async (rows: Array<{ at: number; all?: number; modified?: number | null; text?: string }>) => {
    const values = rows.map((r) => ({
      statistics_at: r.text ?? toDbTime(new Date(r.at)),
      all_count: r.all ?? 1,
      attended_count: 0,
      cancelled_count: 0,
      modified_at: r.modified === null ? null : toDbTime(new Date(r.modified ?? r.at + 2 * HOUR)),
    }));
    for (let i = 0; i < values.length; i += 500) await h.database.db.kysely.insertInto('statistics').values(values.slice(i, i + 500)).execute();
  };
  beforeEach(async () => {
    h = await serviceHarness(backend);
  });
  afterEach(async () => {
    await h?.dispose();
  });

  it('sums two years of aggregated hours into their weeks and names only the day with an hour written early and the day with an hour missing', async () => {
    h.operator.setTimeZone('Asia/Seoul');
    const first = at('2020-01-05T15:00:00Z'); // Monday 6 January 2020, 00:00 in Seoul
    const early = at('2021-03-09T18:00:00Z'); // 10 March 2021, 03:00: written before its hour ended
    const gone = at('2021-06-30T20:00:00Z'); // 1 July 2021, 05:00: no row
    const rows: Array<{ at: number; modified?: number }> = [];
    for (let t = first; t < first + 104 * 7 * 24 * HOUR; t += HOUR) if (t !== gone) rows.push(t === early ? { at: t, modified: t + 10 * 60_000 } : { at: t });
    await insert(rows);
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { from: '2020-01-06', to: '2022-01-03', unit: 'week' });
    expect(series.points).toHaveLength(104);
    expect(series.points.filter((p) => p.all !== 168).map((p) => [p.at, p.all])).toEqual([['2021-06-27T15:00:00.000Z', 167]]);
    expect(series.totals.all).toBe(104 * 168 - 1);
    expect(series.coverage.filter((c) => c.hoursEnded !== 168 || c.hoursAggregated !== 168).map((c) => [c.at, c.hoursAggregated])).toEqual([
      ['2021-03-07T15:00:00.000Z', 167],
      ['2021-06-27T15:00:00.000Z', 167],
    ]);
    expect(series.daysNotAggregated).toEqual(['2021-03-10', '2021-07-01']);
  });

  it('counts an hour aggregated when its row was written the moment the hour ended, and not a millisecond before', async () => {
    h.operator.setTimeZone('UTC');
    await insert([
      { at: at('2024-05-01T10:00:00Z'), modified: at('2024-05-01T11:00:00Z') },
      { at: at('2024-05-02T10:00:00Z'), modified: at('2024-05-02T10:59:59.999Z') },
    ]);
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { from: '2024-05-01T10:00Z', to: '2024-05-02T11:00Z', unit: 'day' });
    expect(series.coverage).toEqual([
      { at: '2024-05-01T00:00:00.000Z', hoursEnded: 14, hoursAggregated: 1 },
      { at: '2024-05-02T00:00:00.000Z', hoursEnded: 11, hoursAggregated: 0 },
    ]);
  });

  it('finds for the rebuild, by the same rule as the chart, the hours with no row and the hours written before they ended', async () => {
    await insert([
      { at: at('2024-05-01T10:00:00Z') },
      { at: at('2024-05-01T11:00:00Z'), modified: at('2024-05-01T11:59:59.999Z') },
      { at: at('2024-05-01T13:00:00Z'), modified: null },
      { at: at('2024-05-01T14:00:00Z'), modified: at('2024-05-01T15:00:00Z') },
    ]);
    const missing = await hoursNotAggregated(h.database.db.kysely, h.database.db.dialect, new Date('2024-05-01T10:00:00Z'), new Date('2024-05-01T15:00:00Z'), 0, new Date('2024-06-01T00:00:00Z'));
    expect(missing.map((d) => d.toISOString())).toEqual(['2024-05-01T11:00:00.000Z', '2024-05-01T12:00:00.000Z']);
  });

  it('puts an imported hour written without milliseconds in the day it begins, even at the range\'s first instant', async () => {
    h.operator.setTimeZone('Asia/Seoul');
    // 2 January 2025, 00:00 and 01:00 in Seoul, as an import writes them: no milliseconds, no modified_at
    await insert([
      { at: 0, text: '2025-01-01 15:00:00', all: 5, modified: null },
      { at: 0, text: '2025-01-01 16:00:00', all: 7, modified: null },
    ]);
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { from: '2025-01-02', to: '2025-01-04', unit: 'day' });
    expect(series.points.map((p) => p.all)).toEqual([12, 0]);
    expect(series.totals.all).toBe(12);
    expect(series.coverage[0]).toEqual({ at: '2025-01-01T15:00:00.000Z', hoursEnded: 24, hoursAggregated: 2 });
  });

  it('gives the day whose midnight the clocks skip (Santiago, 8 September 2024) its 23 hours and starts the next day at its midnight', async () => {
    h.operator.setTimeZone('America/Santiago');
    const rows: Array<{ at: number }> = [];
    for (let t = at('2024-09-07T04:00:00Z'); t < at('2024-09-11T03:00:00Z'); t += HOUR) rows.push({ at: t });
    await insert(rows);
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { from: '2024-09-07', to: '2024-09-11', unit: 'day' });
    expect(series.points.map((p) => [p.at, p.all])).toEqual([
      ['2024-09-07T04:00:00.000Z', 24],
      ['2024-09-08T04:00:00.000Z', 23],
      ['2024-09-09T03:00:00.000Z', 24],
      ['2024-09-10T03:00:00.000Z', 24],
    ]);
    expect(series.daysNotAggregated).toEqual([]);
  });
});
