// Statistics and reports on both databases: hour buckets from hand-built bookings across
// Seoul midnight and a week boundary, exact; the same window built again gives the same rows;
// the daily and weekly CSV reports carry a BOM, are listed in `report`, and leave no temp file.
// Plus the engine's generic CSV file writer, restarted halfway.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { chunkStep, defineJob, JobOperator, listReader, toDbTime } from '../../main/batch/index.ts';
import { csvFileWriter } from '../../main/batch/items/csvFileWriter.ts';
import { BOOKINGS_PER_CALL, makeStatisticsJob } from '../../main/pass/jobs/makeStatisticsJob.ts';
import { hoursEndForBookings } from '../../main/pass/reports/hourlyStatistics.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { allowFolder } from '../support/folders.ts';

const BOM = '\uFEFF';
/** a Seoul wall-clock time as the UTC instant it is */
const kst = (text: string) => new Date(`${text}+09:00`);

describeEachBackend('makeStatisticsJob', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  let reportDir: string;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    operator = new JobOperator({ database: t.db, jobs: [makeStatisticsJob] });
    reportDir = mkdtempSync(join(tmpdir(), 'pass-reports-'));
    await allowFolder(t.db.kysely, reportDir); // as an admin would on the Settings screen
  });
  afterEach(async () => {
    await operator.close();
    await t.dispose();
    rmSync(reportDir, { recursive: true, force: true });
  });

  let seq = 0;
  async function booking(endedAt: string, status: 'COMPLETED' | 'CANCELLED', attended: 0 | 1) {
    const ended = kst(endedAt);
    await t.db.kysely
      .insertInto('booking')
      .values({
        booking_seq: ++seq,
        pass_seq: 1,
        user_id: 'u1',
        status,
        attended,
        used_pass: status === 'COMPLETED' ? 1 : 0,
        started_at: toDbTime(new Date(ended.getTime() - 50 * 60_000)),
        ended_at: toDbTime(ended),
        cancelled_at: status === 'CANCELLED' ? toDbTime(new Date(ended.getTime() - 24 * 3_600_000)) : null,
      })
      .execute();
  }

  /** the hours with bookings (every hour built has a row: an hour without any holds zeros) */
  const statistics = async () =>
    (await t.db.kysely.selectFrom('statistics').select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count']).where('all_count', '>', 0).orderBy('statistics_at').execute()).map((r) => ({
      at: String(r.statistics_at).slice(0, 19),
      all: Number(r.all_count),
      attended: Number(r.attended_count),
      cancelled: Number(r.cancelled_count),
    }));

  const reports = async () =>
    (await t.db.kysely.selectFrom('report').selectAll().orderBy('kind').orderBy('period_from').execute()).map((r) => ({
      kind: r.kind,
      from: String(r.period_from).slice(0, 19),
      to: String(r.period_to).slice(0, 19),
      file: String(r.file_path),
      format: r.format,
      rows: Number(r.row_count),
      size: Number(r.size_bytes),
    }));

  async function seedSunday() {
    seq = 0;
    await booking('2026-01-03T23:59:59.999', 'COMPLETED', 1); // Saturday: before the window
    await booking('2026-01-04T00:00:00.000', 'COMPLETED', 1); // the window's first instant
    await booking('2026-01-04T00:59:59.999', 'CANCELLED', 0);
    await booking('2026-01-04T09:10:00.000', 'COMPLETED', 0); // a no-show
    await booking('2026-01-04T09:20:00.000', 'CANCELLED', 0);
    await booking('2026-01-04T09:50:00.000', 'COMPLETED', 1);
    await booking('2026-01-04T23:59:59.999', 'COMPLETED', 1); // the window's last hour
    await booking('2026-01-05T00:00:00.000', 'COMPLETED', 1); // Monday, a new week: after the window
  }

  const SUNDAY = [
    { at: '2026-01-03 15:00:00', all: 2, attended: 1, cancelled: 1 }, // 00:00 in Seoul
    { at: '2026-01-04 00:00:00', all: 3, attended: 1, cancelled: 1 }, // 09:00
    { at: '2026-01-04 14:00:00', all: 1, attended: 1, cancelled: 0 }, // 23:00
  ];
  /** Saturday 23:00 in Seoul: outside the window, built by the weekly report, which needs the whole week */
  const SATURDAY = { at: '2026-01-03 14:00:00', all: 1, attended: 1, cancelled: 0 };

  test('the default window is yesterday in Seoul, from the launch moment', () => {
    const values = (now: Date) => Object.fromEntries(operator.parameters('makeStatisticsJob', {}, now).map((p) => [p.name, p.value]));
    expect(values(kst('2026-01-05T01:00:00'))).toMatchObject({ from: kst('2026-01-04T00:00:00'), to: kst('2026-01-05T00:00:00'), rerun: 0 });
    expect(values(kst('2026-01-05T00:00:00'))).toMatchObject({ from: kst('2026-01-04T00:00:00'), to: kst('2026-01-05T00:00:00') });
    expect(values(kst('2026-01-04T23:59:59.999'))).toMatchObject({ from: kst('2026-01-03T00:00:00'), to: kst('2026-01-04T00:00:00') });
  });

  test('hour buckets across Seoul midnight are exact; the same window built again gives the same rows; a late booking is counted once', async () => {
    await seedSunday();
    const first = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(first.status).toBe('COMPLETED');
    expect(await statistics()).toEqual([SATURDAY, ...SUNDAY]);
    const [build] = await operator.repository.stepExecutions(first.id);
    expect(build).toMatchObject({ stepName: 'buildHourlyStatisticsStep', readCount: 6, writeCount: 6 });

    // The same window is the same instance: refused; `rerun` builds it again, to the same numbers.
    await expect(operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir })).rejects.toThrow();
    const again = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', rerun: 1, reportDir });
    expect(again.status).toBe('COMPLETED');
    expect(await statistics()).toEqual([SATURDAY, ...SUNDAY]);

    // A window overlapping the first (from 09:00 Sunday into Monday): the shared hours keep
    // their numbers, Monday's first hour is added.
    const overlap = await operator.run('makeStatisticsJob', { from: '2026-01-04T09:00', to: '2026-01-05T09:00', reportDir });
    expect(overlap.status).toBe('COMPLETED');
    expect(await statistics()).toEqual([SATURDAY, ...SUNDAY, { at: '2026-01-04 15:00:00', all: 1, attended: 1, cancelled: 0 }]);

    // A booking entered late into 09:00 Sunday: the rebuild counts it once, not on top.
    await booking('2026-01-04T09:59:59.999', 'COMPLETED', 1);
    const late = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', rerun: 2, reportDir });
    expect(late.status).toBe('COMPLETED');
    expect((await statistics())[2]).toEqual({ at: '2026-01-04 00:00:00', all: 4, attended: 2, cancelled: 1 });
  });

  /**
   * booking() reads its time as Seoul's: a wall-clock time of a zone `offset` off UTC, given as
   * the same instant's Seoul wall-clock time.
   */
  const seoulWallClockOf = (offset: string) => (text: string) => toDbTime(new Date(Date.parse(`${text}${offset}`) + 9 * 3_600_000)).replace(' ', 'T');

  test("a gym half an hour off UTC (Kolkata) gets its own hours: a booking at 10:59:59.999 and one at 11:00 are counted in two hours", async () => {
    seq = 0;
    const asSeoul = seoulWallClockOf('+05:30');
    await booking(asSeoul('2026-01-04T09:59:59.999'), 'COMPLETED', 1); // Kolkata's 09:00 hour
    await booking(asSeoul('2026-01-04T10:00:00.000'), 'COMPLETED', 0); // its 10:00 hour
    await booking(asSeoul('2026-01-04T10:59:59.999'), 'CANCELLED', 0);
    await booking(asSeoul('2026-01-04T11:00:00.000'), 'COMPLETED', 1); // its 11:00 hour
    const kolkata = new JobOperator({ database: t.db, jobs: [makeStatisticsJob], timeZone: 'Asia/Kolkata' });
    try {
      const execution = await kolkata.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
      expect(execution.status).toBe('COMPLETED');
    } finally {
      await kolkata.close();
    }
    // Kolkata's hours begin at half past the UTC hour: 09:00 there is 03:30 UTC
    expect(await statistics()).toEqual([
      { at: '2026-01-04 03:30:00', all: 1, attended: 1, cancelled: 0 },
      { at: '2026-01-04 04:30:00', all: 2, attended: 0, cancelled: 1 },
      { at: '2026-01-04 05:30:00', all: 1, attended: 1, cancelled: 0 },
    ]);
    // every hour of the Kolkata day has its row (the hours without bookings rows of zeros), each starting at half past
    const day = await t.db.kysely
      .selectFrom('statistics')
      .select('statistics_at')
      .where('statistics_at', '>=', '2026-01-03 18:30:00.000')
      .where('statistics_at', '<', '2026-01-04 18:30:00.000')
      .execute();
    expect(day).toHaveLength(24);
    expect(new Set(day.map((r) => String(r.statistics_at).slice(13, 19)))).toEqual(new Set([':30:00']));
  });

  test("a gym 45 minutes off the UTC hour (Kathmandu) gets its own hours: 09:00 there begins at a quarter past the UTC hour, and a booking at 09:59:59.999 and one at 10:00 fall in two hours", async () => {
    seq = 0;
    const asSeoul = seoulWallClockOf('+05:45');
    await booking(asSeoul('2026-01-04T09:59:59.999'), 'COMPLETED', 1); // Kathmandu's 09:00 hour
    await booking(asSeoul('2026-01-04T10:00:00.000'), 'COMPLETED', 0); // its 10:00 hour
    const kathmandu = new JobOperator({ database: t.db, jobs: [makeStatisticsJob], timeZone: 'Asia/Kathmandu' });
    try {
      const execution = await kathmandu.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
      expect(execution.status).toBe('COMPLETED');
    } finally {
      await kathmandu.close();
    }
    expect(await statistics()).toEqual([
      { at: '2026-01-04 03:15:00', all: 1, attended: 1, cancelled: 0 },
      { at: '2026-01-04 04:15:00', all: 1, attended: 0, cancelled: 0 },
    ]);
  });

  test('a window of several days is built hours at a time, to the same rows as hour by hour', async () => {
    seq = 0;
    const expected = new Map<string, { all: number; attended: number; cancelled: number }>();
    for (let i = 0; i < 68; i++) {
      // every 337 minutes from Friday 2 January 00:10 Seoul to Saturday the 17th 16:19: 16 days, several calls of the step
      const ended = new Date(kst('2026-01-02T00:10:00').getTime() + i * 337 * 60_000);
      const status = i % 5 === 0 ? 'CANCELLED' : 'COMPLETED';
      const attended = i % 3 === 0 ? 0 : 1;
      await booking(toDbTime(new Date(ended.getTime() + 9 * 3_600_000)).replace(' ', 'T'), status, attended);
      const hour = toDbTime(new Date(Math.floor(ended.getTime() / 3_600_000) * 3_600_000)).slice(0, 19);
      const e = expected.get(hour) ?? { all: 0, attended: 0, cancelled: 0 };
      expected.set(hour, { all: e.all + 1, attended: e.attended + attended, cancelled: e.cancelled + (status === 'CANCELLED' ? 1 : 0) });
    }
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-02T00:00', to: '2026-01-18T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    expect(await statistics()).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([at, c]) => ({ at, ...c })));
    const [build] = await operator.repository.stepExecutions(execution.id);
    expect(build).toMatchObject({ stepName: 'buildHourlyStatisticsStep', readCount: 68, writeCount: 68 });
    expect(build!.commitCount).toBeGreaterThanOrEqual(3);
  });

  test('a busy day is built a bounded number of bookings per call, so no call holds the write lock for the whole window', async () => {
    // 3 hours of 12,000 bookings each (01:00 to 04:00 in Seoul), then one at 05:30: BOOKINGS_PER_CALL (20,000) lets a call take one of those hours
    const perHour = 12_000;
    const rows = [];
    for (let h = 0; h < 3; h++) {
      for (let i = 0; i < perHour; i++) {
        const ended = new Date(kst(`2026-01-04T0${h + 1}:00:00`).getTime() + Math.floor((i * 3_600_000) / perHour));
        rows.push({ booking_seq: h * perHour + i + 1, pass_seq: 1, user_id: 'u1', status: 'COMPLETED' as const, attended: i % 2, used_pass: 1, started_at: toDbTime(ended), ended_at: toDbTime(ended), cancelled_at: null });
      }
    }
    rows.push({ ...rows[0]!, booking_seq: rows.length + 1, ended_at: toDbTime(kst('2026-01-04T05:30:00')) });
    for (let i = 0; i < rows.length; i += 500) await t.db.kysely.insertInto('booking').values(rows.slice(i, i + 500)).execute();
    expect(BOOKINGS_PER_CALL).toBeLessThan(2 * perHour);

    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    expect(await statistics()).toEqual([
      { at: '2026-01-03 16:00:00', all: perHour, attended: perHour / 2, cancelled: 0 },
      { at: '2026-01-03 17:00:00', all: perHour, attended: perHour / 2, cancelled: 0 },
      { at: '2026-01-03 18:00:00', all: perHour, attended: perHour / 2, cancelled: 0 },
      { at: '2026-01-03 20:00:00', all: 1, attended: 0, cancelled: 0 },
    ]);
    const [build] = await operator.repository.stepExecutions(execution.id);
    expect(build).toMatchObject({ readCount: 3 * perHour + 1, writeCount: 3 * perHour + 1 });
    // one call would have done the whole day; bounded calls take 00:00–02:00, 02:00–03:00 and the rest
    expect(build!.commitCount).toBe(3);
  });

  test('a call ends at the hour holding the booking after its bound, at least an hour on and never past its limit', async () => {
    seq = 0;
    for (const at of ['2026-01-04T09:10', '2026-01-04T09:20', '2026-01-04T10:05', '2026-01-04T12:40', '2026-01-04T12:50']) await booking(`${at}:00.000`, 'COMPLETED', 1);
    const end = (start: string, limit: string, max: number) =>
      hoursEndForBookings(t.db.kysely, kst(start), kst(limit), 0, max).then((d) => DateTime.fromJSDate(d, { zone: 'Asia/Seoul' }).toFormat("yyyy-MM-dd'T'HH:mm"));
    expect(await end('2026-01-04T09:00', '2026-01-05T00:00', 2)).toBe('2026-01-04T10:00'); // the third booking is at 10:05
    expect(await end('2026-01-04T09:00', '2026-01-05T00:00', 3)).toBe('2026-01-04T12:00'); // the fourth at 12:40
    expect(await end('2026-01-04T09:00', '2026-01-05T00:00', 1)).toBe('2026-01-04T10:00'); // the second is in the first hour: one hour on
    expect(await end('2026-01-04T09:00', '2026-01-04T11:00', 3)).toBe('2026-01-04T11:00'); // no more before the limit
    expect(await end('2026-01-04T09:00', '2026-01-05T00:00', 5)).toBe('2026-01-05T00:00');
  });

  test('a build that fails part way is restarted from the first hour it had not committed, to the same rows', async () => {
    seq = 0;
    // a booking every 6 hours over 16 days (Seoul), so the step takes several calls
    for (let i = 0; i < 64; i++) await booking(toDbTime(new Date(kst('2026-01-02T00:30:00').getTime() + i * 6 * 3_600_000 + 9 * 3_600_000)).replace(' ', 'T'), 'COMPLETED', (i % 2) as 0 | 1);
    const window = { from: '2026-01-02T00:00', to: '2026-01-18T00:00', reportDir };
    // the hour of the last booking cannot be written: the first run fails in its last call
    const lastHour = toDbTime(new Date(kst('2026-01-02T00:00:00').getTime() + 63 * 6 * 3_600_000));
    await sql
      .raw(
        backend === 'mysql'
          ? `CREATE TRIGGER statistics_fail BEFORE INSERT ON statistics FOR EACH ROW BEGIN IF NEW.statistics_at = '${lastHour}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'failing on purpose'; END IF; END`
          : `CREATE TRIGGER statistics_fail BEFORE INSERT ON statistics WHEN NEW.statistics_at = '${lastHour}' BEGIN SELECT RAISE(ABORT, 'failing on purpose'); END`,
      )
      .execute(t.db.kysely);
    const failed = await operator.run('makeStatisticsJob', window);
    expect(failed.status).toBe('FAILED');
    const [firstBuild] = await operator.repository.stepExecutions(failed.id);
    expect(firstBuild).toMatchObject({ stepName: 'buildHourlyStatisticsStep', status: 'FAILED' });
    expect(firstBuild!.commitCount).toBeGreaterThan(0);
    expect(firstBuild!.readCount).toBeGreaterThan(0);
    expect(firstBuild!.readCount).toBeLessThan(64);
    const built = await statistics();
    expect(built).toHaveLength(firstBuild!.readCount);

    await sql.raw('DROP TRIGGER statistics_fail').execute(t.db.kysely);
    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    const [build] = await operator.repository.stepExecutions(restarted.id);
    // only the hours not yet committed were built again
    expect(build).toMatchObject({ stepName: 'buildHourlyStatisticsStep', status: 'COMPLETED', readCount: 64 - firstBuild!.readCount });
    const all = await statistics();
    expect(all).toHaveLength(64);
    expect(all.slice(0, built.length)).toEqual(built);
    expect(all.map((r) => [r.all, r.attended, r.cancelled])).toEqual(Array.from({ length: 64 }, (_, i) => [1, i % 2, 0]));
  });

  test('daily and weekly reports: CSV with a BOM, renamed from a temp name, listed in `report` once per period', async () => {
    await seedSunday();
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    const steps = await operator.repository.stepExecutions(execution.id);
    expect(steps.map((s) => [s.stepName, s.status]).sort()).toEqual([
      ['buildHourlyStatisticsStep', 'COMPLETED'],
      ['writeDailyReportStep', 'COMPLETED'],
      ['writeWeeklyReportStep', 'COMPLETED'],
    ]);

    const daily = join(reportDir, 'daily-2026-01-04.csv');
    const weekly = join(reportDir, 'weekly-2025-12-29.csv');
    expect(readdirSync(reportDir).sort()).toEqual(['daily-2026-01-04.csv', 'weekly-2025-12-29.csv']);
    const expectedReports = [
      { kind: 'DAILY', from: '2026-01-03 15:00:00', to: '2026-01-04 15:00:00', file: daily, format: 'CSV', rows: 24, size: statSync(daily).size },
      { kind: 'WEEKLY', from: '2025-12-28 15:00:00', to: '2026-01-04 15:00:00', file: weekly, format: 'CSV', rows: 7, size: statSync(weekly).size },
    ];
    expect(await reports()).toEqual(expectedReports);

    const dailyText = readFileSync(daily, 'utf8');
    expect(readFileSync(daily).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const dailyLines = dailyText.slice(1).split('\r\n');
    expect(dailyText.startsWith(BOM)).toBe(true);
    expect(dailyText.slice(1).includes(BOM)).toBe(false);
    expect(dailyLines[0]).toBe('시간,전체,출석,취소,출석률(%)');
    expect(dailyLines[1]).toBe('2026-01-04 00:00,2,1,1,100.0');
    expect(dailyLines[2]).toBe('2026-01-04 01:00,0,0,0,');
    expect(dailyLines[10]).toBe('2026-01-04 09:00,3,1,1,50.0');
    expect(dailyLines[24]).toBe('2026-01-04 23:00,1,1,0,100.0');
    expect(dailyLines[25]).toBe('합계,6,3,2,75.0');
    expect(dailyLines).toHaveLength(27); // and the last line's CRLF

    const weeklyLines = readFileSync(weekly, 'utf8').slice(1).split('\r\n');
    expect(weeklyLines).toEqual([
      '날짜,요일,전체,출석,취소,출석률(%)',
      '2025-12-29,월,0,0,0,',
      '2025-12-30,화,0,0,0,',
      '2025-12-31,수,0,0,0,',
      '2026-01-01,목,0,0,0,',
      '2026-01-02,금,0,0,0,',
      '2026-01-03,토,1,1,0,100.0', // the Saturday booking: the report built the hours it needed
      '2026-01-04,일,6,3,2,75.0',
      '합계,,7,4,2,80.0',
      '',
    ]);

    // Built again: the files are replaced and still listed once each; no temp file is left.
    const again = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', rerun: 1, reportDir });
    expect(again.status).toBe('COMPLETED');
    expect(await reports()).toEqual(expectedReports);
    expect(readdirSync(reportDir).sort()).toEqual(['daily-2026-01-04.csv', 'weekly-2025-12-29.csv']);

    // Monday: a new week's report; Sunday's week keeps its own.
    const monday = await operator.run('makeStatisticsJob', { from: '2026-01-05T00:00', to: '2026-01-06T00:00', reportDir });
    expect(monday.status).toBe('COMPLETED');
    expect((await reports()).map((r) => [r.kind, r.from])).toEqual([
      ['DAILY', '2026-01-03 15:00:00'],
      ['DAILY', '2026-01-04 15:00:00'],
      ['WEEKLY', '2025-12-28 15:00:00'],
      ['WEEKLY', '2026-01-04 15:00:00'],
    ]);
    expect(readFileSync(join(reportDir, 'weekly-2026-01-05.csv'), 'utf8')).toContain('2026-01-05,월,1,1,0,100.0');
  });

  test('a weekly report covers its whole week: the hours of it never aggregated are aggregated first, not shown as 0', async () => {
    await seedSunday();
    await booking('2025-12-29T10:50:00.000', 'COMPLETED', 1); // Monday
    await booking('2025-12-29T11:50:00.000', 'CANCELLED', 0);
    await booking('2025-12-31T19:50:00.000', 'COMPLETED', 0); // Wednesday, a no-show
    // Only Sunday is built by the statistics step; the weekly report needs Monday to Sunday.
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    const weeklyLines = readFileSync(join(reportDir, 'weekly-2025-12-29.csv'), 'utf8').slice(1).split('\r\n');
    expect(weeklyLines).toEqual([
      '날짜,요일,전체,출석,취소,출석률(%)',
      '2025-12-29,월,2,1,1,100.0',
      '2025-12-30,화,0,0,0,',
      '2025-12-31,수,1,0,0,0.0',
      '2026-01-01,목,0,0,0,',
      '2026-01-02,금,0,0,0,',
      '2026-01-03,토,1,1,0,100.0',
      '2026-01-04,일,6,3,2,75.0',
      '합계,,10,5,3,71.4',
      '',
    ]);
    // Every hour of the week now has its row, written after the hour ended: aggregated, zeros included.
    const week = await t.db.kysely
      .selectFrom('statistics')
      .select(['statistics_at', 'modified_at'])
      .where('statistics_at', '>=', toDbTime(kst('2025-12-29T00:00:00')))
      .where('statistics_at', '<', toDbTime(kst('2026-01-05T00:00:00')))
      .execute();
    expect(week).toHaveLength(168);
    for (const row of week) expect(new Date(`${String(row.modified_at).replace(' ', 'T')}Z`).getTime()).toBeGreaterThanOrEqual(new Date(`${String(row.statistics_at).replace(' ', 'T')}Z`).getTime() + 3_600_000);
  });

  test('a window of several days writes a daily report for each day it touches, a piece of a day with its own hours, and a weekly report for each week', async () => {
    await seedSunday();
    // Friday 18:00 to Monday 06:00: a piece of Friday, Saturday and Sunday whole, a piece of Monday
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-02T18:00', to: '2026-01-05T06:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    expect((await reports()).map((r) => [r.kind, r.from, r.to, r.rows])).toEqual([
      ['DAILY', '2026-01-02 09:00:00', '2026-01-02 15:00:00', 6],
      ['DAILY', '2026-01-02 15:00:00', '2026-01-03 15:00:00', 24],
      ['DAILY', '2026-01-03 15:00:00', '2026-01-04 15:00:00', 24],
      ['DAILY', '2026-01-04 15:00:00', '2026-01-04 21:00:00', 6],
      ['WEEKLY', '2025-12-28 15:00:00', '2026-01-04 15:00:00', 7],
      ['WEEKLY', '2026-01-04 15:00:00', '2026-01-11 15:00:00', 7],
    ]);
    expect(readdirSync(reportDir).filter((f) => f.startsWith('daily-')).sort()).toEqual([
      'daily-2026-01-02T1800_2026-01-03T0000.csv',
      'daily-2026-01-03.csv',
      'daily-2026-01-04.csv',
      'daily-2026-01-05T0000_2026-01-05T0600.csv',
    ]);
    expect(readFileSync(join(reportDir, 'daily-2026-01-04.csv'), 'utf8')).toContain('합계,6,3,2,75.0');
    expect(readFileSync(join(reportDir, 'daily-2026-01-03.csv'), 'utf8')).toContain('합계,1,1,0,100.0');
    // one report per call of its step: four days, two weeks
    const steps = Object.fromEntries((await operator.repository.stepExecutions(execution.id)).map((s) => [s.stepName, s]));
    expect(steps.writeDailyReportStep).toMatchObject({ commitCount: 4, writeCount: 60 });
    expect(steps.writeWeeklyReportStep).toMatchObject({ commitCount: 2, writeCount: 14 });
  });

  test('days the console missed (closed at the nightly run) get their daily reports at the next run, from the day after the last daily report, and a gym with none yet only its window', async () => {
    await seedSunday();
    // the first run of a gym: its window only, no reports for the days before it
    await operator.run('makeStatisticsJob', { from: '2025-12-31T00:00', to: '2026-01-01T00:00', reportDir });
    expect((await reports()).filter((r) => r.kind === 'DAILY').map((r) => r.from)).toEqual(['2025-12-30 15:00:00']);
    const written = statSync(join(reportDir, 'daily-2025-12-31.csv')).mtimeMs;

    // closed on 1, 2 and 3 January at 01:00; the run of 5 January (Sunday's window) writes them too
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    expect((await reports()).filter((r) => r.kind === 'DAILY').map((r) => [r.from, r.rows])).toEqual([
      ['2025-12-30 15:00:00', 24],
      ['2025-12-31 15:00:00', 24],
      ['2026-01-01 15:00:00', 24],
      ['2026-01-02 15:00:00', 24],
      ['2026-01-03 15:00:00', 24],
    ]);
    expect(readFileSync(join(reportDir, 'daily-2026-01-03.csv'), 'utf8')).toContain('합계,1,1,0,100.0'); // Saturday's booking, aggregated for it
    expect(statSync(join(reportDir, 'daily-2025-12-31.csv')).mtimeMs).toBe(written); // the day reported before is left as it was
    const steps = Object.fromEntries((await operator.repository.stepExecutions(execution.id)).map((s) => [s.stepName, s]));
    expect(steps.writeDailyReportStep).toMatchObject({ commitCount: 4, writeCount: 96 });

    // the next night's run has nothing to catch up
    await operator.run('makeStatisticsJob', { from: '2026-01-05T00:00', to: '2026-01-06T00:00', reportDir });
    expect((await reports()).filter((r) => r.kind === 'DAILY')).toHaveLength(6);
  });

  test('a console closed for longer than a month catches up the last 31 days before the window, not every day since', async () => {
    await operator.run('makeStatisticsJob', { from: '2025-10-01T00:00', to: '2025-10-02T00:00', reportDir });
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    const daily = (await reports()).filter((r) => r.kind === 'DAILY').map((r) => r.from);
    expect(daily).toHaveLength(1 + 31 + 1);
    expect(daily[1]).toBe('2025-12-03 15:00:00'); // 4 January less 31 days, in Seoul
    expect(daily.at(-1)).toBe('2026-01-03 15:00:00');
  });

  test('the report steps count the statistics rows they read and the lines they wrote', async () => {
    await seedSunday();
    const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00', reportDir });
    expect(execution.status).toBe('COMPLETED');
    const steps = Object.fromEntries((await operator.repository.stepExecutions(execution.id)).map((s) => [s.stepName, s]));
    // the daily report: 24 hours read, 24 lines written; the weekly: 168 hours read, 7 days written
    expect(steps.writeDailyReportStep).toMatchObject({ readCount: 24, writeCount: 24 });
    expect(steps.writeWeeklyReportStep).toMatchObject({ readCount: 168, writeCount: 7 });
    expect((await reports()).map((r) => r.rows)).toEqual([24, 7]);
  });

  test('a report line for hours that have not ended yet is left empty, never 0', async () => {
    const tomorrow = DateTime.now().setZone('Asia/Seoul').startOf('day').plus({ days: 1 });
    const execution = await operator.run('makeStatisticsJob', { from: tomorrow.toISO()!, to: tomorrow.plus({ days: 1 }).toISO()!, reportDir });
    expect(execution.status).toBe('COMPLETED');
    const lines = readFileSync(join(reportDir, `daily-${tomorrow.toFormat('yyyy-MM-dd')}.csv`), 'utf8').slice(1).split('\r\n');
    expect(lines[1]).toBe(`${tomorrow.toFormat('yyyy-MM-dd')} 00:00,,,,`);
    expect(lines.slice(1, 25).every((line) => line.endsWith(',,,,'))).toBe(true);
    expect(lines[25]).toBe('합계,,,,');
  });

  test('the report folder defaults to PASS_REPORT_DIR', async () => {
    process.env.PASS_REPORT_DIR = reportDir;
    try {
      const execution = await operator.run('makeStatisticsJob', { from: '2026-01-04T00:00', to: '2026-01-05T00:00' });
      expect(execution.status).toBe('COMPLETED');
      expect(existsSync(join(reportDir, 'daily-2026-01-04.csv'))).toBe(true);
      expect((await reports()).map((r) => r.rows)).toEqual([24, 7]);
    } finally {
      delete process.env.PASS_REPORT_DIR;
    }
  });

  test('csvFileWriter in a chunk step: a failure halfway, then a restart, leaves every line once and one BOM', async () => {
    const file = join(reportDir, 'items.csv');
    const items = Array.from({ length: 250 }, (_, i) => ({ id: i + 1, name: `회원${i + 1}` }));
    let failAt = 137;
    const job = defineJob({
      name: 'csvExportJob',
      steps: [
        chunkStep<unknown, { id: number; name: string }>({
          name: 'exportStep',
          chunkSize: 20,
          reader: () => listReader(items),
          processor: () => (item) => {
            if (item.id === failAt) throw new Error(`failing on purpose at ${item.id}`);
            return item;
          },
          writer: () => csvFileWriter<{ id: number; name: string }>({ path: file, header: ['id', 'name'], row: (i) => [i.id, i.name] }),
        }),
      ],
    });
    const local = new JobOperator({ database: t.db, jobs: [job] });
    try {
      const failed = await local.run('csvExportJob');
      expect(failed.status).toBe('FAILED');
      expect(existsSync(file)).toBe(false); // never under its real name while unfinished
      expect(existsSync(`${file}.tmp`)).toBe(true);
      failAt = 0;
      const restarted = await (await local.restart(failed.id)).done;
      expect(restarted.status).toBe('COMPLETED');
      expect(existsSync(`${file}.tmp`)).toBe(false);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(BOM)).toBe(true);
      expect(text.slice(1).includes(BOM)).toBe(false);
      expect(text.slice(1)).toBe(['id,name', ...items.map((i) => `${i.id},${i.name}`)].join('\r\n') + '\r\n');
    } finally {
      await local.close();
    }
  });
});

