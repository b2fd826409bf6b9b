// How a job is written down: defineJob with an ordered flow of steps; a step is a tasklet,
// a chunk step (reader → processor → writer, one transaction per chunk), a partitioned step
// (the same chunk step once per partition, on worker threads) or a split of steps run at once.
import type { Transaction } from 'kysely';
import type { Database } from './database/connection.ts';
import type { ExecutionContext, StepExecution } from './model.ts';
import type { ParameterSchema, ValuesOf } from './parameters.ts';

export interface StepContext<P = Record<string, unknown>> {
  params: P;
  jobName: string;
  jobExecutionId: number;
  stepExecution: Readonly<StepExecution>;
  /** This step's context: restored on restart, saved with every commit. */
  executionContext: ExecutionContext;
  db: Database;
  /** the gym's time zone (IANA name) */
  timeZone: string;
  /** aborted when someone asks this execution to stop */
  signal: AbortSignal;
  /**
   * What a tasklet call read and wrote (Spring Batch's StepContribution): added to the step's
   * counters in the same transaction as the call. Chunk steps count for themselves.
   */
  contribution: { readCount: number; writeCount: number; filterCount: number };
}

/** Reads one item at a time; null or undefined means the input is exhausted. */
export interface ItemReader<T> {
  /** Restores the position saved by `update` (nothing there on a first run). */
  open?(context: ExecutionContext): Promise<void> | void;
  read(): Promise<T | null | undefined> | T | null | undefined;
  /** Saves the position after the last item read; called inside each chunk's transaction. */
  update?(context: ExecutionContext): void;
  close?(): Promise<void> | void;
  /** how many items there are in all, if cheap to know (for the progress bar) */
  expectedCount?(): Promise<number | undefined>;
}

/** Turns an item into what is written; null or undefined filters it out. */
export type ItemProcessor<I, O> = (item: I) => Promise<O | null | undefined> | O | null | undefined;

/** Writes one chunk through the chunk's transaction. */
export interface ItemWriter<O> {
  /** Restores what `update` saved, e.g. a file writer truncating to its last committed length. */
  open?(context: ExecutionContext): Promise<void> | void;
  write(items: O[], tx: Transaction<any>): Promise<void>;
  /** Saves the writer's own position; called inside each chunk's transaction, after write. */
  update?(context: ExecutionContext): void;
  /** called once the step has finished successfully (e.g. a file writer renames its temp file) */
  complete?(): Promise<void>;
  close?(): Promise<void> | void;
}

export interface FaultTolerance {
  /** skips allowed in one step execution, read + process + write together */
  skipLimit: number;
  /** which errors may be skipped */
  skip: (error: unknown) => boolean;
  /** how many times a failing processor call or chunk write is retried (default 3 for transient errors) */
  retryLimit?: number;
  /** which errors are retried besides transient database errors */
  retry?: (error: unknown) => boolean;
  /** first backoff in ms; doubles with each attempt (default 50) */
  backoffMs?: number;
}

interface StepOptions {
  name: string;
  /** what staff call the step (ko/en), as the console's screens show it beside its name */
  title?: { ko: string; en: string };
  /** run again on restart even when it COMPLETED before */
  allowStartIfComplete?: boolean;
  /** how many executions of this step one JobInstance may have (default unlimited) */
  startLimit?: number;
}

export interface ChunkStep<P = any, I = any, O = any> extends StepOptions {
  kind: 'chunk';
  chunkSize: number;
  reader: (ctx: StepContext<P>) => ItemReader<I>;
  processor?: (ctx: StepContext<P>) => ItemProcessor<I, O>;
  writer: (ctx: StepContext<P>) => ItemWriter<O>;
  faultTolerant?: FaultTolerance;
  /** process up to this many items of a chunk at once (slow calls such as sends); results keep their order */
  processConcurrency?: number;
  /**
   * end a chunk this long after it began, however few items it holds (Spring Batch's
   * TimeoutTerminationPolicy): with slow items the counts and the reader's position still move
   * every few seconds. With a processor and this or processConcurrency > 1, items are read as
   * they are processed, and a stop request ends the chunk after the items already taken.
   */
  chunkTimeoutMs?: number;
}

export type TaskletResult = 'CONTINUABLE' | 'FINISHED' | void;

export interface TransactionalTaskletStep<P = any> extends StepOptions {
  kind: 'tasklet';
  resourceless?: false;
  /**
   * Called until it returns FINISHED (or nothing). Each call runs in one transaction that also
   * saves the step's execution context, so a tasklet that records its progress there is
   * restartable from its last call.
   */
  tasklet: (ctx: StepContext<P>, tx: Transaction<any>) => Promise<TaskletResult>;
}

/**
 * A tasklet whose work is not in the database (a file copied, another system called), Spring
 * Batch's tasklet with a ResourcelessTransactionManager: each call runs outside any transaction,
 * so the process's other database work goes on meanwhile, and the step's counters and context
 * are committed after it returns.
 */
export interface ResourcelessTaskletStep<P = any> extends StepOptions {
  kind: 'tasklet';
  resourceless: true;
  tasklet: (ctx: StepContext<P>) => Promise<TaskletResult>;
}

