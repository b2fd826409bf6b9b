// 실행 기록 정리: Spring Batch lets its metadata grow without end (spring-batch #1844); a desk
// whose schedules fire every minute adds close to 3,000 executions a day. This job deletes the
// history that is over (the last execution COMPLETED or ABANDONED, untouched for keepDays) a
// few hundred job instances per transaction. Kept: anything running, an instance whose last
// execution FAILED or STOPPED (a restart needs its steps), and another application's rows.
import { sql, type Kysely } from 'kysely';
import { toDbTime } from './database/dialect.ts';
import { defineJob, taskletStep } from './job.ts';
import { dateTimeParam, numberParam, type ValuesOf } from './parameters.ts';
import type { ScheduleDefault } from './scheduler/model.ts';
import { RUNNING_STATUSES } from './status.ts';

const INSTANCES_PER_TRANSACTION = 200;
/** ids per IN (...) list, well under both databases' limits on bound parameters */
const IDS_PER_STATEMENT = 500;
/** an execution in one of these may still be going on somewhere (UNKNOWN: nobody can tell) */
const MAY_BE_RUNNING: string[] = [...RUNNING_STATUSES, 'UNKNOWN'];

export interface DeletedHistory {
  instances: number;
  executions: number;
  /** the last instance id looked at when there may be more after it; null when done */
  lastLookedAt: number | null;
}

/**
 * Looks at up to `limit` job instances after `after` (by id) whose last execution ended
 * COMPLETED or ABANDONED and was last updated before `before`, and deletes those whose history
 * is over, with everything recorded under them, children first, on `tx` (the caller's
 * transaction). Left alone among them: an instance with an execution still running or with one
 * that is another application's (no owner row). `lastLookedAt` is where the next call goes on
 * (null when there was nothing more to look at).
 */
export async function deleteFinishedHistory(tx: Kysely<any>, before: Date, limit: number, after = 0): Promise<DeletedHistory> {
  const candidates = await tx
    .selectFrom('BATCH_JOB_INSTANCE as i')
    .innerJoin('BATCH_JOB_EXECUTION as e', 'e.JOB_INSTANCE_ID', 'i.JOB_INSTANCE_ID')
    .select('i.JOB_INSTANCE_ID as id')
    .where('i.JOB_INSTANCE_ID', '>', after)
    .where('e.STATUS', 'in', ['COMPLETED', 'ABANDONED'])
    .where('e.LAST_UPDATED', '<', toDbTime(before))
    .where((w) =>
      // e is the instance's last execution
      w.not(
        w.exists(
          w
            .selectFrom('BATCH_JOB_EXECUTION as later')
            .select(sql<number>`1`.as('one'))
            .whereRef('later.JOB_INSTANCE_ID', '=', 'e.JOB_INSTANCE_ID')
            .whereRef('later.JOB_EXECUTION_ID', '>', 'e.JOB_EXECUTION_ID'),
        ),
      ),
    )
    .orderBy('i.JOB_INSTANCE_ID')
    .limit(limit)
    .execute();
  const candidateIds = candidates.map((r) => Number(r.id));
  if (!candidateIds.length) return { instances: 0, executions: 0, lastLookedAt: null };
  // Asked of the few candidates only: a NOT EXISTS over every execution makes MariaDB scan them all.
  const keep = new Set<number>();
  for (const part of slices(candidateIds)) {
    const rows = await tx
      .selectFrom('BATCH_JOB_EXECUTION as x')
      .leftJoin('BATCH_JOB_EXECUTION_OWNER as xo', 'xo.JOB_EXECUTION_ID', 'x.JOB_EXECUTION_ID')
      .select('x.JOB_INSTANCE_ID as id')
      .where('x.JOB_INSTANCE_ID', 'in', part)
      .where((x) => x.or([x('xo.JOB_EXECUTION_ID', 'is', null), x('x.STATUS', 'in', MAY_BE_RUNNING)]))
      .execute();
    for (const row of rows) keep.add(Number(row.id));
  }
  const instanceIds = candidateIds.filter((id) => !keep.has(id));
  const lastLookedAt = candidateIds.length === limit ? candidateIds[candidateIds.length - 1]! : null;
  if (!instanceIds.length) return { instances: 0, executions: 0, lastLookedAt };

  const executionIds = await idsWhere(tx, 'BATCH_JOB_EXECUTION', 'JOB_EXECUTION_ID', 'JOB_INSTANCE_ID', instanceIds);
  const stepIds = await idsWhere(tx, 'BATCH_STEP_EXECUTION', 'STEP_EXECUTION_ID', 'JOB_EXECUTION_ID', executionIds);
  await deleteWhere(tx, 'BATCH_STEP_EXECUTION_CONTEXT', 'STEP_EXECUTION_ID', stepIds);
  await deleteWhere(tx, 'BATCH_STEP_EXECUTION', 'STEP_EXECUTION_ID', stepIds);
  for (const table of ['BATCH_JOB_EXECUTION_CONTEXT', 'BATCH_JOB_EXECUTION_PARAMS', 'BATCH_JOB_EXECUTION_OWNER', 'BATCH_JOB_EXECUTION']) {
    await deleteWhere(tx, table, 'JOB_EXECUTION_ID', executionIds);
  }
  await deleteWhere(tx, 'BATCH_JOB_INSTANCE', 'JOB_INSTANCE_ID', instanceIds);
  return { instances: instanceIds.length, executions: executionIds.length, lastLookedAt };
}

