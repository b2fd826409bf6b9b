// How the batch metadata rows read back as objects, shared by the JobRepository, the JobLeases
// and the JobExplorer (Spring Batch's DAOs): the execution and step queries, the mapping of a
// row to a JobExecution or StepExecution (our rows' times as UTC text, another application's
// its own way), the parameters of a page of executions, and the context's serialisation.
import type { Kysely, Transaction } from 'kysely';
import { foreignTimes, fromDbTime, type Dialect, type ForeignTimes } from './database/dialect.ts';
import { deserializeParameter, type JobParameter } from './parameters.ts';
import type { ExecutionContext, ExecutionState, JobExecution, StepCounts, StepExecution } from './model.ts';

export type Executor = Kysely<any> | Transaction<any>;

/** Where SHORT_CONTEXT ends and SERIALIZED_CONTEXT takes over, as in Spring Batch. */
const SHORT_CONTEXT_MAX = 2500;

export function serializeContext(context: ExecutionContext): { SHORT_CONTEXT: string; SERIALIZED_CONTEXT: string | null } {
  const json = JSON.stringify(context);
  return json.length <= SHORT_CONTEXT_MAX
    ? { SHORT_CONTEXT: json, SERIALIZED_CONTEXT: null }
    : { SHORT_CONTEXT: json.slice(0, SHORT_CONTEXT_MAX - 3) + '...', SERIALIZED_CONTEXT: json };
}

export function deserializeContext(row: { SHORT_CONTEXT?: string | null; SERIALIZED_CONTEXT?: string | null } | undefined): ExecutionContext {
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

export function countColumns(c: StepCounts) {
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

/** The execution and step queries and their rows' mapping, in the times of the rows' writer. */
export class ExecutionRows {
  /** how another application's rows (`JobExecution.external`) keep their times */
  foreign: ForeignTimes;

  constructor(readonly dialect: Dialect) {
    this.foreign = foreignTimes(dialect, 'UTC');
  }

  /** The zone another application (Spring Batch, on MySQL) writes its rows' times in: its JVM's. */
  setForeignTimeZone(zone: string): void {
    this.foreign = foreignTimes(this.dialect, zone);
  }

  jobExecutionQuery(tx: Executor) {
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

  stepQuery(tx: Executor) {
    return tx
      .selectFrom('BATCH_STEP_EXECUTION as s')
      .leftJoin('BATCH_STEP_EXECUTION_CONTEXT as c', 'c.STEP_EXECUTION_ID', 's.STEP_EXECUTION_ID')
      .leftJoin('BATCH_JOB_EXECUTION_OWNER as o', 'o.JOB_EXECUTION_ID', 's.JOB_EXECUTION_ID')
      .selectAll('s')
      .select(['c.SHORT_CONTEXT', 'c.SERIALIZED_CONTEXT', 'o.OWNER_ID']);
  }

  /** `external`: another application's row (by default: one without an owner row) */
  toJobExecution(r: any, external = isForeign(r)): JobExecution {
    return {
      ...this.toState(r.JOB_EXECUTION_ID, r, external),
      instanceId: Number(r.JOB_INSTANCE_ID),
      jobName: r.JOB_NAME,
      parameters: [],
      launchedBy: r.LAUNCHED_BY ?? null,
      external,
    };
  }

  toStepExecution(r: any): StepExecution {
    return {
      ...this.toState(r.STEP_EXECUTION_ID, r, isForeign(r)),
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

  /** Job executions from their rows, with their parameters. */
  jobExecutions(tx: Executor, rows: any[]): Promise<JobExecution[]> {
    return this.withParameters(tx, rows.map((r) => this.toJobExecution(r)));
  }

  /** Reads the parameters of `executions` (one query for the lot) into them. */
  async withParameters(tx: Executor, executions: JobExecution[]): Promise<JobExecution[]> {
    if (!executions.length) return executions;
    const params = await tx
      .selectFrom('BATCH_JOB_EXECUTION_PARAMS')
      .selectAll()
      .where(
        'JOB_EXECUTION_ID',
        'in',
        executions.map((e) => e.id),
      )
      .execute();
    const byId = new Map<number, JobParameter[]>();
    for (const row of params) {
      const list = byId.get(Number(row.JOB_EXECUTION_ID)) ?? [];
      list.push(deserializeParameter(row as Parameters<typeof deserializeParameter>[0]));
      byId.set(Number(row.JOB_EXECUTION_ID), list);
    }
    for (const e of executions) e.parameters = byId.get(e.id) ?? [];
    return executions;
  }

  private toState(id: unknown, r: any, external: boolean): ExecutionState {
    const time = external ? this.foreign.read : fromDbTime;
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
}

/** Every execution launched here has an owner row; a row without one is another application's. */
const isForeign = (r: { OWNER_ID?: unknown }) => r.OWNER_ID === null || r.OWNER_ID === undefined;
