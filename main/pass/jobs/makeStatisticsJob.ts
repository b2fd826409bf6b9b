// 통계 데이터 생성: (a) a step over the hour buckets of [from, to), up to a week of hours and
// about 20,000 bookings per call (so a call holds SQLite's write lock for a few milliseconds
// and a desk sale waits no longer than that, however busy the gym was):
// each call recomputes its hours from the booking table, one count per hour over the index in
// one statement (hourlyStatistics.ts rebuildHours), and upserts the
// absolute counts (no booking is read into the process), so a window built twice gives the same
// numbers, and its position (the next hour) commits with them, so a restart goes on from there;
// (b) the daily reports (one per day the window touches) and the weekly reports (one per week)
// are written at once, each kind as its own step, one report per call, to a temp name, renamed
// and recorded in `report`; each first aggregates the hours of its period that have ended and
// were never aggregated (the weekly report needs Monday to Sunday, the window is often one day),
// and counts the statistics rows it read and the lines it wrote. Days the console missed (closed
// at the nightly run) are caught up: the reports start after the last daily report, up to a
// month back (reportsStart), so no day goes without its report.
import { DateTime } from 'luxon';
import { dateTimeParam, defineJob, folderParameterProblem, numberParam, split, stringParam, taskletStep } from '../../batch/index.ts';
import { hourBucket, hoursEndForBookings, hourShiftMinutes, rebuildHours } from '../reports/hourlyStatistics.ts';
import { reportDirectory } from '../reports/reportFiles.ts';
import { reportPeriods, reportsStart, writeDailyReport, writeWeeklyReport, type ReportRequest, type StatisticsReport } from '../reports/statisticsReports.ts';

interface Params {
  from: Date;
  to: Date;
  rerun: number;
  reportDir: string;
}

const HOUR = 3_600_000;
/** Gym hours per call of the statistics step, at most (a week): one counting statement, one upsert and one commit each. */
const HOURS_PER_CALL = 168;
/**
 * Bookings per call, about (whole hours are counted: an hour busier than this is one call):
 * 1,000,000 bookings in two days took 4 s in one call with a GROUP BY, all of it under SQLite's
 * write lock; counted hour by hour, 20,000 take about 2–3 ms.
 */
export const BOOKINGS_PER_CALL = 20_000;
/** Where the statistics step's position is kept in its context: the start of the next hour to build (ms). */
const NEXT_HOUR = 'nextHour';

/** Where a report step's position is kept in its context: the start of the next day or week to write (ms). */
const NEXT_PERIOD = 'nextPeriod';

/**
 * A report step: one report per call (a day, or a Monday-to-Sunday week), each in its own
 * transaction with its position, so a month of reports never holds the database for long and a
 * restart goes on from the next. Its reports start where reportsStart says: the window, or the
 * day after the last daily report when the console missed days (closed at the nightly run).
 */
function reportStep(
  name: string,
  title: { ko: string; en: string },
  unit: 'day' | 'week',
  write: (request: ReportRequest, period: { from: Date; to: Date }) => Promise<StatisticsReport>,
) {
  return taskletStep<Params>({
    name,
    title,
    tasklet: async ({ db, params, timeZone, jobExecutionId, executionContext, contribution }, tx) => {
      const saved = executionContext[NEXT_PERIOD];
      const from = typeof saved === 'number' ? new Date(saved) : await reportsStart(tx, params.from, timeZone);
      const [period, next] = reportPeriods(unit, from, params.to, timeZone);
      if (!period) return 'FINISHED';
      const report = await write({ tx, dialect: db.dialect, from: params.from, to: params.to, timeZone, directory: reportDirectory(params.reportDir), tag: jobExecutionId }, period);
      contribution.readCount += report.rowsRead;
      contribution.writeCount += report.rowCount;
      if (!next) return 'FINISHED';
      executionContext[NEXT_PERIOD] = next.from.getTime();
      return 'CONTINUABLE';
    },
  });
}

