// The JobRepository: Spring Batch 5's metadata tables, read and written with optimistic
// locking (every update is `VERSION = VERSION + 1 WHERE ID = ? AND VERSION = ?`).
// A chunk's progress is saved through the same transaction as the chunk's writes.
import { hostname } from 'node:os';
import { sql, type Kysely, type Transaction } from 'kysely';
import { scopeOf, type Database, type TransactionScope } from './database/connection.ts';
import { foreignTimes, forUpdate, fromDbTime, insertIgnore, nextSequenceValue, springSequences, toDbTime, type Dialect, type ForeignTimes, type SpringIdSource, type SpringSequences } from './database/dialect.ts';
import { deserializeParameter, serializeParameter, type JobParameter } from './parameters.ts';
import { RUNNING_STATUSES, type BatchStatus } from './status.ts';
import { ZERO_COUNTS, type ExecutionContext, type ExecutionState, type JobExecution, type StepCounts, type StepExecution } from './model.ts';

export type Executor = Kysely<any> | Transaction<any>;

export class OptimisticLockingFailureError extends Error {
  override name = 'OptimisticLockingFailureError';
}

const SAVE_PROGRESS_SQL =
  'UPDATE BATCH_STEP_EXECUTION SET COMMIT_COUNT = ?, READ_COUNT = ?, FILTER_COUNT = ?, WRITE_COUNT = ?, READ_SKIP_COUNT = ?, ' +
  'WRITE_SKIP_COUNT = ?, PROCESS_SKIP_COUNT = ?, ROLLBACK_COUNT = ?, LAST_UPDATED = ?, VERSION = ? WHERE STEP_EXECUTION_ID = ? AND VERSION = ?';
const SAVE_CONTEXT_SQL = 'UPDATE BATCH_STEP_EXECUTION_CONTEXT SET SHORT_CONTEXT = ?, SERIALIZED_CONTEXT = ? WHERE STEP_EXECUTION_ID = ?';

/** Where SHORT_CONTEXT ends and SERIALIZED_CONTEXT takes over, as in Spring Batch. */
const SHORT_CONTEXT_MAX = 2500;

function serializeContext(context: ExecutionContext): { SHORT_CONTEXT: string; SERIALIZED_CONTEXT: string | null } {
  const json = JSON.stringify(context);
  return json.length <= SHORT_CONTEXT_MAX
    ? { SHORT_CONTEXT: json, SERIALIZED_CONTEXT: null }
    : { SHORT_CONTEXT: json.slice(0, SHORT_CONTEXT_MAX - 3) + '...', SERIALIZED_CONTEXT: json };
}

function deserializeContext(row: { SHORT_CONTEXT?: string | null; SERIALIZED_CONTEXT?: string | null } | undefined): ExecutionContext {
  const text = row?.SERIALIZED_CONTEXT ?? row?.SHORT_CONTEXT;
  if (!text) return {};
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    // A context written by Spring Batch itself (Base64 Java serialisation): unreadable here, start fresh.
    return {};
  }
}

export interface Owner {
  id: string;
  host: string;
  pid: number;
}

export function currentOwner(id: string): Owner {
  return { id, host: hostname(), pid: process.pid };
}

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

interface OwnerRow {
  JOB_EXECUTION_ID: number;
  LAUNCHED_BY: string | null;
  OWNER_ID: string;
  HOST: string;
  PID: number;
  HEARTBEAT_AT: string;
  LEASE_EXPIRES_AT: string;
}

export class JobRepository {
  readonly db: Kysely<any>;
  readonly dialect: Dialect;

  /** Spring Batch's id sequences, where a schema Spring Batch 5 or 6 made was adopted (migration 001); else null */
  private sequences?: Promise<SpringIdSource | null>;
  /** how another application's rows (`JobExecution.external`) keep their times */
  private foreign: ForeignTimes;

  constructor(readonly database: Database) {
    this.db = database.kysely;
    this.dialect = database.dialect;
    this.foreign = foreignTimes(this.dialect, 'UTC');
  }

  /** The zone another application (Spring Batch, on MySQL) writes its rows' times in: its JVM's. */
  setForeignTimeZone(zone: string): void {
    this.foreign = foreignTimes(this.dialect, zone);
  }

