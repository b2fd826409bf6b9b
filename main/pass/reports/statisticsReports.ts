// The two reports made from the hourly statistics: the daily report (one line per hour of the
// window) and the weekly report (one line per day of each Monday-to-Sunday week the window
// touches), in the gym's time zone and GLOSSARY.md's words. A report covers the whole period it
// names: the hours of it that have ended and were never aggregated are aggregated first (the
// weekly report's Monday when only Sunday was built), so a 0 always means nothing happened; a
// line for hours that have not ended yet is left empty.
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Transaction } from 'kysely';
import { fromDbTime, toDbTime, type Dialect } from '../../batch/index.ts';
import { aggregateMissingHours, hourBucket, hourShiftMinutes } from './hourlyStatistics.ts';
import { writeCsvReport, type WrittenReport } from './reportFiles.ts';

const HOUR = 3_600_000;

interface Counts {
  all: number;
  attended: number;
  cancelled: number;
}

const zero = (): Counts => ({ all: 0, attended: 0, cancelled: 0 });

/** Attended out of the classes not cancelled, in percent with one decimal; empty when none. */
function attendanceRate(c: Counts): string {
  const held = c.all - c.cancelled;
  return held > 0 ? ((c.attended / held) * 100).toFixed(1) : '';
}

const line = (label: unknown[], c: Counts | null) => (c ? [...label, c.all, c.attended, c.cancelled, attendanceRate(c)] : [...label, '', '', '', '']);

/** The statistics rows of [from, to) by hour, after aggregating its ended hours never aggregated. */
async function hourlyCounts(r: ReportRequest, from: Date, to: Date): Promise<Map<number, Counts>> {
  await aggregateMissingHours(r.tx, r.dialect, from, to, hourShiftMinutes(r.timeZone, from), r.now ?? new Date());
  const rows = await r.tx
    .selectFrom('statistics')
    .select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count'])
    .where('statistics_at', '>=', toDbTime(from))
    .where('statistics_at', '<', toDbTime(to))
    .execute();
  return new Map(
    rows.map((r) => [
      fromDbTime(r.statistics_at).getTime(),
      { all: Number(r.all_count), attended: Number(r.attended_count), cancelled: Number(r.cancelled_count) },
    ]),
  );
}

function add(total: Counts, c: Counts): void {
  total.all += c.all;
  total.attended += c.attended;
  total.cancelled += c.cancelled;
}

const local = (at: Date, timeZone: string) => DateTime.fromJSDate(at, { zone: timeZone }).setLocale('ko');

function isWholeDay(from: Date, to: Date, timeZone: string): boolean {
  const start = local(from, timeZone);
  return start.equals(start.startOf('day')) && start.plus({ days: 1 }).toMillis() === to.getTime();
}

export interface ReportRequest {
  tx: Transaction<any>;
  dialect: Dialect;
  from: Date;
  to: Date;
  timeZone: string;
  directory: string;
  /** keeps temp files of two executions apart */
  tag: string | number;
  /** the moment the report is written (default: the clock): lines for hours after it are left empty */
  now?: Date;
}

/** A report written, with the statistics rows (hours) it was made from: the step's read count. */
export interface StatisticsReport extends WrittenReport {
  rowsRead: number;
}

/** 일간 보고서: one line per hour of [from, to), then the totals. */
export async function writeDailyReport(r: ReportRequest): Promise<StatisticsReport> {
  const now = (r.now ?? new Date()).getTime();
  const shift = hourShiftMinutes(r.timeZone, r.from);
  const first = hourBucket(r.from, shift);
  const counts = await hourlyCounts(r, first, r.to);
  const total = zero();
  let ended = false;
  const rows: unknown[][] = [];
  for (let at = first.getTime(); at < r.to.getTime(); at += HOUR) {
    const over = at + HOUR <= now;
    const c = counts.get(at) ?? zero();
    if (over) add(total, c);
    ended ||= over;
    rows.push(line([local(new Date(at), r.timeZone).toFormat('yyyy-MM-dd HH:mm')], over ? c : null));
  }
  const start = local(r.from, r.timeZone);
  const name = isWholeDay(r.from, r.to, r.timeZone)
    ? `daily-${start.toFormat('yyyy-MM-dd')}.csv`
    : `daily-${start.toFormat("yyyy-MM-dd'T'HHmm")}_${local(r.to, r.timeZone).toFormat("yyyy-MM-dd'T'HHmm")}.csv`;
  const written = await writeCsvReport(
    r.tx,
    r.dialect,
    { kind: 'DAILY', periodFrom: r.from, periodTo: r.to, path: join(r.directory, name), tag: r.tag },
    { header: ['시간', '전체', '출석', '취소', '출석률(%)'], rows, footer: line(['합계'], ended ? total : null) },
  );
  return { ...written, rowsRead: counts.size };
}

