// expirePassesJob on N passes, half of them due (a quarter by their end, a quarter by their
// uses; an eighth of the due ones still READY), the other half in use and not due (some with
// no end, some unlimited). Limit: the job's two UPDATE ... WHERE statements (expire, start) with
// no engine. Loop: read the due passes' keys, UPDATE each by key with autocommit. Goal (issue
// 6): ≤ 1.5× the single UPDATE; and the job at N ≤ 11× the job at N/10 (the scaling row).
import { toDbTime } from '../main/batch/index.ts';
import { expirePassesJob } from '../main/pass/jobs/expirePassesJob.ts';
import { dueToExpire, dueToStart, passDb } from '../main/pass/passQueries.ts';
import { PassStatus } from '../main/pass/schema.ts';
import { row } from './benchmark.ts';
import { DATA_NOW, passBenchmark, stepTimes, type RunContext } from './passBench.ts';
import { at, emptyTables, insertFromNumbers, scalar, settle } from './passData.ts';
import { log, round } from './support.ts';

const DAY = 86_400_000;
const SCALING_GOAL = 11;

async function prepare({ db, size }: RunContext): Promise<number> {
  await emptyTables(db, ['pass']);
  const past = at(new Date(DATA_NOW.getTime() - 10 * DAY));
  const ended = at(new Date(DATA_NOW.getTime() - DAY));
  const future = at(new Date(DATA_NOW.getTime() + 30 * DAY));
  await insertFromNumbers(
    db,
    'pass',
    {
      pass_seq: 'n',
      package_seq: '1 + n % 3',
      user_id: db.dialect === 'mysql' ? "CONCAT('m', n % 50000)" : "('m' || (n % 50000))",
      // even: due (n % 4 = 0 by its end, n % 4 = 2 by its uses; n % 8 = 0 still READY); odd: in use, not due
      status: `CASE WHEN n % 8 = 0 THEN 'READY' ELSE 'PROGRESSED' END`,
      remaining_count: `CASE WHEN n % 4 = 2 THEN 0 WHEN n % 10 = 3 THEN NULL ELSE 5 END`,
      started_at: past,
      ended_at: `CASE WHEN n % 4 = 0 THEN ${ended} WHEN n % 10 = 1 THEN NULL ELSE ${future} END`,
      created_at: past,
    },
    1,
    size,
  );
  await settle(db);
  return Math.floor(size / 2);
}

/** Exactly the even passes EXPIRED, at the run's now; the odd ones untouched. */
async function check({ db, now }: RunContext, items: number): Promise<string | null> {
  const t = at(now);
  const expired = await scalar(db, `SELECT COUNT(*) FROM pass WHERE status = 'EXPIRED' AND expired_at = ${t} AND modified_at = ${t} AND pass_seq % 2 = 0`);
  const wrong = await scalar(db, `SELECT COUNT(*) FROM pass WHERE (pass_seq % 2 = 1 AND (status <> 'PROGRESSED' OR modified_at IS NOT NULL)) OR (pass_seq % 2 = 0 AND status <> 'EXPIRED')`);
  return expired === items && wrong === 0 ? null : `${expired} of ${items} due passes expired at now, ${wrong} passes in the wrong state`;
}

export default passBenchmark({
  name: 'expirePasses',
  description: 'expirePassesJob: N passes, half due, vs the single UPDATE (goal ≤ 1.5×; N vs N/10 ≤ 11×)',
  job: expirePassesJob,
  sizes: { small: 20_000, default: 100_000, full: 1_000_000 },
  sample: { small: 500, default: 2_000, full: 2_000 },
  goal: { ratioAtMost: 1.5 },
  workload: (n) => `${n.toLocaleString('en-US')} passes, half due`,
  prepare,
  params: ({ now }) => ({ now }),
  check,
  limitText: 'UPDATE pass ... WHERE due to expire; UPDATE ... WHERE due to start; one transaction',
  async limit({ db, now }) {
    const t = toDbTime(now);
    await passDb(db)
      .transaction()
      .execute(async (tx) => {
        await tx.updateTable('pass').set({ status: PassStatus.EXPIRED, expired_at: t, modified_at: t }).where(dueToExpire(now)).execute();
        await tx.updateTable('pass').set({ status: PassStatus.PROGRESSED, modified_at: t }).where(dueToStart(now)).execute();
      });
  },
  async loop({ db, now }, sample) {
    const t = toDbTime(now);
    const due = await passDb(db).selectFrom('pass').select('pass_seq').where(dueToExpire(now)).orderBy('pass_seq').limit(sample).execute();
    for (const { pass_seq } of due) {
      await passDb(db).updateTable('pass').set({ status: PassStatus.EXPIRED, expired_at: t, modified_at: t }).where('pass_seq', '=', pass_seq).execute();
    }
    return due.length;
  },
  /** time at N ÷ time at N/10 (goal ≤ 11×): the same job on a tenth of the passes, fresh data. */
  async extra({ size, scale }, tools, measured) {
    const big = measured;
    const small = await tools.runJob(Math.round(size / 10));
    const ratio = big.seconds / small.seconds;
    const at = scale === 'full' ? '' : ' (stated at 1,000,000 vs 100,000, the full scale)';
    const verdict = ratio <= SCALING_GOAL ? `goal ≤ ${SCALING_GOAL}× met${at}` : `goal ≤ ${SCALING_GOAL}× missed by ${(ratio / SCALING_GOAL).toFixed(2)}×${at}`;
    log(`expirePasses: scaling ${big.items} items ${big.seconds.toFixed(3)} s vs ${small.items} items ${small.seconds.toFixed(3)} s: ${ratio.toFixed(2)}× (${verdict})`);
    return [
      row({
        job: `expirePassesJob scaling (N vs N/10)`,
        db: '',
        items: big.items,
        seconds: round(big.seconds, 3),
        itemsPerSecond: Math.round(big.items / big.seconds),
        ratioToLimit: round(ratio, 2),
        baselineSeconds: round(small.seconds, 3),
        note:
          `baseline = the job on ${small.items.toLocaleString('en-US')} items (a tenth), fresh data, same run; ratio = time at N ÷ time at N/10; ${verdict}; ` +
          `N: the job's row above; N/10: ${stepTimes(small.steps)}`,
      }),
    ];
  },
});
