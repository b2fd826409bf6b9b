// Runs one step execution: a chunk step's read → process → write loop with one transaction
// per chunk (the writer's changes + counters + reader position commit together), skip and
// retry, scanning a failed chunk item by item; or a tasklet called until it finishes.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database/connection.ts';
import { isTransientDatabaseError } from './database/dialect.ts';
import type { BatchEvents, StepProgress } from './events.ts';
import type { ChunkStep, FaultTolerance, ItemReader, ItemWriter, StepContext, TaskletResult, TaskletStep } from './job.ts';
import type { JobRepository } from './JobRepository.ts';
import { skipCount, type ExecutionContext, type StepCounts, type StepExecution } from './model.ts';
import { parametersToValues, type JobParameter } from './parameters.ts';
import { exponentialBackoff, retry, type RetryPolicy } from './retry.ts';
import { exitMessageOf, type BatchStatus } from './status.ts';

export interface StepEnvironment {
  repository: JobRepository;
  db: Database;
  events: BatchEvents;
  timeZone: string;
  params: Record<string, unknown>;
  jobName: string;
  jobExecutionId: number;
  /** aborted when a stop is requested */
  signal: AbortSignal;
}

export class SkipLimitExceededError extends Error {
  override name = 'SkipLimitExceededError';
  constructor(limit: number, cause: unknown) {
    super(`Skip limit of ${limit} exceeded; the last error was: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** What a step runs with in one job execution: the engine's parts, the execution's job and parameters. */
export function stepEnvironment(
  parts: Pick<StepEnvironment, 'repository' | 'db' | 'events' | 'timeZone' | 'signal'>,
  execution: { jobName: string; jobExecutionId: number; parameters: JobParameter[] },
): StepEnvironment {
  const { repository, db, events, timeZone, signal } = parts;
  return { repository, db, events, timeZone, params: parametersToValues(execution.parameters), jobName: execution.jobName, jobExecutionId: execution.jobExecutionId, signal };
}

/** What a step's reader, processor, writer, tasklet or partitioner is handed. */
export function contextFor(step: StepExecution, env: StepEnvironment): StepContext {
  return {
    params: env.params,
    jobName: env.jobName,
    jobExecutionId: env.jobExecutionId,
    stepExecution: step,
    executionContext: step.executionContext,
    db: env.db,
    timeZone: env.timeZone,
    signal: env.signal,
    contribution: { readCount: 0, writeCount: 0, filterCount: 0 },
  };
}

export function progressOf(step: StepExecution, expectedItems?: number): StepProgress {
  const seconds = Math.max((Date.now() - (step.startTime ?? step.createTime).getTime()) / 1000, 0.001);
  return {
    stepExecutionId: step.id,
    stepName: step.stepName,
    status: step.status,
    startTime: step.startTime,
    readCount: step.readCount,
    writeCount: step.writeCount,
    filterCount: step.filterCount,
    commitCount: step.commitCount,
    rollbackCount: step.rollbackCount,
    readSkipCount: step.readSkipCount,
    processSkipCount: step.processSkipCount,
    writeSkipCount: step.writeSkipCount,
    itemsPerSecond: Math.round((step.writeCount + step.filterCount) / seconds),
    expectedItems,
  };
}

/**
 * Ends a step execution (a chunk or tasklet step, a partition, a partitioned step's manager):
 * its final status and counters saved (never the context: it is saved only with commits), then
 * step-finished told. Transient failures are retried: losing the final status would leave the
 * step STARTED.
 */
export async function endStep(step: StepExecution, env: Pick<StepEnvironment, 'repository' | 'events' | 'jobExecutionId'>, status: BatchStatus, exitMessage: string): Promise<StepExecution> {
  const end = { status, exitCode: status, exitMessage, endTime: new Date() };
  step.version = await retry(() => env.repository.endStepExecution(env.repository.db, step, end), {
    retries: 5,
    retryOn: isTransientDatabaseError,
    backoff: exponentialBackoff(100),
  });
  Object.assign(step, end);
  env.events.emit({ type: 'step-finished', jobExecutionId: env.jobExecutionId, step: progressOf(step), exitMessage });
  return step;
}

/** A step's end as its run left it: stopped on request, failed with `error`, or its status. */
function finish(step: StepExecution, env: StepEnvironment, status: BatchStatus, error?: unknown): Promise<StepExecution> {
  const exitMessage = error === undefined ? (status === 'STOPPED' ? 'Stopped at a chunk boundary on request' : '') : exitMessageOf(error);
  return endStep(step, env, status, exitMessage);
}

export async function runStepExecution(definition: ChunkStep | TaskletStep, step: StepExecution, env: StepEnvironment): Promise<StepExecution> {
  env.events.emit({ type: 'step-started', jobExecutionId: env.jobExecutionId, step: progressOf(step) });
  try {
    const status = definition.kind === 'chunk' ? await runChunks(definition, step, env) : await runTasklet(definition, step, env);
    return await finish(step, env, status);
  } catch (error) {
    return finish(step, env, 'FAILED', error);
  }
}

// ---- tasklet ------------------------------------------------------------------------------

async function runTasklet(definition: TaskletStep, step: StepExecution, env: StepEnvironment): Promise<BatchStatus> {
  const ctx = contextFor(step, env);
  for (;;) {
    if (env.signal.aborted) return 'STOPPED';
    let result: TaskletResult;
    if (definition.resourceless) {
      // The work is done once; only its commit is retried.
      beginCall(ctx, step);
      result = await definition.tasklet(ctx);
      await withTransientRetry(() => commitCall(ctx, step, env, async () => undefined), step);
    } else {
      result = await withTransientRetry(() => {
        beginCall(ctx, step);
        return commitCall(ctx, step, env, (tx) => definition.tasklet(ctx, tx));
      }, step);
    }
    if (result !== 'CONTINUABLE') return 'COMPLETED';
  }
}

/** A tasklet call starts from the last committed context and counts from zero. */
function beginCall(ctx: StepContext, step: StepExecution): void {
  ctx.executionContext = structuredClone(step.executionContext);
  ctx.contribution = { readCount: 0, writeCount: 0, filterCount: 0 };
}

/** One transaction: `work`, then the step's counters with the call's contribution and its context. */
async function commitCall(ctx: StepContext, step: StepExecution, env: StepEnvironment, work: (tx: Transaction<any>) => Promise<TaskletResult>): Promise<TaskletResult> {
  const contribution = ctx.contribution;
  let result: TaskletResult = undefined;
  let counts: StepCounts = step;
  const version = await env.db.kysely.transaction().execute(async (tx) => {
    result = await work(tx);
    counts = {
      ...pickCounts(step),
      commitCount: step.commitCount + 1,
      readCount: step.readCount + contribution.readCount,
      writeCount: step.writeCount + contribution.writeCount,
      filterCount: step.filterCount + contribution.filterCount,
    };
    return env.repository.saveStepExecution(tx, step, counts, ctx.executionContext);
  });
  commit(step, version, counts, ctx.executionContext);
  env.events.emit({ type: 'chunk-committed', jobExecutionId: env.jobExecutionId, step: progressOf(step) });
  return result;
}

// ---- chunks -------------------------------------------------------------------------------

interface Chunk<O> {
  outputs: O[];
  /** counters as they will be once this chunk commits */
  counts: StepCounts;
  /** the reader's position after this chunk */
  context: ExecutionContext;
  done: boolean;
}

async function runChunks(definition: ChunkStep, step: StepExecution, env: StepEnvironment): Promise<BatchStatus> {
  const ctx = contextFor(step, env);
  const reader = definition.reader(ctx);
  const processor = definition.processor?.(ctx);
  const writer = definition.writer(ctx);
  const policy = definition.faultTolerant;
  const canSkip = (error: unknown) => policy !== undefined && !isTransientDatabaseError(error) && policy.skip(error);
  let expected: number | undefined;
  try {
    await reader.open?.(structuredClone(step.executionContext));
    await writer.open?.(structuredClone(step.executionContext));
    expected = await reader.expectedCount?.().catch(() => undefined);
    if (expected !== undefined) expected += step.readCount;
    for (;;) {
      if (env.signal.aborted) return 'STOPPED';
      let chunk: Chunk<unknown>;
      try {
        chunk =
          processor && ((definition.processConcurrency ?? 1) > 1 || definition.chunkTimeoutMs !== undefined)
            ? await readWhileProcessing(definition, reader, processor, step, policy, canSkip, env.signal)
            : await readAndProcess(definition, reader, processor, step, policy, canSkip);
      } catch (error) {
        // The chunk is given up before its transaction began: it counts as rolled back.
        step.rollbackCount++;
        throw error;
      }
      if (chunk.outputs.length || skipCount(chunk.counts) > skipCount(step) || chunk.counts.readCount > step.readCount) {
        await writeChunk(chunk, writer, step, env, policy, canSkip);
        if (env.events.size) env.events.emit({ type: 'chunk-committed', jobExecutionId: env.jobExecutionId, step: progressOf(step, expected) });
      }
      if (chunk.done) break;
    }
    await writer.complete?.();
    return 'COMPLETED';
  } finally {
    await Promise.allSettled([reader.close?.(), writer.close?.()]);
  }
}

function checkSkipLimit(counts: StepCounts, policy: FaultTolerance | undefined, error: unknown): void {
  if (!policy || skipCount(counts) > policy.skipLimit) throw policy ? new SkipLimitExceededError(policy.skipLimit, error) : error;
}

/** A reader's error: counted as a read skip when the policy skips it (within its limit), else thrown. */
function skipRead(error: unknown, counts: StepCounts, policy: FaultTolerance | undefined, canSkip: (error: unknown) => boolean): void {
  if (!canSkip(error)) throw error;
  counts.readSkipCount++;
  checkSkipLimit(counts, policy, error);
}

async function readAndProcess<I, O>(
  definition: ChunkStep<unknown, I, O>,
  reader: ItemReader<I>,
  processor: ((item: I) => Promise<O | null | undefined> | O | null | undefined) | undefined,
  step: StepExecution,
  policy: FaultTolerance | undefined,
  canSkip: (error: unknown) => boolean,
): Promise<Chunk<O>> {
  const counts: StepCounts = pickCounts(step);
  const size = definition.chunkSize;
  // Made full size at once: growing it item by item allocated it about three times over.
  const items = new Array<I>(size);
  let count = 0;
  let done = false;
  // The loop every item passes through: nothing in it but the read and the store.
  while (count < size) {
    let item: I | null | undefined;
    try {
      const pending = reader.read();
      // Readers that answer synchronously (buffers, lists) skip the microtask of an await.
      item = pending instanceof Promise ? await pending : pending;
    } catch (error) {
      skipRead(error, counts, policy, canSkip);
      continue;
    }
    if (item === null || item === undefined) {
      done = true;
      break;
    }
    items[count++] = item;
  }
  items.length = count;
  counts.readCount += count;
  const context = structuredClone(step.executionContext);
  reader.update?.(context);

  if (!processor) return { outputs: items as unknown as O[], counts, context, done };
  const processOne = processWithRetry(processor, policy);
  const results = new Array<Outcome<O>>(items.length);
  for (let i = 0; i < items.length; i++) results[i] = await processOne(items[i]!);
  return { outputs: outputsOf(results, counts, policy, canSkip), counts, context, done };
}

/**
 * A chunk whose items are slow to process (a send to another system), read one at a time as
 * `processConcurrency` lanes become free instead of all at once before processing. The chunk
 * ends when it is full, when the reader runs dry, when `chunkTimeoutMs` has passed since it
 * began (Spring Batch's TimeoutTerminationPolicy), or when a stop is asked for: the items
 * already taken finish and commit, and nothing more is read. So a stop lands between sends,
 * not after the whole chunk, and with a slow sink the counts still move every few seconds.
 * The reader's position is the last item read, and every item read is in this chunk.
 */
async function readWhileProcessing<I, O>(
  definition: ChunkStep<unknown, I, O>,
  reader: ItemReader<I>,
  processor: (item: I) => Promise<O | null | undefined> | O | null | undefined,
  step: StepExecution,
  policy: FaultTolerance | undefined,
  canSkip: (error: unknown) => boolean,
  signal: AbortSignal,
): Promise<Chunk<O>> {
  const counts: StepCounts = pickCounts(step);
  const started = Date.now();
  const processOne = processWithRetry(processor, policy);
  const results: Outcome<O>[] = [];
  let done = false;
  const closed = () =>
    done || results.length >= definition.chunkSize || signal.aborted || (definition.chunkTimeoutMs !== undefined && results.length > 0 && Date.now() - started >= definition.chunkTimeoutMs);
  // One read at a time, in order: each lane waits its turn at the reader.
  let turn: Promise<unknown> = Promise.resolve();
  const take = (): Promise<{ item: I; index: number } | null> => {
    const next = turn.then(async () => {
      while (!closed()) {
        let item: I | null | undefined;
        try {
          item = await reader.read();
        } catch (error) {
          skipRead(error, counts, policy, canSkip);
          continue;
        }
        if (item === null || item === undefined) {
          done = true;
          return null;
        }
        counts.readCount++;
        results.push({ value: undefined });
        return { item, index: results.length - 1 };
      }
      return null;
    });
    turn = next.catch(() => undefined);
    return next;
  };
  const lanes = Array.from({ length: Math.max(1, definition.processConcurrency ?? 1) }, async () => {
    for (let taken = await take(); taken; taken = await take()) results[taken.index] = await processOne(taken.item);
  });
  const settled = await Promise.allSettled(lanes);
  const failed = settled.find((lane) => lane.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const context = structuredClone(step.executionContext);
  reader.update?.(context);
  return { outputs: outputsOf(results, counts, policy, canSkip), counts, context, done };
}

type Outcome<O> = { value: O | null | undefined; error?: undefined } | { value?: undefined; error: unknown };

/** The processor with the step's retry policy: an outcome per item, never a throw. */
function processWithRetry<I, O>(processor: (item: I) => Promise<O | null | undefined> | O | null | undefined, policy: FaultTolerance | undefined) {
  const retryPolicy: RetryPolicy = {
    retries: policy?.retryLimit ?? 3,
    retryOn: (error) => policy?.retry?.(error) ?? false,
    backoff: exponentialBackoff(policy?.backoffMs ?? 50),
  };
  return async (item: I): Promise<Outcome<O>> => {
    try {
      return { value: await retry(async () => processor(item), retryPolicy) };
    } catch (error) {
      return { error };
    }
  };
}

/** The chunk's outputs in item order; process skips and filters counted (a skip past the limit throws). */
function outputsOf<O>(results: Outcome<O>[], counts: StepCounts, policy: FaultTolerance | undefined, canSkip: (error: unknown) => boolean): O[] {
  const outputs: O[] = [];
  for (const result of results) {
    if (result.error !== undefined) {
      if (!canSkip(result.error)) throw result.error;
      counts.processSkipCount++;
      checkSkipLimit(counts, policy, result.error);
    } else if (result.value === null || result.value === undefined) {
      counts.filterCount++;
    } else {
      outputs.push(result.value);
    }
  }
  return outputs;
}

/** Runs `work` again after transient database errors (deadlock, lock wait, lost connection), with backoff; each is a rollback. */
function withTransientRetry<T>(work: () => Promise<T>, step: StepExecution): Promise<T> {
  return retry(work, {
    retries: 5,
    retryOn: isTransientDatabaseError,
    onRetry: () => void step.rollbackCount++,
    backoff: exponentialBackoff(50, { maxMs: 2000, jitterMs: 25 }),
  });
}

async function writeChunk<O>(
  chunk: Chunk<O>,
  writer: ItemWriter<O>,
  step: StepExecution,
  env: StepEnvironment,
  policy: FaultTolerance | undefined,
  canSkip: (error: unknown) => boolean,
): Promise<void> {
  const db = env.db.kysely;
  try {
    await withTransientRetry(async () => {
      const counts = { ...chunk.counts, rollbackCount: step.rollbackCount, writeCount: chunk.counts.writeCount + chunk.outputs.length, commitCount: chunk.counts.commitCount + 1 };
      const version = await env.db.transaction(async (tx) => {
        if (chunk.outputs.length) await writer.write(chunk.outputs, tx.kysely);
        writer.update?.(chunk.context);
        return env.repository.saveChunkProgress(tx, step, counts, chunk.context);
      });
      commit(step, version, counts, chunk.context);
    }, step);
  } catch (error) {
    step.rollbackCount++;
    if (!canSkip(error) || chunk.outputs.length === 0) throw error;
    await scan(chunk, writer, step, env, db, policy, canSkip);
  }
}

function pickCounts(s: StepCounts): StepCounts {
  const { readCount, writeCount, filterCount, commitCount, rollbackCount, readSkipCount, processSkipCount, writeSkipCount } = s;
  return { readCount, writeCount, filterCount, commitCount, rollbackCount, readSkipCount, processSkipCount, writeSkipCount };
}

function commit(step: StepExecution, version: number, counts: StepCounts, context: ExecutionContext): void {
  Object.assign(step, counts);
  step.version = version;
  step.executionContext = context;
}

/**
 * The chunk's write failed with a skippable error: write it again one item at a time, inside
 * one transaction with a savepoint per item, so only the bad items are skipped, the processor
 * is not run again, and a crash mid-scan leaves nothing half-done.
 */
async function scan<O>(
  chunk: Chunk<O>,
  writer: ItemWriter<O>,
  step: StepExecution,
  env: StepEnvironment,
  db: Kysely<any>,
  policy: FaultTolerance | undefined,
  canSkip: (error: unknown) => boolean,
): Promise<void> {
  await withTransientRetry(async () => {
    const counts = { ...chunk.counts, rollbackCount: step.rollbackCount, commitCount: chunk.counts.commitCount + 1 };
    const tx = await db.startTransaction().execute();
    try {
      for (let i = 0; i < chunk.outputs.length; i++) {
        const savepoint = await tx.savepoint(`item${i}`).execute();
        try {
          await writer.write([chunk.outputs[i]!], savepoint as unknown as Transaction<any>);
          await savepoint.releaseSavepoint(`item${i}`).execute();
          counts.writeCount++;
        } catch (error) {
          await savepoint.rollbackToSavepoint(`item${i}`).execute();
          if (!canSkip(error)) throw error;
          counts.writeSkipCount++;
          counts.rollbackCount++;
          checkSkipLimit(counts, policy, error);
        }
      }
      writer.update?.(chunk.context);
      const version = await env.repository.saveStepExecution(tx, step, counts, chunk.context);
      await tx.commit().execute();
      commit(step, version, counts, chunk.context);
    } catch (error) {
      await tx.rollback().execute().catch(() => undefined);
      throw error;
    }
  }, step);
}
