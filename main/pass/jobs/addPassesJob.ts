// 이용권 일괄 지급: one tasklet, called once per batch of members. Each call grants the current
// bulk grant's pass to the next batch of ACTIVE members of its group (by user_id, one
// INSERT ... SELECT in the database) and saves the last user_id in the step's context in the
// same transaction, so a crash and a restart resume
// exactly after the last committed batch. The batch that finds no more members marks the grant
// COMPLETED, again in the same transaction. UNIQUE (bulk_pass_seq, user_id) with an INSERT that
// ignores duplicates makes a second run, or two runs at once, grant nobody twice.
import {
  dateTimeParam,
  defineJob,
  forUpdate,
  fromDbTime,
  insertIgnore,
  numberParam,
  taskletStep,
  toDbTime,
  type Dialect,
  type StepContext,
  type TaskletResult,
  type ValuesOf,
} from '../../batch/index.ts';
import type { Transaction } from 'kysely';
import { addDays, passDb, passTx, type PassTx } from '../passQueries.ts';
import { BulkPassStatus, PassStatus, UserStatus, type NewPass } from '../schema.ts';

const params = {
  now: dateTimeParam({
    default: 'now',
    description: { ko: '시작일이 이 시각 이전인 일괄 지급을 처리합니다', en: 'Bulk grants due by this moment are granted' },
  }),
  bulkPassSeq: numberParam({
    default: 0,
    integer: true,
    min: 0,
    description: { ko: '이 일괄 지급만 처리합니다 (0: 예정된 모든 지급)', en: 'Grant only this bulk grant (0: every one that is due)' },
  }),
};
type Params = ValuesOf<typeof params>;

/** What the step's context holds between calls (and across a restart). */
interface GrantProgress {
  /** the grant being worked through, and the last member it was given to */
  current?: { bulkPassSeq: number; afterUserId: string | null } | null;
  /** passes created so far by this step, and grants completed */
  granted?: number;
  completedGrants?: number;
}

/**
 * Members per call: one transaction inserts this many passes at most. 1,000 made a 100,000-member
 * grant 2.8× (SQLite) and 2.4× (MariaDB) one INSERT ... SELECT; 10,000 makes it 1.2–1.5× (bench/README.md).
 */
export const GRANT_BATCH_SIZE = 10000;

async function grantNextBatch(ctx: StepContext<Params>, transaction: Transaction<any>): Promise<TaskletResult> {
  const tx = passTx(transaction);
  const { now, bulkPassSeq } = ctx.params;
  const progress = ctx.executionContext as GrantProgress;
  const grant = await lockGrant(tx, ctx.db.dialect, progress.current?.bulkPassSeq ?? null, bulkPassSeq, now);
  if (!grant) {
    progress.current = null;
    return 'FINISHED';
  }
  // A grant other than the saved one (the saved one was finished or cancelled meanwhile) starts from its first member.
  const afterUserId = progress.current?.bulkPassSeq === grant.bulk_pass_seq ? progress.current.afterUserId : null;

  // The next batch of members gets its passes in the database, INSERT ... SELECT in user_id
  // order: no member row travels to this process and back.
  const pass = passFor(grant, now);
  const result = await insertIgnore(ctx.db.dialect, tx, 'pass')
    .columns(['package_seq', 'user_id', 'status', 'remaining_count', 'started_at', 'ended_at', 'bulk_pass_seq', 'created_at'])
    .expression(
      activeMembersOf(tx, grant.user_group_id, afterUserId)
        .select((eb) => [
          eb.val(pass.package_seq).as('package_seq'),
          'user_group_mapping.user_id',
          eb.val(pass.status).as('status'),
          eb.val(pass.remaining_count).as('remaining_count'),
          eb.val(pass.started_at).as('started_at'),
          eb.val(pass.ended_at).as('ended_at'),
          eb.val(pass.bulk_pass_seq).as('bulk_pass_seq'),
          eb.val(pass.created_at).as('created_at'),
        ])
        .orderBy('user_group_mapping.user_id')
        .limit(GRANT_BATCH_SIZE),
    )
    .executeTakeFirst();
  const inserted = Number(result.numInsertedOrUpdatedRows ?? 0);
  const batch = await grantedAfter(tx, grant.bulk_pass_seq, afterUserId);
  progress.granted = (progress.granted ?? 0) + inserted;
  // Members granted this call (whether now or by a run before; at most a batch, though a run
  // alongside may have gone further), passes written: the step's read/write counts on the console.
  ctx.contribution.readCount += Math.min(batch.count, GRANT_BATCH_SIZE);
  ctx.contribution.writeCount += inserted;
  if (batch.count < GRANT_BATCH_SIZE) {
    await tx
      .updateTable('bulk_pass')
      .set({ status: BulkPassStatus.COMPLETED, modified_at: toDbTime(now) })
      .where('bulk_pass_seq', '=', grant.bulk_pass_seq)
      .where('status', '=', BulkPassStatus.READY)
      .execute();
    progress.completedGrants = (progress.completedGrants ?? 0) + 1;
    progress.current = null;
  } else {
    progress.current = { bulkPassSeq: grant.bulk_pass_seq, afterUserId: batch.last };
  }
  return 'CONTINUABLE';
}

type Grant = NonNullable<Awaited<ReturnType<typeof lockGrant>>>;