function slices(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) out.push(ids.slice(i, i + IDS_PER_STATEMENT));
  return out;
}

async function idsWhere(tx: Kysely<any>, table: string, id: string, parent: string, parentIds: number[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of slices(parentIds)) {
    const rows = await tx.selectFrom(table).select(`${id} as id`).where(parent, 'in', part).execute();
    for (const row of rows) ids.push(Number(row.id));
  }
  return ids;
}

async function deleteWhere(tx: Kysely<any>, table: string, column: string, ids: number[]): Promise<void> {
  for (const part of slices(ids)) await tx.deleteFrom(table).where(column, 'in', part).execute();
}

const params = {
  now: dateTimeParam({ default: 'now', description: { ko: '이 시각 기준으로 보관 기간을 셉니다', en: 'The days kept are counted back from this moment' } }),
  keepDays: numberParam({
    identifying: false,
    integer: true,
    min: 1,
    max: 3650,
    default: 90,
    description: { ko: '보관할 날짜 수 (기본 90일)', en: 'Days of history to keep (default 90)' },
  }),
};
type Params = ValuesOf<typeof params>;

export const cleanJobHistoryJob = defineJob({
  name: 'cleanJobHistoryJob',
  title: { ko: '실행 기록 정리', en: 'Clean up execution history' },
  description: {
    ko: '끝난 지 보관 기간이 지난 작업 실행 기록을 지웁니다. 실행 중인 것, 재시작할 수 있는 실패·중지 실행과 다른 프로그램의 기록은 남깁니다.',
    en: 'Deletes the execution history that ended longer ago than the days kept. Running executions, failed or stopped ones that can still be restarted, and other applications’ history stay.',
  },
  params,

  steps: [
    taskletStep<Params>({
      name: 'deleteOldHistoryStep',
      title: { ko: '오래된 실행 기록 지우기', en: 'Delete old execution history' },
      // Each call deletes one batch in its own transaction and saves where it got to with it;
      // a stop or a crash between calls leaves whole instances, and a restart goes on from there.
      async tasklet(ctx, tx) {
        const before = new Date(ctx.params.now.getTime() - ctx.params.keepDays * 86_400_000);
        const after = Number(ctx.executionContext['history.after'] ?? 0);
        const deleted = await deleteFinishedHistory(tx, before, INSTANCES_PER_TRANSACTION, after);
        ctx.contribution.readCount += deleted.executions;
        ctx.contribution.writeCount += deleted.executions;
        if (deleted.lastLookedAt === null) return 'FINISHED';
        ctx.executionContext['history.after'] = deleted.lastLookedAt;
        return 'CONTINUABLE';
      },
    }),
  ],
});

/** When it runs unless staff change it: daily at 03:30 on the gym's clock, when nothing else does. */
export const cleanJobHistorySchedule: ScheduleDefault = { jobName: 'cleanJobHistoryJob', cron: '30 3 * * *', misfirePolicy: 'RUN_ONCE' };
