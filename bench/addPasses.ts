// addPassesJob on one bulk grant due now for a group of N members (every 20th INACTIVE, so
// N − N/20 passes). Limit: read the grant and its package, one INSERT ... SELECT of the passes
// from the group's ACTIVE members, one UPDATE marking the grant COMPLETED, in one transaction.
// Loop: read the members, INSERT each pass with autocommit. Goal (issue 6): ≤ 1.5× INSERT ... SELECT.
import { fromDbTime, toDbTime } from '../main/batch/index.ts';
import { addPassesJob } from '../main/pass/jobs/addPassesJob.ts';
import { addDays, passDb } from '../main/pass/passQueries.ts';
import { passBenchmark, DATA_NOW, type RunContext } from './passBench.ts';
import { at, emptyTables, exec, insertMembers, q, scalar, settle } from './passData.ts';

const HOUR = 3_600_000;
const GROUP = 'G-BENCH';
const COUNT = 10;
const PERIOD_DAYS = 30;
const grantStart = new Date(DATA_NOW.getTime() - HOUR);

async function prepare({ db, size }: RunContext): Promise<number> {
  await emptyTables(db, ['pass', 'bulk_pass', 'package', 'user_group_mapping', 'user']);
  await insertMembers(db, size, 20);
  await exec(
    db,
    `INSERT INTO user_group_mapping (user_group_id, user_id, user_group_name, description, created_at) ` +
      `SELECT '${GROUP}', user_id, '벤치 그룹', 'benchmark group', ${at(DATA_NOW)} FROM ${q(db.dialect, 'user')}`,
  );
  await exec(db, `INSERT INTO package (package_seq, package_name, count, period, created_at) VALUES (1, 'PT ${COUNT}회', ${COUNT}, ${PERIOD_DAYS}, ${at(DATA_NOW)})`);
  await exec(
    db,
    `INSERT INTO bulk_pass (bulk_pass_seq, package_seq, user_group_id, status, count, started_at, ended_at, created_at) ` +
      `VALUES (1, 1, '${GROUP}', 'READY', NULL, ${at(grantStart)}, NULL, ${at(DATA_NOW)})`,
  );
  await settle(db);
  return size - Math.floor(size / 20);
}

/** Every ACTIVE member exactly one pass with the package's count and period, no INACTIVE one; the grant COMPLETED. */
async function check({ db }: RunContext, items: number): Promise<string | null> {
  const ends = at(addDays(grantStart, PERIOD_DAYS));
  const right = await scalar(
    db,
    `SELECT COUNT(*) FROM pass p JOIN ${q(db.dialect, 'user')} u ON u.user_id = p.user_id ` +
      `WHERE u.status = 'ACTIVE' AND p.bulk_pass_seq = 1 AND p.package_seq = 1 AND p.status = 'PROGRESSED' AND p.remaining_count = ${COUNT} ` +
      `AND p.started_at = ${at(grantStart)} AND p.ended_at = ${ends}`,
  );
  const all = await scalar(db, 'SELECT COUNT(*) FROM pass');
  const completed = await scalar(db, `SELECT COUNT(*) FROM bulk_pass WHERE bulk_pass_seq = 1 AND status = 'COMPLETED'`);
  return right === items && all === items && completed === 1 ? null : `${right} right passes of ${items} (${all} in all), grant COMPLETED: ${completed === 1}`;
}

export default passBenchmark({
  name: 'addPasses',
  description: 'addPassesJob: one bulk grant to an N-member group vs INSERT ... SELECT (goal ≤ 1.5×)',
  job: addPassesJob,
  sizes: { small: 2_000, default: 10_000, full: 100_000 },
  sample: { small: 500, default: 2_000, full: 2_000 },
  goal: { ratioAtMost: 1.5 },
  workload: (n) => `a ${n.toLocaleString('en-US')}-member group, every 20th member INACTIVE`,
  prepare,
  async reset({ db }) {
    await emptyTables(db, ['pass']);
    await exec(db, `UPDATE bulk_pass SET status = 'READY', modified_at = NULL`);
  },
  params: ({ now }) => ({ now, bulkPassSeq: 0 }),
  check,
  limitText: 'SELECT the grant; INSERT INTO pass ... SELECT from the group ACTIVE members; UPDATE bulk_pass; one transaction',
  async limit({ db, now }) {
    const d = db.dialect;
    await passDb(db)
      .transaction()
      .execute(async (tx) => {
        const grant = await tx
          .selectFrom('bulk_pass')
          .innerJoin('package', 'package.package_seq', 'bulk_pass.package_seq')
          .select(['bulk_pass.bulk_pass_seq', 'bulk_pass.package_seq', 'bulk_pass.user_group_id', 'bulk_pass.count', 'bulk_pass.started_at', 'bulk_pass.ended_at', 'package.count as package_count', 'package.period as package_period'])
          .where('bulk_pass.status', '=', 'READY')
          .where('bulk_pass.started_at', '<=', toDbTime(now))
          .orderBy('bulk_pass.bulk_pass_seq')
          .limit(1)
          .executeTakeFirstOrThrow();
        const startedAt = fromDbTime(grant.started_at);
        const endedAt = grant.ended_at ?? (grant.package_period === null ? null : toDbTime(addDays(startedAt, Number(grant.package_period))));
        const count = grant.count ?? grant.package_count;
        await exec(
          tx,
          `INSERT INTO pass (package_seq, user_id, status, remaining_count, started_at, ended_at, bulk_pass_seq, created_at) ` +
            `SELECT ${Number(grant.package_seq)}, m.user_id, '${startedAt > now ? 'READY' : 'PROGRESSED'}', ${count === null ? 'NULL' : Number(count)}, ` +
            `${at(startedAt)}, ${endedAt === null ? 'NULL' : `'${endedAt}'`}, ${Number(grant.bulk_pass_seq)}, ${at(now)} ` +
            `FROM user_group_mapping m JOIN ${q(d, 'user')} u ON u.user_id = m.user_id WHERE m.user_group_id = '${grant.user_group_id}' AND u.status = 'ACTIVE'`,
        );
        await tx.updateTable('bulk_pass').set({ status: 'COMPLETED', modified_at: toDbTime(now) }).where('bulk_pass_seq', '=', grant.bulk_pass_seq).execute();
      });
  },
  async loop({ db, now }, sample) {
    const members = await passDb(db)
      .selectFrom('user_group_mapping')
      .innerJoin('user', 'user.user_id', 'user_group_mapping.user_id')
      .select('user_group_mapping.user_id')
      .where('user_group_mapping.user_group_id', '=', GROUP)
      .where('user.status', '=', 'ACTIVE')
      .orderBy('user_group_mapping.user_id')
      .limit(sample)
      .execute();
    for (const { user_id } of members) {
      await passDb(db)
        .insertInto('pass')
        .values({
          package_seq: 1,
          user_id,
          status: 'PROGRESSED',
          remaining_count: COUNT,
          started_at: toDbTime(grantStart),
          ended_at: toDbTime(addDays(grantStart, PERIOD_DAYS)),
          bulk_pass_seq: 1,
          created_at: toDbTime(now),
        })
        .execute();
    }
    return members.length;
  },
});