/** 주간 보고서: the Monday-to-Sunday week holding `inWeek` (the gym's), one line per day and the totals. */
export async function writeWeeklyReport(r: ReportRequest, inWeek: Date): Promise<StatisticsReport> {
  const now = (r.now ?? new Date()).getTime();
  const week = local(inWeek, r.timeZone).startOf('week');
  const weekEnd = week.plus({ weeks: 1 });
  const counts = await hourlyCounts(r, week.toJSDate(), weekEnd.toJSDate());
  const total = zero();
  let ended = false;
  const rows: unknown[][] = [];
  for (let day = week; day < weekEnd; day = day.plus({ days: 1 })) {
    const next = day.plus({ days: 1 });
    // a day not over yet is left empty: its hours so far are no day's numbers
    const over = next.toMillis() <= now;
    const c = zero();
    for (const [at, hour] of counts) if (at >= day.toMillis() && at < next.toMillis()) add(c, hour);
    if (over) add(total, c);
    ended ||= over;
    rows.push(line([day.toFormat('yyyy-MM-dd'), day.toFormat('ccc')], over ? c : null));
  }
  const report = await writeCsvReport(
    r.tx,
    r.dialect,
    { kind: 'WEEKLY', periodFrom: week.toJSDate(), periodTo: weekEnd.toJSDate(), path: join(r.directory, `weekly-${week.toFormat('yyyy-MM-dd')}.csv`), tag: r.tag },
    { header: ['날짜', '요일', '전체', '출석', '취소', '출석률(%)'], rows, footer: line(['합계', ''], ended ? total : null) },
  );
  return { ...report, rowsRead: counts.size };
}

/**
 * The days (or weeks, Monday to Sunday) of the gym that [from, to) touches, each cut to the
 * window: a daily report per day, so a window of a week gives seven daily reports, not one of
 * 168 hours; a piece of a day keeps its own hours.
 */
export function reportPeriods(unit: 'day' | 'week', from: Date, to: Date, timeZone: string): Array<{ from: Date; to: Date }> {
  const periods: Array<{ from: Date; to: Date }> = [];
  for (let start = local(from, timeZone).startOf(unit); start.toMillis() < to.getTime(); start = start.plus({ [`${unit}s`]: 1 })) {
    const end = start.plus({ [`${unit}s`]: 1 });
    periods.push({ from: new Date(Math.max(start.toMillis(), from.getTime())), to: new Date(Math.min(end.toMillis(), to.getTime())) });
  }
  return periods;
}

/** How many days before its window a run's reports reach back at most (the days the console missed). */
export const CATCH_UP_DAYS = 31;

/**
 * Where a run's reports start: its window's start, or earlier when daily reports are missing
 * before it: from the end of the last daily report that ended before the window (the console was
 * closed at the nightly run, or a run failed and was left), at most CATCH_UP_DAYS days back from
 * the start of the window's day. A gym with no daily report yet starts at its window: no reports
 * for days before it used the console.
 */
export async function reportsStart(tx: Transaction<any>, from: Date, timeZone: string): Promise<Date> {
  const row = await tx
    .selectFrom('report')
    .select((eb) => eb.fn.max('period_to').as('last'))
    .where('kind', '=', 'DAILY')
    .where('period_to', '<=', toDbTime(from))
    .executeTakeFirst();
  if (!row?.last) return from;
  const earliest = local(from, timeZone).startOf('day').minus({ days: CATCH_UP_DAYS }).toMillis();
  return new Date(Math.max(fromDbTime(String(row.last)).getTime(), earliest));
}
