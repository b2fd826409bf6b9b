// The console's read queries over the batch metadata (Spring Batch's JobExplorer): a page of
// executions by filter with its total, the read / write / skip totals of a page, where each
// execution stands among its instance's restarts, and the job names the history holds. It
// only reads; what the engine writes goes through the JobRepository.
import { sql, type Kysely } from 'kysely';
import { toDbTime } from './database/dialect.ts';
import type { ExecutionRows, Executor } from './executionRows.ts';
import type { JobExecution } from './model.ts';
import type { BatchStatus } from './status.ts';

export interface ExecutionFilter {
  jobName?: string;
  status?: BatchStatus;
  from?: Date;
  to?: Date;
  page?: number;
  pageSize?: number;
  /** leave out COMPLETED executions none of whose steps read or wrote anything (a scheduled run with nothing to do) */
  hideEmpty?: boolean;
}

/**
 * read, write, filter and skip (read + process + write skips) summed over an execution's steps,
 * a partitioned step counted once (through its partitions, not also its manager's sum): the one
 * definition the console and the command line both show.
 */
export interface ExecutionTotals {
  read: number;
  write: number;
  filter: number;
  skip: number;
}

export class JobExplorer {
  constructor(
    private readonly db: Kysely<any>,
    private readonly rows: ExecutionRows,
  ) {}

  /** Every job name the history holds, another application's included, A to Z. */
  async jobNames(): Promise<string[]> {
    const rows = await this.db.selectFrom('BATCH_JOB_INSTANCE').select('JOB_NAME').distinct().orderBy('JOB_NAME').execute();
    return rows.map((r) => String(r.JOB_NAME));
  }

  async listJobExecutions(filter: ExecutionFilter = {}): Promise<{ total: number; executions: JobExecution[] }> {
    const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 500);
    const page = Math.max(filter.page ?? 1, 1);
    let query = this.rows.jobExecutionQuery(this.db);
    if (filter.jobName) query = query.where('i.JOB_NAME', '=', filter.jobName);
    if (filter.status) query = query.where('e.STATUS', '=', filter.status);
    const { from, to } = filter;
    if (from || to) {
      // Our rows keep UTC text; another application's (no owner row) keep its own format.
      query = query.where((eb) => {
        const within = (write: (date: Date) => string | number) => [
          ...(from ? [eb('e.CREATE_TIME', '>=', write(from))] : []),
          ...(to ? [eb('e.CREATE_TIME', '<', write(to))] : []),
        ];
        return eb.or([
          eb.and([eb('o.OWNER_ID', 'is not', null), ...within(toDbTime)]),
          eb.and([eb('o.OWNER_ID', 'is', null), ...within(this.rows.foreign.write)]),
        ]);
      });
    }
    if (filter.hideEmpty) {
      query = query.where((eb) =>
        eb.or([
          eb('e.STATUS', '<>', 'COMPLETED'),
          eb.exists(
            eb
              .selectFrom('BATCH_STEP_EXECUTION as hs')
              .select(sql<number>`1`.as('one'))
              .whereRef('hs.JOB_EXECUTION_ID', '=', 'e.JOB_EXECUTION_ID')
              .where((s) => s.or([s('hs.READ_COUNT', '>', 0), s('hs.WRITE_COUNT', '>', 0)])),
          ),
        ]),
      );
    }
    const totalRow = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const rows = await query
      .orderBy('e.JOB_EXECUTION_ID', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { total: Number(totalRow?.n ?? 0), executions: await this.rows.jobExecutions(this.db, rows) };
  }

  /**
   * read / write / skip summed over each execution's steps, for a page of executions in one
   * grouped query. A partitioned step's manager is left out when its partitions have rows in
   * the same execution: the partitions carry the counts (live, while they run) and the manager
   * only repeats their sum once it ends.
   */
  async executionTotals(ids: number[], tx: Executor = this.db): Promise<Map<number, ExecutionTotals>> {
    const totals = new Map<number, ExecutionTotals>();
    if (!ids.length) return totals;
    const rows = await tx
      .selectFrom('BATCH_STEP_EXECUTION as s')
      .where('s.JOB_EXECUTION_ID', 'in', ids)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('BATCH_STEP_EXECUTION as p')
              .select(sql<number>`1`.as('one'))
              .whereRef('p.JOB_EXECUTION_ID', '=', 's.JOB_EXECUTION_ID')
              .where('p.STEP_NAME', 'like', sql<string>`CONCAT(s.STEP_NAME, ':partition%')`),
          ),
        ),
      )
      .groupBy('s.JOB_EXECUTION_ID')
      .select([
        's.JOB_EXECUTION_ID',
        sql<number>`SUM(s.READ_COUNT)`.as('readTotal'),
        sql<number>`SUM(s.WRITE_COUNT)`.as('writeTotal'),
        sql<number>`SUM(s.FILTER_COUNT)`.as('filterTotal'),
        sql<number>`SUM(s.READ_SKIP_COUNT + s.PROCESS_SKIP_COUNT + s.WRITE_SKIP_COUNT)`.as('skipTotal'),
      ])
      .execute();
    for (const r of rows) {
      totals.set(Number(r.JOB_EXECUTION_ID), {
        read: Number(r.readTotal ?? 0),
        write: Number(r.writeTotal ?? 0),
        filter: Number(r.filterTotal ?? 0),
        skip: Number(r.skipTotal ?? 0),
      });
    }
    return totals;
  }

  /**
   * The executions (id and status, oldest first) of the instances of the given executions, by
   * instance id, in one query: where each execution stands among its instance's restarts.
   */
  async instanceExecutionLinks(ids: number[], tx: Executor = this.db): Promise<Map<number, Array<{ id: number; status: BatchStatus }>>> {
    const links = new Map<number, Array<{ id: number; status: BatchStatus }>>();
    if (!ids.length) return links;
    const rows = await tx
      .selectFrom('BATCH_JOB_EXECUTION as e')
      .select(['e.JOB_EXECUTION_ID', 'e.JOB_INSTANCE_ID', 'e.STATUS'])
      .where(({ eb, selectFrom }) => eb('e.JOB_INSTANCE_ID', 'in', selectFrom('BATCH_JOB_EXECUTION as x').select('x.JOB_INSTANCE_ID').where('x.JOB_EXECUTION_ID', 'in', ids)))
      .orderBy('e.JOB_EXECUTION_ID')
      .execute();
    for (const r of rows) {
      const instance = Number(r.JOB_INSTANCE_ID);
      if (!links.has(instance)) links.set(instance, []);
      links.get(instance)!.push({ id: Number(r.JOB_EXECUTION_ID), status: r.STATUS as BatchStatus });
    }
    return links;
  }
}