/** Midnight of `now`'s day in the gym's time zone. */
const startOfToday = (now: Date, timeZone: string) => DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');

export const makeStatisticsJob = defineJob({
  name: 'makeStatisticsJob',
  title: { ko: '통계 데이터 생성', en: 'Build statistics and reports' },
  params: {
    from: dateTimeParam({
      default: (now, timeZone) => startOfToday(now, timeZone).minus({ days: 1 }).toJSDate(),
      description: { ko: '집계 시작 (기본: 어제 00:00)', en: 'Window start (default: yesterday 00:00)' },
    }),
    to: dateTimeParam({
      default: (now, timeZone) => startOfToday(now, timeZone).toJSDate(),
      description: { ko: '집계 끝, 포함하지 않음 (기본: 오늘 00:00)', en: 'Window end, exclusive (default: today 00:00)' },
    }),
    // Identifying on purpose: the same window is one instance, which runs once; staff who want
    // it rebuilt (bookings fixed late) give the next number.
    rerun: numberParam({
      default: 0,
      integer: true,
      min: 0,
      description: { ko: '이미 만든 기간을 다시 만들려면 1 올리세요', en: 'To build dates already built again, add 1' },
    }),
    reportDir: stringParam({
      default: '',
      identifying: false,
      description: { ko: '보고서 폴더 (비워 두면 기본 보고서 폴더)', en: 'Report folder (blank: the usual report folder)' },
    }),
  },
  // A window that ends before it starts can never succeed: refused at launch, no execution made.
  // So is a report folder outside the data folder and the folders an admin allowed.
  validate: async ({ from, to, reportDir }, db) =>
    to.getTime() <= from.getTime()
      ? `Parameter "to" (${to.toISOString()}) must come after "from" (${from.toISOString()}): the window would hold no hour`
      : folderParameterProblem('reportDir', reportDir, db),
  steps: [
    taskletStep<Params>({
      name: 'buildHourlyStatisticsStep',
      title: { ko: '시간별 통계 집계', en: 'Build hourly statistics' },
      // Counts as read and written the bookings counted into the hours built (for a window of
      // whole hours, the bookings that ended in it), as when this step read them one by one.
      tasklet: async ({ db, params, timeZone, executionContext, contribution }, tx) => {
        if (params.to.getTime() <= params.from.getTime()) throw new Error(`"to" (${params.to.toISOString()}) must come after "from" (${params.from.toISOString()})`);
        const shift = hourShiftMinutes(timeZone, params.from);
        const saved = executionContext[NEXT_HOUR];
        const start = typeof saved === 'number' ? saved : hourBucket(params.from, shift).getTime();
        const limit = new Date(Math.min(start + HOURS_PER_CALL * HOUR, params.to.getTime()));
        const end = start < limit.getTime() ? (await hoursEndForBookings(tx, new Date(start), limit, shift, BOOKINGS_PER_CALL)).getTime() : start;
        const hours: Date[] = [];
        for (let hour = start; hour < end; hour += HOUR) hours.push(new Date(hour));
        if (!hours.length) return 'FINISHED';
        const counts = await rebuildHours(tx, db.dialect, hours);
        const bookings = counts.reduce((sum, c) => sum + c.all_count, 0);
        contribution.readCount += bookings;
        contribution.writeCount += bookings;
        const next = start + hours.length * HOUR;
        executionContext[NEXT_HOUR] = next;
        return next < params.to.getTime() ? 'CONTINUABLE' : 'FINISHED';
      },
    }),
    split('writeReportsFlow', [
      reportStep('writeDailyReportStep', { ko: '일간 보고서 작성', en: 'Write the daily reports' }, 'day', (r, period) => writeDailyReport({ ...r, ...period })),
      reportStep('writeWeeklyReportStep', { ko: '주간 보고서 작성', en: 'Write the weekly reports' }, 'week', (r, period) => writeWeeklyReport(r, period.from)),
    ]),
  ],
});
