// usePassesJob on B completed bookings spread over B × 3/10 passes (3.3 a pass; a pass starts
// with 3 to 7 uses, so some run down to 0 and stop there; every 10th pass is unlimited), plus
// B/10 bookings not due (cancelled, or a class still ahead). Before each run the expected
// remaining count of every pass is put in bench_expected by one GROUP BY; after it every pass
// must hold exactly that and every due booking must be marked used. Limit: one UPDATE of the
// passes joined to the per-pass counts, one UPDATE of the bookings. Loop: per booking, mark it
// used and take one use off its pass, two autocommitted UPDATEs. Goal (issue 6): ≥ 20,000 bookings/s.
import { toDbTime } from '../main/batch/index.ts';
import { PASS_WORKER_FILE, usePassesJob } from '../main/pass/jobs/usePassesJob.ts';
import { dueForDeduction, passDb } from '../main/pass/passQueries.ts';
import { passBenchmark, DATA_NOW, type RunContext } from './passBench.ts';
import { at, concat, emptyTables, exec, insertFromNumbers, larger, same, scalar, settle } from './passData.ts';

const HOUR = 3_600_000;
const PARTITIONS = 2;

const passesFor = (bookings: number) => Math.max(1, Math.round((bookings * 3) / 10));

/** The bookings due for deduction as of `now`, in SQL. */
const dueSql = (now: Date) => `status = 'COMPLETED' AND used_pass = 0 AND ended_at <= ${at(now)}`;

export async function prepare({ db, size, now }: RunContext): Promise<number> {
  const d = db.dialect;
  const passes = passesFor(size);
  await emptyTables(db, ['booking', 'pass']);
  await exec(db, `DROP TABLE IF EXISTS bench_expected`);
  const past = at(new Date(DATA_NOW.getTime() - 7 * 24 * HOUR));
  await insertFromNumbers(
    db,
    'pass',
    {
      pass_seq: 'n',
      package_seq: '1',
      user_id: concat(d, "'m'", 'n'),
      status: "'PROGRESSED'",
      remaining_count: 'CASE WHEN n % 10 = 0 THEN NULL ELSE 3 + n % 5 END',
      started_at: past,
      ended_at: at(new Date(DATA_NOW.getTime() + 30 * 24 * HOUR)),
      created_at: past,
    },
    1,
    passes,
  );
  // due: bookings 1..size, scattered over the passes (7919 is prime, so neighbours land on different passes)
  const passOf = `1 + (n * 7919) % ${passes}`;
  await insertFromNumbers(
    db,
    'booking',
    {
      booking_seq: 'n',
      pass_seq: passOf,
      user_id: concat(d, "'m'", passOf),
      status: "'COMPLETED'",
      used_pass: '0',
      attended: 'CASE WHEN n % 3 = 0 THEN 0 ELSE 1 END',
      started_at: at(new Date(DATA_NOW.getTime() - 3 * HOUR)),
      ended_at: at(new Date(DATA_NOW.getTime() - 2 * HOUR)),
      created_at: past,
    },
    1,
    size,
  );
  // not due: cancelled, or ahead
  await insertFromNumbers(
    db,
    'booking',
    {
      booking_seq: 'n',
      pass_seq: passOf,
      user_id: concat(d, "'m'", passOf),
      status: "CASE WHEN n % 2 = 0 THEN 'CANCELLED' ELSE 'READY' END",
      used_pass: '0',
      attended: '0',
      started_at: at(new Date(DATA_NOW.getTime() + 20 * HOUR)),
      ended_at: at(new Date(DATA_NOW.getTime() + 21 * HOUR)),
      created_at: past,
    },
    size + 1,
    size + Math.floor(size / 10),
  );
  // what every pass must hold afterwards
  await exec(db, `CREATE TABLE bench_expected (pass_seq BIGINT NOT NULL PRIMARY KEY, remaining_count INTEGER)`);
  await exec(
    db,
    `INSERT INTO bench_expected (pass_seq, remaining_count) ` +
      `SELECT p.pass_seq, CASE WHEN p.remaining_count IS NULL THEN NULL ELSE ${larger(d, 'p.remaining_count - COALESCE(c.uses, 0)', '0')} END ` +
      `FROM pass p LEFT JOIN (SELECT pass_seq, COUNT(*) AS uses FROM booking WHERE ${dueSql(now)} GROUP BY pass_seq) c ON c.pass_seq = p.pass_seq`,
  );
  await settle(db);
  return size;
}