describe('csvFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pass-csv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a chunk whose transaction is retried is written once; an uncommitted chunk is cut off on restart', async () => {
    const path = join(dir, 'out.csv');
    const writer = csvFileWriter<string[]>({ path, header: ['a', 'b'], row: (r) => r, recordDelimiter: 'unix' });
    writer.open!({});
    await writer.write([['1', 'x,y']], null as never);
    const committed: Record<string, unknown> = {};
    writer.update!(committed);
    // the next chunk: written, its commit fails, retried with the same context, then "crash"
    const second: Record<string, unknown> = { ...committed };
    await writer.write([['2', '둘']], null as never);
    writer.update!(second);
    await writer.write([['2', '둘']], null as never);
    writer.update!(second);
    expect(readFileSync(`${path}.tmp`, 'utf8')).toBe(`${BOM}a,b\n1,"x,y"\n2,둘\n`);
    writer.close!();

    // restart from the first commit: the second chunk's bytes are cut, then written again
    const restarted = csvFileWriter<string[]>({ path, header: ['a', 'b'], row: (r) => r, recordDelimiter: 'unix' });
    restarted.open!(committed);
    expect(readFileSync(`${path}.tmp`, 'utf8')).toBe(`${BOM}a,b\n1,"x,y"\n`);
    await restarted.write([['2', '둘'], ['3', '셋']], null as never);
    restarted.update!({ ...committed });
    await restarted.complete!();
    expect(readFileSync(path, 'utf8')).toBe(`${BOM}a,b\n1,"x,y"\n2,둘\n3,셋\n`);
    expect(restarted.rows).toBe(3);
    expect(restarted.size).toBe(statSync(path).size);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  test('no BOM when asked; an empty input still makes a file with its header', async () => {
    const path = join(dir, 'empty.csv');
    const writer = csvFileWriter<string[]>({ path, header: ['a'], row: (r) => r, bom: false });
    writer.open!({});
    await writer.complete!();
    expect(readFileSync(path, 'utf8')).toBe('a\r\n');
  });
});
