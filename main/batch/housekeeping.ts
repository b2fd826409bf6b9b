// 실행 기록 정리: Spring Batch lets its metadata grow without end (spring-batch #1844); a desk
// whose schedules fire every minute adds close to 3,000 executions a day. This job deletes the
// history that is over (the last execution COMPLETED or ABANDONED, untouched for keepDays) a
// few hundred job instances per transaction. Kept: anything running, an instance whose last
// execution FAILED or STOPPED (a restart needs its steps), and another application's rows.
import { sql, type Kysely } from 'kysely';
import { toDbTime } from './database/dialect.ts';
import { defineJob, taskletStep } from './job.ts';
import { dateTimeParam, numberParam } from './parameters.ts';
import type { ScheduleDefault } from './scheduler/model.ts';

const INSTANCES_PER_TRANSACTION = 200;
/** ids per IN (...) list, well under both databases' limits on bound parameters */
const IDS_PER_STATEMENT = 500;
const RUNNING: string[] = ['STARTING', 'STARTED', 'STOPPING', 'UNKNOWN'];

export interface DeletedHistory {
  instances: number;
  executions: number;
}

/**
 * Deletes up to `limit` job instances whose history is over and everything recorded under
 * them, children first, on `tx` (the caller's transaction). Over means: the last execution
 * ended COMPLETED or ABANDONED and was last updated before `before`; no execution is running;
 * every execution is Pass Console's own (it has an owner row).
 */
export async function deleteFinishedHistory(tx: Kysely<any>, before: Date, limit: number): Promise<DeletedHistory> {
  const instances = await tx
    .selectFrom('BATCH_JOB_INSTANCE as i')
    .innerJoin('BATCH_JOB_EXECUTION as e', 'e.JOB_INSTANCE_ID', 'i.JOB_INSTANCE_ID')
    .select('i.JOB_INSTANCE_ID as id')
    .where('e.STATUS', 'in', ['COMPLETED', 'ABANDONED'])
    .where('e.LAST_UPDATED', '<', toDbTime(before))
    .where((w) =>
      w.and([
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
        // none of its executions is running or another application's
        w.not(
          w.exists(
            w
              .selectFrom('BATCH_JOB_EXECUTION as x')
              .leftJoin('BATCH_JOB_EXECUTION_OWNER as xo', 'xo.JOB_EXECUTION_ID', 'x.JOB_EXECUTION_ID')
              .select(sql<number>`1`.as('one'))
              .whereRef('x.JOB_INSTANCE_ID', '=', 'i.JOB_INSTANCE_ID')
              .where((x) => x.or([x('xo.JOB_EXECUTION_ID', 'is', null), x('x.STATUS', 'in', RUNNING)])),
          ),
        ),
      ]),
    )
    .orderBy('i.JOB_INSTANCE_ID')
    .limit(limit)
    .execute();
  const instanceIds = instances.map((r) => Number(r.id));
  if (!instanceIds.length) return { instances: 0, executions: 0 };

  const executionIds = await idsWhere(tx, 'BATCH_JOB_EXECUTION', 'JOB_EXECUTION_ID', 'JOB_INSTANCE_ID', instanceIds);
  const stepIds = await idsWhere(tx, 'BATCH_STEP_EXECUTION', 'STEP_EXECUTION_ID', 'JOB_EXECUTION_ID', executionIds);
  await deleteWhere(tx, 'BATCH_STEP_EXECUTION_CONTEXT', 'STEP_EXECUTION_ID', stepIds);
  await deleteWhere(tx, 'BATCH_STEP_EXECUTION', 'STEP_EXECUTION_ID', stepIds);
  for (const table of ['BATCH_JOB_EXECUTION_CONTEXT', 'BATCH_JOB_EXECUTION_PARAMS', 'BATCH_JOB_EXECUTION_OWNER', 'BATCH_JOB_EXECUTION']) {
    await deleteWhere(tx, table, 'JOB_EXECUTION_ID', executionIds);
  }
  await deleteWhere(tx, 'BATCH_JOB_INSTANCE', 'JOB_INSTANCE_ID', instanceIds);
  return { instances: instanceIds.length, executions: executionIds.length };
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

type Params = { now: Date; keepDays: number };

export const cleanJobHistoryJob = defineJob({
  name: 'cleanJobHistoryJob',
  title: { ko: '실행 기록 정리', en: 'Clean up execution history' },
  description: {
    ko: '끝난 지 보관 기간이 지난 작업 실행 기록을 지웁니다. 실행 중인 것, 재시작할 수 있는 실패·중지 실행과 다른 프로그램의 기록은 남깁니다.',
    en: 'Deletes the execution history that ended longer ago than the days kept. Running executions, failed or stopped ones that can still be restarted, and other applications’ history stay.',
  },
  params: {
    now: dateTimeParam({ default: 'now', description: { ko: '이 시각 기준으로 보관 기간을 셉니다', en: 'The days kept are counted back from this moment' } }),
    keepDays: numberParam({
      identifying: false,
      integer: true,
      min: 1,
      max: 3650,
      default: 90,
      description: { ko: '보관할 날짜 수 (기본 90일)', en: 'Days of history to keep (default 90)' },
    }),
  },
  steps: [
    taskletStep<Params>({
      name: 'deleteOldHistoryStep',
      // Each call deletes one batch in its own transaction; a stop or a crash between calls
      // leaves whole instances, and the next run simply finds what is left.
      async tasklet(ctx, tx) {
        const before = new Date(ctx.params.now.getTime() - ctx.params.keepDays * 86_400_000);
        const deleted = await deleteFinishedHistory(tx, before, INSTANCES_PER_TRANSACTION);
        ctx.contribution.readCount += deleted.executions;
        ctx.contribution.writeCount += deleted.executions;
        return deleted.instances === INSTANCES_PER_TRANSACTION ? 'CONTINUABLE' : 'FINISHED';
      },
    }),
  ],
});

/** When it runs unless staff change it: daily at 03:30 on the gym's clock, when nothing else does. */
export const cleanJobHistorySchedule: ScheduleDefault = { jobName: 'cleanJobHistoryJob', cron: '30 3 * * *', misfirePolicy: 'RUN_ONCE' };