export async function check({ db, now }: RunContext, items: number): Promise<string | null> {
  const d = db.dialect;
  const wrongPasses = await scalar(db, `SELECT COUNT(*) FROM pass p JOIN bench_expected e ON e.pass_seq = p.pass_seq WHERE NOT ${same(d, 'p.remaining_count', 'e.remaining_count')}`);
  const used = await scalar(db, `SELECT COUNT(*) FROM booking WHERE used_pass = 1 AND status = 'COMPLETED' AND booking_seq <= ${items}`);
  const stray = await scalar(db, `SELECT COUNT(*) FROM booking WHERE used_pass = 1 AND booking_seq > ${items}`);
  const left = await scalar(db, `SELECT COUNT(*) FROM booking WHERE ${dueSql(now)}`);
  return wrongPasses === 0 && used === items && stray === 0 && left === 0
    ? null
    : `${wrongPasses} passes with a wrong remaining count, ${used} of ${items} bookings used, ${stray} not-due bookings used, ${left} still due`;
}

export default passBenchmark({
  name: 'usePasses',
  description: 'usePassesJob: B completed bookings over 0.3 B passes, every deduction checked (goal ≥ 20,000 bookings/s)',
  job: usePassesJob,
  sizes: { small: 2_000, default: 10_000, full: 100_000 },
  sample: { small: 500, default: 2_000, full: 2_000 },
  goal: { perSecondAtLeast: 20_000 },
  workload: (n) => `${n.toLocaleString('en-US')} completed bookings over ${passesFor(n).toLocaleString('en-US')} passes (+${Math.floor(n / 10).toLocaleString('en-US')} not due)`,
  prepare,
  params: ({ now }) => ({ now, partitions: PARTITIONS }),
  check,
  limitText: 'UPDATE pass joined to per-pass COUNT(*) of due bookings; UPDATE booking SET used_pass = 1 WHERE due; one transaction',
  async limit({ db, now }) {
    const d = db.dialect;
    const counts = `SELECT pass_seq, COUNT(*) AS uses FROM booking WHERE ${dueSql(now)} GROUP BY pass_seq`;
    await db.kysely.transaction().execute(async (tx) => {
      await exec(
        tx,
        d === 'mysql'
          ? `UPDATE pass p JOIN (${counts}) c ON c.pass_seq = p.pass_seq SET p.remaining_count = GREATEST(p.remaining_count - c.uses, 0), p.modified_at = ${at(now)} WHERE p.remaining_count IS NOT NULL`
          : `UPDATE pass SET remaining_count = MAX(remaining_count - c.uses, 0), modified_at = ${at(now)} FROM (${counts}) AS c WHERE c.pass_seq = pass.pass_seq AND pass.remaining_count IS NOT NULL`,
      );
      await exec(tx, `UPDATE booking SET used_pass = 1, modified_at = ${at(now)} WHERE ${dueSql(now)}`);
    });
  },
  async loop({ db, now }, sample) {
    const due = await passDb(db).selectFrom('booking').select(['booking_seq', 'pass_seq']).where(dueForDeduction(now)).orderBy('booking_seq').limit(sample).execute();
    for (const b of due) {
      await passDb(db).updateTable('booking').set({ used_pass: 1, modified_at: toDbTime(now) }).where('booking_seq', '=', b.booking_seq).execute();
      await exec(db, `UPDATE pass SET remaining_count = ${larger(db.dialect, 'remaining_count - 1', '0')}, modified_at = ${at(now)} WHERE pass_seq = ${Number(b.pass_seq)} AND remaining_count IS NOT NULL`);
    }
    return due.length;
  },
  workerFile: PASS_WORKER_FILE,
  note: () => `${PARTITIONS} partitions (the job's default) on Piscina worker threads (workers/passWorker.ts, maxThreads 4), chunk 1,000`,
});