export type TaskletStep<P = any> = TransactionalTaskletStep<P> | ResourcelessTaskletStep<P>;

export interface PartitionedStep<P = any> extends StepOptions {
  kind: 'partitioned';
  /** splits the work: one context per partition (e.g. a key range), named `<step>:partition<i>` */
  partitioner: (ctx: StepContext<P>) => Promise<ExecutionContext[]>;
  /** the chunk step run once per partition, with the partition's context */
  step: ChunkStep<P>;
  /** worker threads: the Piscina entry point (a module under workers/) and how many threads; omitted → in this thread */
  workers?: { filename: string; maxThreads?: number };
}

export interface SplitFlow {
  kind: 'split';
  name: string;
  steps: Step[];
}

export type Step = ChunkStep | TaskletStep | PartitionedStep;
export type FlowElement = Step | SplitFlow;

export interface JobDefinition<S extends ParameterSchema = ParameterSchema> {
  name: string;
  title?: { ko: string; en: string };
  description?: { ko: string; en: string };
  params: S;
  flow: FlowElement[];
  /** false: a failed execution may not be restarted, a new instance is needed */
  restartable: boolean;
  /** the check before launch (LaunchCheck; a method, so a job of any schema is a JobDefinition) */
  validate?(params: ValuesOf<S>, db: Database): Promise<string | undefined>;
  /** whether a scheduled fire would find anything to do (WorkCheck); absent: always */
  hasWork?(db: Database, params: ValuesOf<S>): Promise<boolean>;
}

/**
 * A cheap look, before a scheduler launches the job, at whether there is anything for it to do
 * (a due grant, a class about to start): false records the fire as skipped with no execution, so
 * a job fired every minute adds a row to the history only when it works. Launches by people
 * don't ask it; a wrong "false" only delays the work to the next fire that finds it.
 */
export type WorkCheck<S extends ParameterSchema = ParameterSchema> = (db: Database, params: ValuesOf<S>) => Promise<boolean>;

/**
 * A job's own check of its parameters against the data, run by JobOperator.start after the
 * schema's checks and before anything is written (no instance, no execution): a message refuses
 * the launch as INVALID_PARAMETER (the command line's exit 2), undefined lets it go. Restarts
 * don't run it: the instance's parameters were accepted when it first ran.
 */
export type LaunchCheck<S extends ParameterSchema = ParameterSchema> = (params: ValuesOf<S>, db: Database) => Promise<string | undefined>;

export function defineJob<S extends ParameterSchema>(definition: {
  name: string;
  title?: { ko: string; en: string };
  description?: { ko: string; en: string };
  params?: S;
  steps: FlowElement[];
  restartable?: boolean;
  /** refuses a launch whose parameters the data contradicts (e.g. a record that does not exist) */
  validate?: LaunchCheck<S>;
  /** lets a scheduler skip a fire that would find nothing to do */
  hasWork?: WorkCheck<S>;
}): JobDefinition<S> {
  const names = new Set<string>();
  for (const step of allSteps(definition.steps)) {
    if (names.has(step.name)) throw new Error(`Job ${definition.name} has two steps named ${step.name}`);
    if (step.name.includes(':')) throw new Error(`Step names may not contain ":" (${step.name})`);
    names.add(step.name);
  }
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    params: (definition.params ?? {}) as S,
    flow: definition.steps,
    restartable: definition.restartable ?? true,
    ...(definition.validate ? { validate: definition.validate } : {}),
    ...(definition.hasWork ? { hasWork: definition.hasWork } : {}),
  };
}

export function chunkStep<P = any, I = any, O = I>(step: Omit<ChunkStep<P, I, O>, 'kind'>): ChunkStep<P, I, O> {
  if (!Number.isInteger(step.chunkSize) || step.chunkSize < 1) throw new Error(`Step ${step.name}: chunkSize must be a positive whole number`);
  return { ...step, kind: 'chunk' };
}

export function taskletStep<P = any>(step: Omit<TransactionalTaskletStep<P>, 'kind'>): TaskletStep<P> {
  return { ...step, kind: 'tasklet' };
}

export function resourcelessTaskletStep<P = any>(step: Omit<ResourcelessTaskletStep<P>, 'kind' | 'resourceless'>): TaskletStep<P> {
  return { ...step, kind: 'tasklet', resourceless: true };
}

export function partitionedStep<P = any>(step: Omit<PartitionedStep<P>, 'kind'>): PartitionedStep<P> {
  return { ...step, kind: 'partitioned' };
}

export function split(name: string, steps: Step[]): SplitFlow {
  return { kind: 'split', name, steps };
}

export function allSteps(flow: FlowElement[]): Step[] {
  return flow.flatMap((element) => (element.kind === 'split' ? element.steps : [element]));
}

export function findStep(job: JobDefinition, name: string): Step | undefined {
  return allSteps(job.flow).find((s) => s.name === name);
}

export type ParamsOf<J> = J extends JobDefinition<infer S> ? ValuesOf<S> : never;
