// makeStatisticsJob on B bookings ended over the 60 days before today (Seoul), spread evenly and
// laid out in booking_seq order by class time (every 10th CANCELLED, two in three of the rest
// attended), then both reports (the daily one for the window, the weekly ones for every week it
// touches). Limit: one INSERT ... SELECT ... GROUP BY hour with an upsert into statistics, no
// reports. Loop: per booking, compute its hour and upsert +1 into statistics with autocommit.
// Goal (issue 6): the job, reports included, ≤ 2× the one GROUP BY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { fromDbTime, toDbTime, type Dialect } from '../main/batch/index.ts';
import { BOOKINGS_PER_CALL, makeStatisticsJob } from '../main/pass/jobs/makeStatisticsJob.ts';
import { hourBucket, hourShiftMinutes } from '../main/pass/reports/hourlyStatistics.ts';
import { passBenchmark, DATA_NOW, type RunContext } from './passBench.ts';
import { at, concat, emptyTables, exec, insertFromNumbers, scalar, settle } from './passData.ts';

const TIME_ZONE = 'Asia/Seoul';
const DAYS = 60;
const to = DateTime.fromJSDate(DATA_NOW, { zone: TIME_ZONE }).startOf('day');
const from = to.minus({ days: DAYS });
const WINDOW = { from: from.toJSDate(), to: to.toJSDate() };
const SHIFT = hourShiftMinutes(TIME_ZONE, WINDOW.from);
const HOURS = DAYS * 24;
let reportDir = '';

async function prepare({ db, size }: RunContext): Promise<number> {
  const d = db.dialect;
  await emptyTables(db, ['report', 'statistics', 'booking']);
  const span = DAYS * 86_400;
  // ended_at = from + (n − 1) × span / B seconds: even over the window, in booking_seq order
  const offset = d === 'mysql' ? `((n - 1) * ${span}) DIV ${size}` : `((n - 1) * ${span}) / ${size}`;
  const ended = d === 'mysql' ? `(TIMESTAMP(${at(WINDOW.from)}) + INTERVAL (${offset}) SECOND)` : `strftime('%Y-%m-%d %H:%M:%f', ${at(WINDOW.from)}, (${offset}) || ' seconds')`;
  const started = d === 'mysql' ? `(TIMESTAMP(${at(WINDOW.from)}) + INTERVAL (${offset} - 3000) SECOND)` : `strftime('%Y-%m-%d %H:%M:%f', ${at(WINDOW.from)}, (${offset} - 3000) || ' seconds')`;
  await insertFromNumbers(
    db,
    'booking',
    {
      booking_seq: 'n',
      pass_seq: '1 + n % 5000',
      user_id: concat(d, "'m'", '1 + n % 5000'),
      status: "CASE WHEN n % 10 = 0 THEN 'CANCELLED' ELSE 'COMPLETED' END",
      used_pass: "CASE WHEN n % 10 = 0 THEN 0 ELSE 1 END",
      attended: 'CASE WHEN n % 10 <> 0 AND n % 3 <> 0 THEN 1 ELSE 0 END',
      started_at: started,
      ended_at: ended,
      cancelled_at: `CASE WHEN n % 10 = 0 THEN ${started} ELSE NULL END`,
      created_at: at(WINDOW.from),
    },
    1,
    size,
  );
  await settle(db);
  return size;
}

/** The gym's hour of `ended_at` as the job's SQL computes it (Seoul: the UTC hour). */
const bucketSql = (d: Dialect) =>
  d === 'mysql'
    ? `DATE_FORMAT(ended_at - INTERVAL ${SHIFT} MINUTE, '%Y-%m-%d %H:00:00.000')`
    : `strftime('%Y-%m-%d %H:00:00.000', ended_at, '-${SHIFT} minutes')`;

const countsSql = (d: Dialect) =>
  `SELECT ${bucketSql(d)} AS bucket, COUNT(*) AS all_count, SUM(CASE WHEN attended = 1 THEN 1 ELSE 0 END) AS attended_count, ` +
  `SUM(CASE WHEN status = 'CANCELLED' THEN 1 ELSE 0 END) AS cancelled_count FROM booking ` +
  `WHERE ended_at >= ${at(WINDOW.from)} AND ended_at < ${at(WINDOW.to)} GROUP BY ${bucketSql(d)}`;

type Counts = { bucket: string; all_count: number; attended_count: number; cancelled_count: number };

/**
 * statistics holds exactly what one GROUP BY over the bookings gives (the job also writes rows of
 * zeros: for the hours of the weeks its weekly reports reach outside the window, which hold no
 * bookings here); the job's reports are there and complete.
 */