  /** How `execution`'s own row keeps times: ours as UTC text, another application's its way. */
  private timeWriter(execution: JobExecution): (date: Date) => string | number {
    return execution.external ? this.foreign.write : toDbTime;
  }

  /**
   * The id for a new row: from Spring Batch's sequence table when the schema is one Spring
   * Batch made and may still write to (so neither side takes an id the other has), else none
   * and the database's auto-increment picks it. Asked through `tx`: on SQLite the transaction
   * holds the only connection.
   */
  private async newId(tx: Executor, kind: keyof SpringSequences): Promise<number | undefined> {
    this.sequences ??= springSequences(this.dialect, tx);
    const source = await this.sequences;
    return source ? nextSequenceValue(this.dialect, tx, source.names[kind], source.native) : undefined;
  }

  // ---- instances ----------------------------------------------------------------------

  /** Finds or creates the JobInstance and locks its row until the transaction ends. */
  async lockInstance(tx: Executor, jobName: string, jobKey: string): Promise<number> {
    const instance = tx.selectFrom('BATCH_JOB_INSTANCE').select('JOB_INSTANCE_ID').where('JOB_NAME', '=', jobName).where('JOB_KEY', '=', jobKey);
    // A sequence value is only taken for an instance not seen yet (a plain read, no lock).
    const id = (await instance.executeTakeFirst()) ? undefined : await this.newId(tx, 'instance');
    await insertIgnore(this.dialect, tx, 'BATCH_JOB_INSTANCE')
      .values({ ...(id === undefined ? {} : { JOB_INSTANCE_ID: id }), JOB_NAME: jobName, JOB_KEY: jobKey, VERSION: 0 })
      .execute();
    const row = await forUpdate(this.dialect, instance).executeTakeFirstOrThrow();
    return Number(row.JOB_INSTANCE_ID);
  }

  async instanceExecutions(tx: Executor, instanceId: number): Promise<JobExecution[]> {
    const rows = await forUpdate(
      this.dialect,
      this.jobExecutionQuery(tx).where('e.JOB_INSTANCE_ID', '=', instanceId).orderBy('e.JOB_EXECUTION_ID', 'desc'),
    ).execute();
    return this.withParameters(tx, rows.map((r) => toJobExecution(r, this.foreign)));
  }

  // ---- job executions -----------------------------------------------------------------

  async createJobExecution(
    tx: Executor,
    jobName: string,
    instanceId: number,
    parameters: JobParameter[],
    owner: Owner,
    launchedBy: string | null,
    leaseMs: number,
  ): Promise<JobExecution> {
    const now = new Date();
    const t = toDbTime(now);
    const given = await this.newId(tx, 'execution');
    const result = await tx
      .insertInto('BATCH_JOB_EXECUTION')
      .values({
        ...(given === undefined ? {} : { JOB_EXECUTION_ID: given }),
        VERSION: 0,
        JOB_INSTANCE_ID: instanceId,
        CREATE_TIME: t,
        STATUS: 'STARTING',
        EXIT_CODE: 'UNKNOWN',
        EXIT_MESSAGE: '',
        LAST_UPDATED: t,
      })
      .executeTakeFirstOrThrow();
    const id = given ?? Number(result.insertId);
    if (parameters.length) {
      await tx
        .insertInto('BATCH_JOB_EXECUTION_PARAMS')
        .values(parameters.map((p) => ({ JOB_EXECUTION_ID: id, ...serializeParameter(p) })))
        .execute();
    }
    await tx.insertInto('BATCH_JOB_EXECUTION_CONTEXT').values({ JOB_EXECUTION_ID: id, ...serializeContext({}) }).execute();
    await tx
      .insertInto('BATCH_JOB_EXECUTION_OWNER')
      .values({
        JOB_EXECUTION_ID: id,
        LAUNCHED_BY: launchedBy,
        OWNER_ID: owner.id,
        HOST: owner.host,
        PID: owner.pid,
        HEARTBEAT_AT: t,
        LEASE_EXPIRES_AT: toDbTime(new Date(now.getTime() + leaseMs)),
      })
      .execute();
    const [execution] = await this.withParameters(tx, [
      toJobExecution({
        JOB_EXECUTION_ID: id,
        JOB_INSTANCE_ID: instanceId,
        VERSION: 0,
        CREATE_TIME: t,
        START_TIME: null,
        END_TIME: null,
        STATUS: 'STARTING',
        EXIT_CODE: 'UNKNOWN',
        EXIT_MESSAGE: '',
        LAST_UPDATED: t,
        JOB_NAME: jobName,
        LAUNCHED_BY: launchedBy,
        OWNER_ID: owner.id,
      }, this.foreign),
    ]);
    return execution!;
  }

