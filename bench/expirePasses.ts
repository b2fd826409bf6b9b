// expirePassesJob on N passes, half of them due (a quarter by their end, a quarter by their
// uses; an eighth of the due ones still READY), the other half in use and not due (some with
// no end, some unlimited). Limit: the job's two UPDATE ... WHERE statements (expire, start) with
// no engine. Loop: read the due passes' keys, UPDATE each by key with autocommit. Goal (issue
// 6): ≤ 1.5× the single UPDATE; and the job at N ≤ 11× the job at N/10 (the scaling row); both
// in each of three runs (issue 15), whose spread the notes print.
import { toDbTime } from '../main/batch/index.ts';
import { expirePassesJob } from '../main/pass/jobs/expirePassesJob.ts';
import { dueToExpire, dueToStart, passDb } from '../main/pass/passQueries.ts';
import { PassStatus } from '../main/pass/schema.ts';
import { row } from './benchmark.ts';
import { DATA_NOW, passBenchmark, spread, stepTimes, type RunContext } from './passBench.ts';
import { at, emptyTables, insertFromNumbers, scalar, settle } from './passData.ts';
import { log, median, round } from './support.ts';

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
  // issue 15: the goals hold over three runs, and the row says how far the runs spread
  runs: 3,
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
  /** time at N ÷ time at N/10 (goal ≤ 11× in every run): the same job on a tenth of the passes, fresh data, as many times as at N. */
  async extra({ size, scale }, tools, measured) {
    const smalls: Array<Awaited<ReturnType<typeof tools.runJob>>> = [];
    for (let i = 0; i < measured.runs.length; i++) smalls.push(await tools.runJob(Math.round(size / 10)));
    const ratios = measured.runs.map((r, i) => r.seconds / smalls[i]!.seconds);
    const worst = Math.max(...ratios);
    const smallSeconds = median(smalls.map((r) => r.seconds));
    const at = scale === 'full' ? '' : ' (stated at 1,000,000 vs 100,000, the full scale)';
    const runs = ratios.length > 1 ? ` (its worst of ${ratios.length} runs)` : '';
    const verdict = worst <= SCALING_GOAL ? `goal ≤ ${SCALING_GOAL}× met${runs}${at}` : `goal ≤ ${SCALING_GOAL}× missed by ${(worst / SCALING_GOAL).toFixed(2)}×${runs}${at}`;
    log(`expirePasses: scaling ${measured.items} items ${measured.seconds.toFixed(3)} s vs ${smalls[0]!.items} items ${smallSeconds.toFixed(3)} s: ${spread(ratios)} (${verdict})`);
    return [
      row({
        job: `expirePassesJob scaling (N vs N/10)`,
        db: '',
        items: measured.items,
        seconds: round(measured.seconds, 3),
        itemsPerSecond: Math.round(measured.items / measured.seconds),
        ratioToLimit: round(median(ratios), 2),
        baselineSeconds: round(smallSeconds, 3),
        note:
          `baseline = the job on ${smalls[0]!.items.toLocaleString('en-US')} items (a tenth), fresh data, same run; ratio = time at N ÷ time at N/10; ${verdict}; ` +
          (ratios.length > 1 ? `ratios by run ${spread(ratios)}; N/10 ${spread(smalls.map((r) => r.seconds), ' s')}; ` : '') +
          `N: the job's row above; N/10: ${stepTimes(smalls[0]!.steps)}`,
      }),
    ];
  },
});
