// 이용권 일괄 지급 at the desk: register one, list them with how many passes each created,
// cancel one still scheduled, or grant one now (addPassesJob for that grant alone: the one
// launch the front desk may make).
import { DateTime } from 'luxon';
import { getJosaPicker } from 'josa';
import { forUpdate, fromDbTime, toDbTime } from '../batch/index.ts';
import { BulkPassStatus } from '../pass/schema.ts';
import { iso, instant, type HandlerContext } from './context.ts';
import type { BulkGrantView, ExecutionSummary, ParsedInputOf } from './contract.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { packageForSale } from './packages.ts';
import { executionSummary } from './executions.ts';
import { refuseLateStart } from './members.ts';
import { num, type Executor } from './tables.ts';

export const GRANT_JOB = 'addPassesJob';

function grantQuery(db: Executor) {
  return db
    .selectFrom('bulk_pass as b')
    .leftJoin('package as p', 'p.package_seq', 'b.package_seq')
    .select((eb) => [
      'b.bulk_pass_seq',
      'b.package_seq',
      'p.package_name',
      'b.user_group_id',
      'b.status',
      'b.count',
      'p.count as package_count',
      'b.started_at',
      'b.ended_at',
      'b.created_at',
      eb
        .selectFrom('user_group_mapping as g')
        .select((g) => g.fn.min('g.user_group_name').as('n'))
        .whereRef('g.user_group_id', '=', 'b.user_group_id')
        .as('user_group_name'),
      eb
        .selectFrom('pass')
        .select((g) => g.fn.countAll<number>().as('n'))
        .whereRef('pass.bulk_pass_seq', '=', 'b.bulk_pass_seq')
        .as('passes_created'),
    ]);
}

type GrantRow = Awaited<ReturnType<ReturnType<typeof grantQuery>['executeTakeFirstOrThrow']>>;

function grantView(r: GrantRow): BulkGrantView {
  return {
    bulkPassSeq: num(r.bulk_pass_seq),
    packageSeq: num(r.package_seq),
    packageName: r.package_name ?? null,
    userGroupId: r.user_group_id,
    userGroupName: (r.user_group_name as string | null) ?? null,
    status: r.status,
    count: r.count === null ? null : num(r.count),
    // what addPassesJob gives each pass: the grant's count, else the package's (null: unlimited)
    usesGranted: r.count !== null ? num(r.count) : r.package_count === null || r.package_count === undefined ? null : num(r.package_count),
    usesFromPackage: r.count === null && r.package_count !== null && r.package_count !== undefined,
    startedAt: fromDbTime(r.started_at).toISOString(),
    endedAt: iso(fromDbTime(r.ended_at)),
    createdAt: fromDbTime(r.created_at).toISOString(),
    passesCreated: num(r.passes_created),
  };
}

const grantNotFound = (seq: number) => notFound({ ko: `이용권 일괄 지급 ${seq}`, en: `Bulk grant ${seq}` }, 'bulkPassSeq');

export async function getGrant(db: Executor, seq: number): Promise<BulkGrantView> {
  const row = await grantQuery(db).where('b.bulk_pass_seq', '=', seq).executeTakeFirst();
  if (!row) throw grantNotFound(seq);
  return grantView(row);
}

export async function listGrants(ctx: HandlerContext, input: ParsedInputOf<'bulkGrants.list'>): Promise<BulkGrantView[]> {
  let query = grantQuery(ctx.db).orderBy('b.bulk_pass_seq', 'desc').limit(500);
  if (input.status) query = query.where('b.status', '=', input.status);
  return (await query.execute()).map(grantView);
}

export async function createGrant(ctx: HandlerContext, input: ParsedInputOf<'bulkGrants.create'>): Promise<BulkGrantView> {
  const startedAt = instant(ctx, 'startedAt', input.startedAt);
  const endedAt = input.endedAt === undefined ? null : instant(ctx, 'endedAt', input.endedAt);
  if (endedAt && endedAt <= startedAt) {
    throw invalid('endedAt', { ko: '종료일은 시작일보다 뒤여야 합니다', en: 'must be after startedAt' });
  }
  // A start before today is a slip of the keyboard (a year off), not a plan: the grant would go
  // out at once with passes already running, or already over. Today is fine ("from this morning").
  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).startOf('day');
  if (startedAt < today.toJSDate()) {
    throw invalid('startedAt', {
      ko: `시작 시각이 이미 지났습니다. 오늘(${today.toFormat('yyyy-MM-dd')})이나 그 뒤로 정하세요`,
      en: `has already passed: choose today (${today.toFormat('yyyy-MM-dd')}) or later`,
    });
  }
  // Nor more than a year ahead (2099 for 2026): the desk sale's rule, the same bound and words.
  refuseLateStart(ctx, 'startedAt', startedAt);
  if (endedAt && endedAt <= ctx.now) {
    throw invalid('endedAt', { ko: '종료 시각이 이미 지났습니다', en: 'has already passed' });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const pkg = await packageForSale(tx, input.packageSeq, 'packageSeq');
    const group = await tx.selectFrom('user_group_mapping').select(['user_group_id', 'user_group_name']).where('user_group_id', '=', input.userGroupId).limit(1).executeTakeFirst();
    if (!group) throw notFound({ ko: `회원 그룹 ${input.userGroupId}`, en: `Member group ${input.userGroupId}` }, 'userGroupId');
    const result = await tx
      .insertInto('bulk_pass')
      .values({
        package_seq: input.packageSeq,
        user_group_id: input.userGroupId,
        status: BulkPassStatus.READY,
        count: input.count ?? null,
        started_at: toDbTime(startedAt),
        ended_at: endedAt && toDbTime(endedAt),
        created_at: toDbTime(ctx.now),
        modified_at: null,
      })
      .executeTakeFirst();
    const seq = num(result.insertId);
    // the package and the group by name too, as the Activity log shows them to people
    await ctx.audit({ action: 'bulkGrants.create', target: `bulk_pass:${seq}`, detail: { packageName: pkg.package_name, userGroupName: group.user_group_name, ...input } }, tx);
    return getGrant(tx, seq);
  });
}

