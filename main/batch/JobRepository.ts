// The JobRepository: Spring Batch 5's metadata tables (instances, executions, step executions
// and their contexts), read and written with optimistic locking (every update is
// `VERSION = VERSION + 1 WHERE ID = ? AND VERSION = ?`). A chunk's progress is saved through the
// same transaction as the chunk's writes. Who runs an execution is JobLeases.ts's; the console's
// read queries are JobExplorer.ts's; how rows read back as objects is executionRows.ts's.
import { sql, type Kysely } from 'kysely';
import { scopeOf, type Database, type TransactionScope } from './database/connection.ts';
import { forUpdate, insertIgnore, nextSequenceValue, springSequences, toDbTime, type Dialect, type SpringIdSource, type SpringSequences } from './database/dialect.ts';
import { countColumns, deserializeContext, ExecutionRows, serializeContext, type Executor } from './executionRows.ts';
import { serializeParameter, type JobParameter } from './parameters.ts';
import { RUNNING_STATUSES, type BatchStatus } from './status.ts';
import { ZERO_COUNTS, type ExecutionContext, type JobExecution, type StepCounts, type StepExecution } from './model.ts';

export type { Executor } from './executionRows.ts';

/** How a step execution ended. */
export interface StepEnd {
  status: BatchStatus;
  exitCode: string;
  exitMessage: string;
  endTime: Date;
}

export class OptimisticLockingFailureError extends Error {
  override name = 'OptimisticLockingFailureError';
}

const SAVE_PROGRESS_SQL =
  'UPDATE BATCH_STEP_EXECUTION SET COMMIT_COUNT = ?, READ_COUNT = ?, FILTER_COUNT = ?, WRITE_COUNT = ?, READ_SKIP_COUNT = ?, ' +
  'WRITE_SKIP_COUNT = ?, PROCESS_SKIP_COUNT = ?, ROLLBACK_COUNT = ?, LAST_UPDATED = ?, VERSION = ? WHERE STEP_EXECUTION_ID = ? AND VERSION = ?';
const SAVE_CONTEXT_SQL = 'UPDATE BATCH_STEP_EXECUTION_CONTEXT SET SHORT_CONTEXT = ?, SERIALIZED_CONTEXT = ? WHERE STEP_EXECUTION_ID = ?';

export class JobRepository {
  readonly db: Kysely<any>;
  readonly dialect: Dialect;

  /** how rows read back as objects, shared with the JobLeases and the JobExplorer over this database */
  readonly rows: ExecutionRows;

  /** Spring Batch's id sequences, where a schema Spring Batch 5 or 6 made was adopted (migration 001); else null */
  private sequences?: Promise<SpringIdSource | null>;

  constructor(readonly database: Database) {
    this.db = database.kysely;
    this.dialect = database.dialect;
    this.rows = new ExecutionRows(this.dialect);
  }

  /** The zone another application (Spring Batch, on MySQL) writes its rows' times in: its JVM's. */
  setForeignTimeZone(zone: string): void {
    this.rows.setForeignTimeZone(zone);
  }

  /** How `execution`'s own row keeps times: ours as UTC text, another application's its way. */
  private timeWriter(execution: JobExecution): (date: Date) => string | number {
    return execution.external ? this.rows.foreign.write : toDbTime;
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
      this.rows.jobExecutionQuery(tx).where('e.JOB_INSTANCE_ID', '=', instanceId).orderBy('e.JOB_EXECUTION_ID', 'desc'),
    ).execute();
    return this.rows.jobExecutions(tx, rows);
  }

  // ---- job executions -----------------------------------------------------------------

  /**
   * A new execution of the instance, STARTING, with its parameters and an empty context. Its
   * launcher records in the same transaction who runs it (JobLeases.claim, with `launchedBy`).
   */
  async createJobExecution(tx: Executor, jobName: string, instanceId: number, parameters: JobParameter[], launchedBy: string | null): Promise<JobExecution> {
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
    const [execution] = await this.rows.withParameters(tx, [
      this.rows.toJobExecution({
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
      }, false),
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
    const row = await this.rows.jobExecutionQuery(tx).where('e.JOB_EXECUTION_ID', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [execution] = await this.rows.jobExecutions(tx, [row]);
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
   * Saves a step's counters and (unless `context` is null) its execution context, through `tx`
   * so they commit with the chunk. Returns the new version; the caller applies it to its
   * object only once the transaction has committed.
   */
  saveStepExecution(tx: Executor, step: StepExecution, counts: StepCounts, context: ExecutionContext | null): Promise<number> {
    return this.saveChunkProgress(scopeOf(tx), step, counts, context);
  }

  /**
   * Ends a step execution: its counters (as `step` holds them), final status, exit and end
   * time, never its context (that is saved only with commits). Returns the new version.
   */
  async endStepExecution(tx: Executor, step: StepExecution, end: StepEnd): Promise<number> {
    const result = await tx
      .updateTable('BATCH_STEP_EXECUTION')
      .set({
        ...countColumns(step),
        STATUS: end.status,
        EXIT_CODE: end.exitCode,
        EXIT_MESSAGE: end.exitMessage.slice(0, 2500),
        END_TIME: toDbTime(end.endTime),
        LAST_UPDATED: toDbTime(new Date()),
        VERSION: step.version + 1,
      })
      .where('STEP_EXECUTION_ID', '=', step.id)
      .where('VERSION', '=', step.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new OptimisticLockingFailureError(`Step execution ${step.id} (${step.stepName}) was changed by someone else`);
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
    const row = await this.rows.stepQuery(this.db).where('s.STEP_EXECUTION_ID', '=', id).executeTakeFirst();
    return row && this.rows.toStepExecution(row);
  }

  async stepExecutions(jobExecutionId: number): Promise<StepExecution[]> {
    const rows = await this.rows.stepQuery(this.db).where('s.JOB_EXECUTION_ID', '=', jobExecutionId).orderBy('s.STEP_EXECUTION_ID').execute();
    return rows.map((r) => this.rows.toStepExecution(r));
  }

  /**
   * Every execution of the named step (or, with `prefix`, of every step whose name starts
   * with it) within one JobInstance, oldest first: the history restart decisions read.
   */
  async stepHistory(instanceId: number, stepName: string, prefix = false): Promise<StepExecution[]> {
    const rows = await this.rows
      .stepQuery(this.db)
      .innerJoin('BATCH_JOB_EXECUTION as je', 'je.JOB_EXECUTION_ID', 's.JOB_EXECUTION_ID')
      .where('je.JOB_INSTANCE_ID', '=', instanceId)
      .where('s.STEP_NAME', prefix ? 'like' : '=', prefix ? `${stepName.replace(/[%_\\]/g, '\\$&')}%` : stepName)
      .orderBy('s.STEP_EXECUTION_ID')
      .execute();
    return rows.map((r) => this.rows.toStepExecution(r));
  }
}