/**
 * The grant to work on, locked for this call: the one in progress if it is still due, else the
 * due grant with the lowest bulk_pass_seq (or only `onlySeq`, when the console asked for one).
 */
async function lockGrant(tx: PassTx, dialect: Dialect, currentSeq: number | null, onlySeq: number, now: Date) {
  const due = (seq: number | null) => {
    let query = tx
      .selectFrom('bulk_pass')
      .innerJoin('package', 'package.package_seq', 'bulk_pass.package_seq')
      .select([
        'bulk_pass.bulk_pass_seq',
        'bulk_pass.package_seq',
        'bulk_pass.user_group_id',
        'bulk_pass.count',
        'bulk_pass.started_at',
        'bulk_pass.ended_at',
        'package.count as package_count',
        'package.period as package_period',
      ])
      .where('bulk_pass.status', '=', BulkPassStatus.READY)
      .where('bulk_pass.started_at', '<=', toDbTime(now))
      .orderBy('bulk_pass.bulk_pass_seq')
      .limit(1);
    if (seq) query = query.where('bulk_pass.bulk_pass_seq', '=', seq);
    return forUpdate(dialect, query).executeTakeFirst();
  };
  return (currentSeq !== null ? await due(currentSeq) : undefined) ?? (await due(onlySeq || null));
}

/** The group's ACTIVE members after `afterUserId` (a query to select from, by user_id). */
function activeMembersOf(tx: PassTx, groupId: string, afterUserId: string | null) {
  let query = tx
    .selectFrom('user_group_mapping')
    .innerJoin('user', 'user.user_id', 'user_group_mapping.user_id')
    .where('user_group_mapping.user_group_id', '=', groupId)
    .where('user.status', '=', UserStatus.ACTIVE);
  if (afterUserId !== null) query = query.where('user_group_mapping.user_id', '>', afterUserId);
  return query;
}

/**
 * The grant's passes past `afterUserId`: how many, and the last member's user_id, the batch's end.
 * Members get their passes in user_id order, by this run or (INSERT IGNORE skipping them here)
 * an earlier or concurrent one, so every active member up to that last one has a pass; and fewer
 * than a batch past `afterUserId` means the group ran out. An index range on
 * UNIQUE (bulk_pass_seq, user_id), not the members read again.
 */
async function grantedAfter(tx: PassTx, bulkPassSeq: number, afterUserId: string | null): Promise<{ count: number; last: string | null }> {
  let query = tx
    .selectFrom('pass')
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.max('user_id').as('last')])
    .where('bulk_pass_seq', '=', bulkPassSeq);
  if (afterUserId !== null) query = query.where('user_id', '>', afterUserId);
  const row = await query.executeTakeFirstOrThrow();
  return { count: Number(row.count), last: row.last === null ? null : String(row.last) };
}

/** The pass a grant gives each member (user_id aside): the grant's count and end, else the package's. */
function passFor(grant: Grant, now: Date): Omit<NewPass, 'user_id'> {
  const startedAt = fromDbTime(grant.started_at);
  const endedAt = grant.ended_at ?? (grant.package_period === null ? null : toDbTime(addDays(startedAt, Number(grant.package_period))));
  return {
    package_seq: Number(grant.package_seq),
    status: startedAt > now ? PassStatus.READY : PassStatus.PROGRESSED,
    remaining_count: grant.count ?? grant.package_count,
    started_at: toDbTime(startedAt),
    ended_at: endedAt,
    bulk_pass_seq: Number(grant.bulk_pass_seq),
    created_at: toDbTime(now),
  };
}

export const addPassesJob = defineJob({
  name: 'addPassesJob',
  title: { ko: '이용권 일괄 지급', en: 'Grant passes in bulk' },
  description: {
    ko: '시작일이 된 일괄 지급마다 그룹의 활동 회원 모두에게 이용권을 한 장씩 지급하고 지급 완료로 바꿉니다.',
    en: 'For each bulk grant that is due, gives every active member of its group one pass, then marks the grant granted.',
  },
  params,
  // A grant named that does not exist is a mistyped number, not a run that grants nobody: refused
  // before any execution is written. One that exists but is not (or no longer) due still runs and
  // grants nobody, as a scheduled run or "grant now" racing another would.
  validate: async ({ bulkPassSeq }, db) => {
    if (!bulkPassSeq) return undefined;
    const grant = await passDb(db).selectFrom('bulk_pass').select('bulk_pass_seq').where('bulk_pass_seq', '=', bulkPassSeq).executeTakeFirst();
    return grant ? undefined : `No such bulk grant: ${bulkPassSeq} (bulkPassSeq names one bulk grant, or is 0 for every one that is due)`;
  },
  // Fired every minute: a fire with no grant due is recorded as skipped, not run as an empty execution.
  hasWork: async (db, { now, bulkPassSeq }) => {
    let query = passDb(db)
      .selectFrom('bulk_pass')
      .select('bulk_pass_seq')
      .where('status', '=', BulkPassStatus.READY)
      .where('started_at', '<=', toDbTime(now));
    if (bulkPassSeq) query = query.where('bulk_pass_seq', '=', bulkPassSeq);
    return (await query.limit(1).executeTakeFirst()) !== undefined;
  },
  steps: [taskletStep<Params>({ name: 'addPassesStep', title: { ko: '회원에게 이용권 지급', en: 'Give members their passes' }, tasklet: grantNextBatch })],
});
