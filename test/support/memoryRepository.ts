// An in-memory JobRepository and database for the engine's unit tests: a step execution runs
// (stepRunner.runStepExecution) with the rules of skip, retry and scan, and nothing of SQL.
// A transaction keeps what was done through it (a writer's rows, the step's saved counters and
// context) until it commits; a rollback, or a rollback to a savepoint, forgets it.
import type { Database, TransactionScope } from '../../main/batch/database/connection.ts';
import { BatchEvents } from '../../main/batch/events.ts';
import { OptimisticLockingFailureError, type JobRepository, type StepEnd } from '../../main/batch/JobRepository.ts';
import { ZERO_COUNTS, type ExecutionContext, type StepCounts, type StepExecution } from '../../main/batch/model.ts';
import type { StepEnvironment } from '../../main/batch/stepRunner.ts';

const done = <T>(value: T) => ({ execute: async () => value });

/** A transaction (and, as Kysely's are, each of its savepoints): work done through it waits for its commit. */
export class MemoryTransaction {
  private pending: Array<() => void> = [];
  private readonly marks = new Map<string, number>();

  /** Does `apply` when (and if) this transaction commits. */
  later(apply: () => void): void {
    this.pending.push(apply);
  }

  savepoint(name: string) {
    this.marks.set(name, this.pending.length);
    return done(this);
  }

  releaseSavepoint(name: string) {
    this.marks.delete(name);
    return done(this);
  }

  rollbackToSavepoint(name: string) {
    this.pending.length = this.marks.get(name) ?? this.pending.length;
    return done(this);
  }

  commit() {
    const pending = this.pending;
    this.pending = [];
    return { execute: async () => pending.forEach((apply) => apply()) };
  }

  rollback() {
    this.pending = [];
    return done(undefined);
  }
}

/** What a step execution's row holds once committed. */
export interface StoredStep {
  version: number;
  counts: StepCounts;
  context: ExecutionContext;
  end?: StepEnd;
}

/** Runs `work` in a transaction that commits when it returns and is forgotten when it throws. */
async function inTransaction<T>(work: (tx: MemoryTransaction) => Promise<T>): Promise<T> {
  const tx = new MemoryTransaction();
  try {
    const result = await work(tx);
    await tx.commit().execute();
    return result;
  } catch (error) {
    await tx.rollback().execute();
    throw error;
  }
}

export function memoryDatabase(): Database {
  const kysely = {
    transaction: () => ({ execute: inTransaction }),
    startTransaction: () => done(new MemoryTransaction()),
  };
  return {
    kysely: kysely as unknown as Database['kysely'],
    dialect: 'sqlite',
    url: 'memory:',
    displayUrl: 'memory:',
    transaction: (work) => inTransaction((tx) => work({ kysely: tx as unknown as TransactionScope['kysely'], run: async () => 1 })),
    close: async () => undefined,
  };
}

/** The step-execution half of a JobRepository, in memory. */
export class MemoryRepository {
  readonly steps = new Map<number, StoredStep>();
  readonly db: Database['kysely'];
  private nextId = 1;

  constructor(readonly database: Database = memoryDatabase()) {
    this.db = database.kysely;
  }

  /** A new STARTED step execution, resuming from `context`. */
  newStep(stepName: string, context: ExecutionContext = {}): StepExecution {
    const id = this.nextId++;
    const now = new Date();
    this.steps.set(id, { version: 0, counts: { ...ZERO_COUNTS }, context: structuredClone(context) });
    return { id, jobExecutionId: 1, stepName, version: 0, status: 'STARTED', exitCode: 'EXECUTING', exitMessage: '', createTime: now, startTime: now, endTime: null, lastUpdated: now, executionContext: context, ...ZERO_COUNTS };
  }

  saveStepExecution(tx: unknown, step: StepExecution, counts: StepCounts, context: ExecutionContext | null): Promise<number> {
    return this.save(tx, step, (row) => {
      row.counts = { ...pick(counts) };
      if (context) row.context = structuredClone(context);
    });
  }

  saveChunkProgress(tx: TransactionScope, step: StepExecution, counts: StepCounts, context: ExecutionContext | null): Promise<number> {
    return this.saveStepExecution(tx.kysely, step, counts, context);
  }

  endStepExecution(tx: unknown, step: StepExecution, end: StepEnd): Promise<number> {
    return this.save(tx, step, (row) => {
      row.counts = { ...pick(step) };
      row.end = { ...end };
    });
  }

  /** As a step environment's repository. */
  get asJobRepository(): JobRepository {
    return this as unknown as JobRepository;
  }

  /** Checks the version now (the row is locked for the transaction); changes the row when the transaction commits. */
  private async save(tx: unknown, step: StepExecution, change: (row: StoredStep) => void): Promise<number> {
    const row = this.steps.get(step.id);
    if (!row || row.version !== step.version) throw new OptimisticLockingFailureError(`Step execution ${step.id} (${step.stepName}) was changed by someone else`);
    const apply = () => {
      change(row);
      row.version = step.version + 1;
    };
    if (tx instanceof MemoryTransaction) tx.later(apply);
    else apply();
    return step.version + 1;
  }
}

function pick(c: StepCounts): StepCounts {
  const { readCount, writeCount, filterCount, commitCount, rollbackCount, readSkipCount, processSkipCount, writeSkipCount } = c;
  return { readCount, writeCount, filterCount, commitCount, rollbackCount, readSkipCount, processSkipCount, writeSkipCount };
}

/** A step environment over `repository`; `signal` stops the step when aborted. */
export function memoryStepEnvironment(repository: MemoryRepository, signal: AbortSignal = new AbortController().signal): StepEnvironment {
  return {
    repository: repository.asJobRepository,
    db: repository.database,
    events: new BatchEvents(),
    timeZone: 'UTC',
    params: {},
    jobName: 'memoryJob',
    jobExecutionId: 1,
    signal,
  };
}
