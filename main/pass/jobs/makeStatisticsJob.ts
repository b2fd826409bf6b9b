// 통계 데이터 생성: (a) a chunk step over the bookings that ended in [from, to) recomputes each
// hour bucket those bookings fall in, from the booking table, and upserts the absolute counts,
// so a window built twice gives the same numbers; (b) the daily and the weekly report are
// written at once, each as its own step, to a temp name, renamed and recorded in `report`.
import { DateTime } from 'luxon';
import { chunkStep, dateTimeParam, defineJob, fromDbTime, keysetReader, numberParam, split, stringParam, taskletStep, toDbTime } from '../../batch/index.ts';
import { hourBucket, hourShiftMinutes, rebuildHours } from '../reports/hourlyStatistics.ts';
import { reportDirectory } from '../reports/reportFiles.ts';
import { writeDailyReport, writeWeeklyReports } from '../reports/statisticsReports.ts';

interface Params {
  from: Date;
  to: Date;
  rerun: number;
  reportDir: string;
}

type EndedBooking = { booking_seq: number; ended_at: string };

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
      description: { ko: '같은 기간을 다시 만들 때 1, 2, ...', en: 'Raise to build the same window again' },
    }),
    reportDir: stringParam({
      default: '',
      identifying: false,
      description: { ko: '보고서 폴더 (기본: PASS_REPORT_DIR 또는 데이터 폴더/reports)', en: 'Report folder (default: PASS_REPORT_DIR or <data dir>/reports)' },
    }),
  },
  steps: [
    chunkStep<Params, EndedBooking, EndedBooking>({
      name: 'buildHourlyStatisticsStep',
      chunkSize: 1000,
      reader: ({ db, params }) => {
        if (params.to.getTime() <= params.from.getTime()) throw new Error(`"to" (${params.to.toISOString()}) must come after "from" (${params.from.toISOString()})`);
        return keysetReader<EndedBooking>({
          db: db.kysely,
          query: (k) =>
            k
              .selectFrom('booking')
              .select(['booking_seq', 'ended_at'])
              .where('ended_at', '>=', toDbTime(params.from))
              .where('ended_at', '<', toDbTime(params.to)),
          key: 'booking_seq',
          count: true,
        });
      },
      writer: ({ db, params, timeZone }) => {
        const shift = hourShiftMinutes(timeZone, params.from);
        return {
          async write(bookings, tx) {
            await rebuildHours(tx, db.dialect, bookings.map((b) => hourBucket(fromDbTime(b.ended_at), shift)), shift);
          },
        };
      },
    }),
    split('writeReportsFlow', [
      taskletStep<Params>({
        name: 'writeDailyReportStep',
        tasklet: async ({ db, params, timeZone, jobExecutionId }, tx) => {
          await writeDailyReport({ tx, dialect: db.dialect, from: params.from, to: params.to, timeZone, directory: reportDirectory(params.reportDir), tag: jobExecutionId });
          return 'FINISHED';
        },
      }),
      taskletStep<Params>({
        name: 'writeWeeklyReportStep',
        tasklet: async ({ db, params, timeZone, jobExecutionId }, tx) => {
          await writeWeeklyReports({ tx, dialect: db.dialect, from: params.from, to: params.to, timeZone, directory: reportDirectory(params.reportDir), tag: jobExecutionId });
          return 'FINISHED';
        },
      }),
    ]),
  ],
});