async function check({ db }: RunContext, items: number, what: 'job' | 'limit'): Promise<string | null> {
  if (SHIFT !== 0) return `the benchmark assumes a whole-hour time zone (${TIME_ZONE} is ${SHIFT} minutes off)`;
  const expected = new Map((await exec<Counts>(db, countsSql(db.dialect))).rows.map((r) => [fromDbTime(String(r.bucket)).getTime(), r]));
  const { rows } = await exec<{ statistics_at: string; all_count: number; attended_count: number; cancelled_count: number }>(
    db,
    'SELECT statistics_at, all_count, attended_count, cancelled_count FROM statistics WHERE all_count <> 0',
  );
  let wrong = 0;
  let total = 0;
  for (const r of rows) {
    const e = expected.get(fromDbTime(r.statistics_at).getTime());
    total += Number(r.all_count);
    if (!e || Number(e.all_count) !== Number(r.all_count) || Number(e.attended_count) !== Number(r.attended_count) || Number(e.cancelled_count) !== Number(r.cancelled_count)) wrong++;
  }
  const problems = [];
  if (rows.length !== expected.size || wrong || total !== items) problems.push(`${rows.length} hour rows for ${expected.size} hours, ${wrong} wrong, ${total} bookings counted of ${items}`);
  if (what === 'job') {
    const daily = await scalar(db, `SELECT COUNT(*) FROM report WHERE kind = 'DAILY' AND row_count = ${HOURS} AND period_from = ${at(WINDOW.from)}`);
    let weeks = 0;
    for (let week = from.startOf('week'); week < to; week = week.plus({ weeks: 1 })) weeks++;
    const weekly = await scalar(db, `SELECT COUNT(*) FROM report WHERE kind = 'WEEKLY' AND row_count = 7`);
    if (daily !== 1 || weekly !== weeks) problems.push(`${daily} daily reports of ${HOURS} hours (1 expected), ${weekly} weekly reports (${weeks} expected)`);
  }
  return problems.length ? problems.join('; ') : null;
}

let reruns = 0;

export default passBenchmark({
  name: 'statistics',
  description: 'makeStatisticsJob: B bookings over 60 days plus both reports vs one GROUP BY (goal ≤ 2×)',
  job: makeStatisticsJob,
  sizes: { small: 20_000, default: 100_000, full: 1_000_000 },
  sample: { small: 500, default: 2_000, full: 2_000 },
  goal: { ratioAtMost: 2 },
  workload: (n) => `${n.toLocaleString('en-US')} bookings ended over ${DAYS} days (${HOURS.toLocaleString('en-US')} hours) in class order, plus the daily and weekly reports`,
  async setup() {
    // reports may be written only inside the data folder (or a folder an admin allowed): this
    // process's own, as in the importMembers benchmark
    const before = process.env.PASS_DATA_DIR;
    reportDir = mkdtempSync(join(tmpdir(), 'pc-bench-reports-'));
    process.env.PASS_DATA_DIR = reportDir;
    return async () => {
      if (before === undefined) delete process.env.PASS_DATA_DIR;
      else process.env.PASS_DATA_DIR = before;
      rmSync(reportDir, { recursive: true, force: true });
    };
  },
  prepare,
  async reset({ db }) {
    await emptyTables(db, ['report', 'statistics']);
  },
  params: () => ({ from: WINDOW.from, to: WINDOW.to, rerun: ++reruns, reportDir }),
  check,
  limitText: 'INSERT INTO statistics ... SELECT hour, COUNT(*), SUM(attended), SUM(cancelled) ... GROUP BY hour with an upsert; no reports',
  async limit({ db }) {
    const now = at(new Date());
    const d = db.dialect;
    const select = countsSql(d).replace(' AS cancelled_count FROM', ` AS cancelled_count, ${now} AS created_at, ${now} AS modified_at FROM`);
    await exec(
      db,
      `INSERT INTO statistics (statistics_at, all_count, attended_count, cancelled_count, created_at, modified_at) ${select} ` +
        (d === 'mysql'
          ? 'ON DUPLICATE KEY UPDATE all_count = VALUES(all_count), attended_count = VALUES(attended_count), cancelled_count = VALUES(cancelled_count), modified_at = VALUES(modified_at)'
          : 'ON CONFLICT (statistics_at) DO UPDATE SET all_count = excluded.all_count, attended_count = excluded.attended_count, cancelled_count = excluded.cancelled_count, modified_at = excluded.modified_at'),
    );
  },
  async loop({ db }, sample) {
    const d = db.dialect;
    const { rows } = await exec<{ booking_seq: number; ended_at: string; attended: number; status: string }>(
      db,
      `SELECT booking_seq, ended_at, attended, status FROM booking WHERE ended_at >= ${at(WINDOW.from)} AND ended_at < ${at(WINDOW.to)} ORDER BY booking_seq LIMIT ${sample}`,
    );
    const now = at(new Date());
    for (const b of rows) {
      const hour = at(hourBucket(fromDbTime(b.ended_at), SHIFT));
      const attended = Number(b.attended) === 1 ? 1 : 0;
      const cancelled = b.status === 'CANCELLED' ? 1 : 0;
      await exec(
        db,
        `INSERT INTO statistics (statistics_at, all_count, attended_count, cancelled_count, created_at, modified_at) VALUES (${hour}, 1, ${attended}, ${cancelled}, ${now}, ${now}) ` +
          (d === 'mysql'
            ? `ON DUPLICATE KEY UPDATE all_count = all_count + 1, attended_count = attended_count + ${attended}, cancelled_count = cancelled_count + ${cancelled}`
            : `ON CONFLICT (statistics_at) DO UPDATE SET all_count = all_count + 1, attended_count = attended_count + ${attended}, cancelled_count = cancelled_count + ${cancelled}`),
      );
    }
    return rows.length;
  },
  note: () => `window ${toDbTime(WINDOW.from)} – ${toDbTime(WINDOW.to)} UTC; calls of about ${BOOKINGS_PER_CALL.toLocaleString('en-US')} bookings, each counting its hours one by one`,
});