/** The grant, locked for the rest of the transaction, refused unless still scheduled. */
async function lockReadyGrant(ctx: HandlerContext, tx: Executor, seq: number, doing: { ko: string; en: string }) {
  const row = await forUpdate(ctx.database.dialect, tx.selectFrom('bulk_pass').select(['bulk_pass_seq', 'status', 'started_at']).where('bulk_pass_seq', '=', seq)).executeTakeFirst();
  if (!row) throw grantNotFound(seq);
  if (row.status !== BulkPassStatus.READY) {
    const state = row.status === BulkPassStatus.COMPLETED ? { ko: '지급 완료', en: 'granted' } : { ko: '취소', en: 'cancelled' };
    throw conflict({
      ko: `이용권 일괄 지급 ${seq}${getJosaPicker('은')(String(seq))} 이미 ${state.ko} 상태라 ${doing.ko} 수 없습니다.`,
      en: `Bulk grant ${seq} is already ${state.en}; only a scheduled one can be ${doing.en}.`,
    });
  }
  return row;
}

export async function cancelGrant(ctx: HandlerContext, input: ParsedInputOf<'bulkGrants.cancel'>): Promise<BulkGrantView> {
  return ctx.db.transaction().execute(async (tx) => {
    await lockReadyGrant(ctx, tx, input.bulkPassSeq, { ko: '취소할', en: 'cancelled' });
    await tx
      .updateTable('bulk_pass')
      .set({ status: BulkPassStatus.CANCELLED, modified_at: toDbTime(ctx.now) })
      .where('bulk_pass_seq', '=', input.bulkPassSeq)
      .where('status', '=', BulkPassStatus.READY)
      .execute();
    await ctx.audit({ action: 'bulkGrants.cancel', target: `bulk_pass:${input.bulkPassSeq}`, detail: input }, tx);
    return getGrant(tx, input.bulkPassSeq);
  });
}

/**
 * Brings a future start forward to now (audited in the same transaction), then launches
 * addPassesJob for this grant alone (audited as a launch). The job re-checks READY and the
 * start under its own lock, and grants nobody twice, so a scheduled run granting it at the
 * same moment is harmless.
 */
export async function grantNow(ctx: HandlerContext, input: ParsedInputOf<'bulkGrants.grantNow'>): Promise<{ bulkGrant: BulkGrantView; execution: ExecutionSummary }> {
  const seq = input.bulkPassSeq;
  const movedFrom = await ctx.db.transaction().execute(async (tx) => {
    const row = await lockReadyGrant(ctx, tx, seq, { ko: '지급할', en: 'granted' });
    if (fromDbTime(row.started_at) <= ctx.now) return null;
    await tx.updateTable('bulk_pass').set({ started_at: toDbTime(ctx.now), modified_at: toDbTime(ctx.now) }).where('bulk_pass_seq', '=', seq).execute();
    const startedAtWas = fromDbTime(row.started_at).toISOString();
    // The move is a change of its own: its row commits with it, whatever the launch then does.
    await ctx.audit({ action: 'bulkGrants.moveStart', target: `bulk_pass:${seq}`, detail: { bulkPassSeq: seq, startedAtWas, startedAt: ctx.now.toISOString() } }, tx);
    return startedAtWas;
  });
  const moved = movedFrom ? { startedAtWas: movedFrom } : {};
  const launched = await ctx.auditLaunch(
    { action: 'bulkGrants.grantNow', target: `bulk_pass:${seq}`, detail: { bulkPassSeq: seq, ...moved } },
    () => ctx.operator.start(GRANT_JOB, { bulkPassSeq: seq, now: ctx.now }, { launchedBy: ctx.actor, now: ctx.now }),
    (l) => ({ detail: { bulkPassSeq: seq, executionId: l.execution.id, ...moved } }),
  );
  return { bulkGrant: await getGrant(ctx.db, seq), execution: executionSummary(launched.execution) };
}