  /** Optimistic update of status, times and exit; bumps the version on the object. */
  async updateJobExecution(execution: JobExecution, tx: Executor = this.db): Promise<void> {
    const now = new Date();
    const time = this.timeWriter(execution);
    const result = await tx
      .updateTable('BATCH_JOB_EXECUTION')
      .set({
        STATUS: execution.status,
        START_TIME: execution.startTime && time(execution.startTime),
        END_TIME: execution.endTime && time(execution.endTime),
        EXIT_CODE: execution.exitCode,
        EXIT_MESSAGE: execution.exitMessage,
        LAST_UPDATED: time(now),
        VERSION: execution.version + 1,
      })
      .where('JOB_EXECUTION_ID', '=', execution.id)
      .where('VERSION', '=', execution.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new OptimisticLockingFailureError(
        `Job execution ${execution.id} was changed by someone else (version ${execution.version} is out of date)`,
      );
    }
    execution.version += 1;
    execution.lastUpdated = now;
  }

  async getJobExecution(id: number, tx: Executor = this.db): Promise<JobExecution | undefined> {
    const row = await this.jobExecutionQuery(tx).where('e.JOB_EXECUTION_ID', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [execution] = await this.withParameters(tx, [toJobExecution(row, this.foreign)]);
    return execution;
  }

  async getJobExecutionContext(id: number): Promise<ExecutionContext> {
    const row = await this.db.selectFrom('BATCH_JOB_EXECUTION_CONTEXT').selectAll().where('JOB_EXECUTION_ID', '=', id).executeTakeFirst();
    return deserializeContext(row);
  }

  async jobExecutionStatus(id: number): Promise<BatchStatus | undefined> {
    const row = await this.db.selectFrom('BATCH_JOB_EXECUTION').select('STATUS').where('JOB_EXECUTION_ID', '=', id).executeTakeFirst();
    return row?.STATUS;
  }

  /** Every job name the history holds, another application's included, A to Z. */
  async jobNames(): Promise<string[]> {
    const rows = await this.db.selectFrom('BATCH_JOB_INSTANCE').select('JOB_NAME').distinct().orderBy('JOB_NAME').execute();
    return rows.map((r) => String(r.JOB_NAME));
  }

  async listJobExecutions(filter: ExecutionFilter = {}): Promise<{ total: number; executions: JobExecution[] }> {
    const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 500);
    const page = Math.max(filter.page ?? 1, 1);
    let query = this.jobExecutionQuery(this.db);
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
          eb.and([eb('o.OWNER_ID', 'is', null), ...within(this.foreign.write)]),
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
    return { total: Number(totalRow?.n ?? 0), executions: await this.withParameters(this.db, rows.map((r) => toJobExecution(r, this.foreign))) };
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

  /** Executions whose status says a process works on them, with their owner's lease. */
  async runningExecutions(tx: Executor = this.db): Promise<Array<{ execution: JobExecution; owner: OwnerRow | undefined }>> {
    const rows = await this.jobExecutionQuery(tx)
      .where('e.STATUS', 'in', RUNNING_STATUSES as BatchStatus[])
      .execute();
    const owners = await this.ownersOf(tx, rows.map((r) => Number(r.JOB_EXECUTION_ID)));
    return rows.map((r) => ({ execution: toJobExecution(r, this.foreign), owner: owners.get(Number(r.JOB_EXECUTION_ID)) }));
  }

  async ownersOf(tx: Executor, ids: number[]): Promise<Map<number, OwnerRow>> {
    if (!ids.length) return new Map();
    const rows = (await tx.selectFrom('BATCH_JOB_EXECUTION_OWNER').selectAll().where('JOB_EXECUTION_ID', 'in', ids).execute()) as OwnerRow[];
    return new Map(rows.map((r) => [Number(r.JOB_EXECUTION_ID), r]));
  }

  /** Renews this process's leases; a process that stops calling this loses them. */
  async heartbeat(ownerId: string, executionIds: number[], leaseMs: number): Promise<void> {
    if (!executionIds.length) return;
    const now = new Date();
    await this.db
      .updateTable('BATCH_JOB_EXECUTION_OWNER')
      .set({ HEARTBEAT_AT: toDbTime(now), LEASE_EXPIRES_AT: toDbTime(new Date(now.getTime() + leaseMs)) })
      .where('OWNER_ID', '=', ownerId)
      .where('JOB_EXECUTION_ID', 'in', executionIds)
      .execute();
  }

  /** Marks an execution and its unfinished steps FAILED (or another end status) in one go. */
  async endExecution(tx: Executor, execution: JobExecution, status: BatchStatus, exitMessage: string): Promise<void> {
    const now = new Date();
    execution.status = status;
    execution.exitCode = status === 'ABANDONED' ? 'FAILED' : status;
    execution.exitMessage = exitMessage;
    execution.endTime = execution.endTime ?? now;
    await this.updateJobExecution(execution, tx);
    const time = this.timeWriter(execution);
    await tx
      .updateTable('BATCH_STEP_EXECUTION')
      .set({
        STATUS: status,
        EXIT_CODE: execution.exitCode,
        EXIT_MESSAGE: exitMessage.slice(0, 2500),
        END_TIME: time(now),
        LAST_UPDATED: time(now),
        VERSION: sql`VERSION + 1`,
      })
      .where('JOB_EXECUTION_ID', '=', execution.id)
      .where('STATUS', 'in', [...RUNNING_STATUSES, ...(status === 'ABANDONED' ? (['FAILED', 'STOPPED'] as const) : [])])
      .execute();
  }

  // ---- step executions ----------------------------------------------------------------

  async createStepExecution(jobExecutionId: number, stepName: string, context: ExecutionContext): Promise<StepExecution> {
    const now = new Date();
    const t = toDbTime(now);
    return this.db.transaction().execute(async (tx) => {
      const given = await this.newId(tx, 'step');
      const result = await tx
        .insertInto('BATCH_STEP_EXECUTION')
        .values({
          ...(given === undefined ? {} : { STEP_EXECUTION_ID: given }),
          VERSION: 0,
          STEP_NAME: stepName,
          JOB_EXECUTION_ID: jobExecutionId,
          CREATE_TIME: t,
          START_TIME: t,
          STATUS: 'STARTED',
          ...countColumns(ZERO_COUNTS),
          EXIT_CODE: 'EXECUTING',
          EXIT_MESSAGE: '',
          LAST_UPDATED: t,
        })
        .executeTakeFirstOrThrow();
      const id = given ?? Number(result.insertId);
      await tx.insertInto('BATCH_STEP_EXECUTION_CONTEXT').values({ STEP_EXECUTION_ID: id, ...serializeContext(context) }).execute();
      return {
        id,
        jobExecutionId,
        stepName,
        version: 0,
        status: 'STARTED' as const,
        exitCode: 'EXECUTING',
        exitMessage: '',
        createTime: now,
        startTime: now,
        endTime: null,
        lastUpdated: now,
        executionContext: context,
        ...ZERO_COUNTS,
      };
    });
  }

  /**
   * Saves a step's counters, status and (unless `context` is null) its execution context,
   * through `tx` so they commit with the chunk. Returns the new version; the caller applies
   * it to its object only once the transaction has committed.
   */
  async saveStepExecution(
    tx: Executor,
    step: StepExecution,
    counts: StepCounts,
    context: ExecutionContext | null,
    end?: { status: BatchStatus; exitCode: string; exitMessage: string; endTime: Date },
  ): Promise<number> {
    if (!end) return this.saveChunkProgress(scopeOf(tx), step, counts, context);
    const now = toDbTime(new Date());
    const result = await tx
      .updateTable('BATCH_STEP_EXECUTION')
      .set({
        ...countColumns(counts),
        ...(end
          ? { STATUS: end.status, EXIT_CODE: end.exitCode, EXIT_MESSAGE: end.exitMessage.slice(0, 2500), END_TIME: toDbTime(end.endTime) }
          : {}),
        LAST_UPDATED: now,
        VERSION: step.version + 1,
      })
      .where('STEP_EXECUTION_ID', '=', step.id)
      .where('VERSION', '=', step.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new OptimisticLockingFailureError(`Step execution ${step.id} (${step.stepName}) was changed by someone else`);
    }
    if (context) {
      await tx.updateTable('BATCH_STEP_EXECUTION_CONTEXT').set(serializeContext(context)).where('STEP_EXECUTION_ID', '=', step.id).execute();
    }
    return step.version + 1;
  }

  /**
   * The per-chunk save, on the hot path: fixed SQL text run through the transaction's scope
   * (on SQLite straight on the connection's cached statements), the same on both databases.
   */
  async saveChunkProgress(tx: TransactionScope, step: StepExecution, c: StepCounts, context: ExecutionContext | null): Promise<number> {
    const changed = await tx.run(SAVE_PROGRESS_SQL, [
      c.commitCount,
      c.readCount,
      c.filterCount,
      c.writeCount,
      c.readSkipCount,
      c.writeSkipCount,
      c.processSkipCount,
      c.rollbackCount,
      toDbTime(new Date()),
      step.version + 1,
      step.id,
      step.version,
    ]);
    if (changed !== 1) {
      throw new OptimisticLockingFailureError(`Step execution ${step.id} (${step.stepName}) was changed by someone else`);
    }
    if (context) {
      const { SHORT_CONTEXT, SERIALIZED_CONTEXT } = serializeContext(context);
      await tx.run(SAVE_CONTEXT_SQL, [SHORT_CONTEXT, SERIALIZED_CONTEXT, step.id]);
    }
    return step.version + 1;
  }

  async getStepExecution(id: number): Promise<StepExecution | undefined> {
    const row = await this.stepQuery(this.db).where('s.STEP_EXECUTION_ID', '=', id).executeTakeFirst();
    return row && toStepExecution(row, this.foreign);
  }

  async stepExecutions(jobExecutionId: number): Promise<StepExecution[]> {
    const rows = await this.stepQuery(this.db).where('s.JOB_EXECUTION_ID', '=', jobExecutionId).orderBy('s.STEP_EXECUTION_ID').execute();
    return rows.map((r) => toStepExecution(r, this.foreign));
  }

  /**
   * Every execution of the named step (or, with `prefix`, of every step whose name starts
   * with it) within one JobInstance, oldest first: the history restart decisions read.
   */
  async stepHistory(instanceId: number, stepName: string, prefix = false): Promise<StepExecution[]> {
    const rows = await this.stepQuery(this.db)
      .innerJoin('BATCH_JOB_EXECUTION as je', 'je.JOB_EXECUTION_ID', 's.JOB_EXECUTION_ID')
      .where('je.JOB_INSTANCE_ID', '=', instanceId)
      .where('s.STEP_NAME', prefix ? 'like' : '=', prefix ? `${stepName.replace(/[%_\\]/g, '\\$&')}%` : stepName)
      .orderBy('s.STEP_EXECUTION_ID')
      .execute();
    return rows.map((r) => toStepExecution(r, this.foreign));
  }

  // ---- queries ------------------------------------------------------------------------

  private jobExecutionQuery(tx: Executor) {
    return tx
      .selectFrom('BATCH_JOB_EXECUTION as e')
      .innerJoin('BATCH_JOB_INSTANCE as i', 'i.JOB_INSTANCE_ID', 'e.JOB_INSTANCE_ID')
      .leftJoin('BATCH_JOB_EXECUTION_OWNER as o', 'o.JOB_EXECUTION_ID', 'e.JOB_EXECUTION_ID')
      .select([
        'e.JOB_EXECUTION_ID',
        'e.JOB_INSTANCE_ID',
        'e.VERSION',
        'e.CREATE_TIME',
        'e.START_TIME',
        'e.END_TIME',
        'e.STATUS',
        'e.EXIT_CODE',
        'e.EXIT_MESSAGE',
        'e.LAST_UPDATED',
        'i.JOB_NAME',
        'o.LAUNCHED_BY',
        'o.OWNER_ID',
      ]);
  }

  private stepQuery(tx: Executor) {
    return tx
      .selectFrom('BATCH_STEP_EXECUTION as s')
      .leftJoin('BATCH_STEP_EXECUTION_CONTEXT as c', 'c.STEP_EXECUTION_ID', 's.STEP_EXECUTION_ID')
      .leftJoin('BATCH_JOB_EXECUTION_OWNER as o', 'o.JOB_EXECUTION_ID', 's.JOB_EXECUTION_ID')
      .selectAll('s')
      .select(['c.SHORT_CONTEXT', 'c.SERIALIZED_CONTEXT', 'o.OWNER_ID']);
  }

  private async withParameters(tx: Executor, executions: JobExecution[]): Promise<JobExecution[]> {
    if (!executions.length) return executions;
    const rows = await tx
      .selectFrom('BATCH_JOB_EXECUTION_PARAMS')
      .selectAll()
      .where(
        'JOB_EXECUTION_ID',
        'in',
        executions.map((e) => e.id),
      )
      .execute();
    const byId = new Map<number, JobParameter[]>();
    for (const row of rows) {
      const list = byId.get(Number(row.JOB_EXECUTION_ID)) ?? [];
      list.push(deserializeParameter(row as Parameters<typeof deserializeParameter>[0]));
      byId.set(Number(row.JOB_EXECUTION_ID), list);
    }
    for (const e of executions) e.parameters = byId.get(e.id) ?? [];
    return executions;
  }
}

function countColumns(c: StepCounts) {
  return {
    COMMIT_COUNT: c.commitCount,
    READ_COUNT: c.readCount,
    FILTER_COUNT: c.filterCount,
    WRITE_COUNT: c.writeCount,
    READ_SKIP_COUNT: c.readSkipCount,
    WRITE_SKIP_COUNT: c.writeSkipCount,
    PROCESS_SKIP_COUNT: c.processSkipCount,
    ROLLBACK_COUNT: c.rollbackCount,
  };
}

/** Every execution launched here has an owner row; a row without one is another application's. */
const isForeign = (r: { OWNER_ID?: unknown }) => r.OWNER_ID === null || r.OWNER_ID === undefined;

function toState(id: unknown, r: any, foreign: ForeignTimes): ExecutionState {
  const time = isForeign(r) ? foreign.read : fromDbTime;
  return {
    id: Number(id),
    version: Number(r.VERSION),
    status: r.STATUS,
    exitCode: r.EXIT_CODE ?? 'UNKNOWN',
    exitMessage: r.EXIT_MESSAGE ?? '',
    createTime: time(r.CREATE_TIME) ?? new Date(0),
    startTime: time(r.START_TIME),
    endTime: time(r.END_TIME),
    lastUpdated: time(r.LAST_UPDATED),
  };
}

function toJobExecution(r: any, foreign: ForeignTimes): JobExecution {
  return {
    ...toState(r.JOB_EXECUTION_ID, r, foreign),
    instanceId: Number(r.JOB_INSTANCE_ID),
    jobName: r.JOB_NAME,
    parameters: [],
    launchedBy: r.LAUNCHED_BY ?? null,
    external: isForeign(r),
  };
}

function toStepExecution(r: any, foreign: ForeignTimes): StepExecution {
  return {
    ...toState(r.STEP_EXECUTION_ID, r, foreign),
    jobExecutionId: Number(r.JOB_EXECUTION_ID),
    stepName: r.STEP_NAME,
    readCount: Number(r.READ_COUNT ?? 0),
    writeCount: Number(r.WRITE_COUNT ?? 0),
    filterCount: Number(r.FILTER_COUNT ?? 0),
    commitCount: Number(r.COMMIT_COUNT ?? 0),
    rollbackCount: Number(r.ROLLBACK_COUNT ?? 0),
    readSkipCount: Number(r.READ_SKIP_COUNT ?? 0),
    processSkipCount: Number(r.PROCESS_SKIP_COUNT ?? 0),
    writeSkipCount: Number(r.WRITE_SKIP_COUNT ?? 0),
    executionContext: deserializeContext(r),
  };
}
