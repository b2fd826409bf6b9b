// A partitioned step: its manager step execution splits the work into partitions (a plan it
// records before any partition runs) and ends with their sum; the PartitionRunner runs the
// partitions on a Piscina pool of worker threads when the step names a worker module, else
// concurrently in this thread. Each worker opens its own database connection and runs its
// partition's step execution as any step runs.
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { openDatabase, writersWaiting, type Database } from './database/connection.ts';
import { BatchEvents, type BatchEvent } from './events.ts';
import { findStep, type JobDefinition, type PartitionedStep } from './job.ts';
import { JobRepository } from './JobRepository.ts';
import { ZERO_COUNTS, type ExecutionContext, type StepCounts, type StepExecution } from './model.ts';
import type { JobParameter } from './parameters.ts';
import { exitMessageOf, isRunning, type BatchStatus } from './status.ts';
import { contextFor, endStep, progressOf, runStepExecution, stepEnvironment, type StepEnvironment } from './stepRunner.ts';

export interface PartitionTask {
  dbUrl: string;
  jobName: string;
  stepName: string;
  jobExecutionId: number;
  stepExecutionId: number;
  parameters: JobParameter[];
  timeZone: string;
  /** the worker's step events come back through this port, so live counts reach the console */
  events?: MessagePort;
}

/** A partition's last message to the main thread: every chunk event before it has been posted. */
const FLUSHED = { type: 'partition-events-flushed' } as const;

// ---- the manager step -------------------------------------------------------------------------

interface PartitionPlan {
  partitions: Array<{ name: string; context: ExecutionContext }>;
}

/**
 * The manager step records its plan (one context per partition) before any partition runs,
 * so a restart reruns exactly the partitions that did not complete, with their own contexts.
 */
export async function runPartitioned(
  step: PartitionedStep,
  manager: StepExecution,
  previousManager: StepExecution | undefined,
  instanceId: number,
  stepEnv: StepEnvironment,
  partitions: PartitionRunner,
): Promise<StepExecution> {
  const { repository, jobExecutionId } = stepEnv;
  stepEnv.events.emit({ type: 'step-started', jobExecutionId, step: progressOf(manager) });
  try {
    let plan = previousManager?.executionContext.plan as PartitionPlan | undefined;
    if (!plan) {
      const contexts = await step.partitioner(contextFor(manager, stepEnv));
      plan = { partitions: contexts.map((context, i) => ({ name: `${step.name}:partition${i}`, context })) };
    }
    const context = { plan };
    manager.version = await repository.saveStepExecution(repository.db, manager, manager, context);
    manager.executionContext = context;

    const history = await repository.stepHistory(instanceId, `${step.name}:partition`, true);
    const lastByName = new Map(history.map((s) => [s.stepName, s]));
    const pending: StepExecution[] = [];
    for (const partition of plan.partitions) {
      const last = lastByName.get(partition.name);
      if (last?.status === 'COMPLETED' && !step.allowStartIfComplete) continue;
      const resume = last && last.status !== 'COMPLETED' ? last.executionContext : partition.context;
      pending.push(await repository.createStepExecution(jobExecutionId, partition.name, resume));
    }
    // The manager's live counts are its partitions' so far: a console showing the step sees it move.
    const live = new Map<string, StepCounts>();
    const sum = (parts: Iterable<StepCounts>) => {
      const total: StepCounts = { ...ZERO_COUNTS };
      for (const p of parts) for (const key of Object.keys(total) as Array<keyof StepCounts>) total[key] += p[key];
      return total;
    };
    const unsubscribe = stepEnv.events.subscribe((event) => {
      // a partition's end too: its last chunk's event crosses from its thread on a port of its own and may come after it
      if ((event.type !== 'chunk-committed' && event.type !== 'step-finished') || event.jobExecutionId !== jobExecutionId || !event.step.stepName.startsWith(`${step.name}:partition`)) return;
      live.set(event.step.stepName, event.step);
      stepEnv.events.emit({ type: 'chunk-committed', jobExecutionId, step: progressOf({ ...manager, ...sum(live.values()) }) });
    });
    let finished: StepExecution[];
    try {
      finished = await partitions.run(step, pending, stepEnv);
    } finally {
      unsubscribe();
    }
    const counts = sum(finished);
    Object.assign(manager, counts);
    const failed = finished.find((p) => p.status === 'FAILED');
    const stopped = finished.find((p) => p.status === 'STOPPED');
    const status: BatchStatus = failed ? 'FAILED' : stopped ? 'STOPPED' : 'COMPLETED';
    const exitMessage = failed ? `${failed.stepName}: ${failed.exitMessage}` : stopped ? 'Stopped at a chunk boundary on request' : '';
    return await endStep(manager, stepEnv, status, exitMessage);
  } catch (error) {
    return endStep(manager, stepEnv, 'FAILED', exitMessageOf(error));
  }
}

export class PartitionRunner {
  private readonly pools = new Map<string, Piscina>();

  async run(step: PartitionedStep, partitions: StepExecution[], env: StepEnvironment): Promise<StepExecution[]> {
    if (!partitions.length) return [];
    if (!step.workers) return Promise.all(partitions.map((p) => runStepExecution(step.step, p, env)));
    const pool = this.pool(step.workers.filename, step.workers.maxThreads);
    const job = await env.repository.getJobExecution(env.jobExecutionId);
    const done = await Promise.all(
      partitions.map(async (p) => {
        env.events.emit({ type: 'step-started', jobExecutionId: env.jobExecutionId, step: progressOf(p) });
        const task: PartitionTask = {
          dbUrl: env.db.url,
          jobName: env.jobName,
          stepName: step.name,
          jobExecutionId: env.jobExecutionId,
          stepExecutionId: p.id,
          parameters: job?.parameters ?? [],
          timeZone: env.timeZone,
        };
        const channel = new MessageChannel();
        // The worker's last message on this port says its chunk events are all sent: the task's
        // result comes back on Piscina's own port, which may overtake them.
        let flushed: () => void = () => undefined;
        const drained = new Promise<void>((resolve) => (flushed = resolve));
        channel.port1.on('message', (event: BatchEvent | typeof FLUSHED) => (event.type === FLUSHED.type ? flushed() : env.events.emit(event)));
        task.events = channel.port2;
        try {
          await pool.run(task, { transferList: [channel.port2] });
          // (a worker that died sends none: don't wait long for it)
          await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        } catch (error) {
          // The worker itself died (not the step): record it so the partition can be rerun.
          const current = (await env.repository.getStepExecution(p.id)) ?? p;
          if (isRunning(current.status)) {
            channel.port1.close();
            return endStep(current, env, 'FAILED', `Worker thread failed: ${(error as Error)?.message ?? String(error)}`);
          }
        }
        channel.port1.close();
        const finished = (await env.repository.getStepExecution(p.id)) ?? p;
        env.events.emit({ type: 'step-finished', jobExecutionId: env.jobExecutionId, step: progressOf(finished), exitMessage: finished.exitMessage });
        return finished;
      }),
    );
    return done;
  }

  private pool(filename: string, maxThreads?: number): Piscina {
    let pool = this.pools.get(filename);
    if (!pool) {
      const threads = Math.max(1, maxThreads ?? availableParallelism());
      pool = new Piscina({
        ...piscinaEntry(filename),
        minThreads: 0,
        maxThreads: threads,
        idleTimeout: 5_000,
        // A partition streams pages of rows and holds little; V8's default young generation
        // (up to 3 × 16 MB semi-spaces per thread) grows with the allocation rate, not the need.
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
      this.pools.set(filename, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.destroy()));
    this.pools.clear();
  }
}

function toUrl(filename: string): string {
  return filename.startsWith('file:') ? filename : pathToFileURL(filename).href;
}

/** Piscina's filename and workerData for a worker module: TypeScript ones (run from source) load through tsx. */
export function piscinaEntry(filename: string): { filename: string; workerData: { entry?: string; writersWaiting: Int32Array } } {
  // writersWaiting: the count of people's transactions waiting for SQLite's lock (connection.ts)
  return filename.endsWith('.ts')
    ? { filename: new URL('./tsWorker.mjs', import.meta.url).href, workerData: { entry: toUrl(filename), writersWaiting: writersWaiting() } }
    : { filename: toUrl(filename), workerData: { writersWaiting: writersWaiting() } };
}

// ---- the worker side ------------------------------------------------------------------------

const databases = new Map<string, Promise<Database>>();

/**
 * What a worker module under workers/ exports as its default: given the jobs it knows,
 * a function Piscina calls once per partition.
 */
export function partitionWorker(jobs: JobDefinition[]) {
  return async (task: PartitionTask): Promise<{ status: string; stepExecutionId: number }> => {
    const job = jobs.find((j) => j.name === task.jobName);
    const step = job && findStep(job, task.stepName);
    if (!step || step.kind !== 'partitioned') throw new Error(`Worker does not know step ${task.jobName}.${task.stepName}`);
    let db = databases.get(task.dbUrl);
    if (!db) {
      db = openDatabase(task.dbUrl, { poolSize: 2, lockTurn: 'job' });
      databases.set(task.dbUrl, db);
    }
    const database = await db;
    const repository = new JobRepository(database);
    const stepExecution = await repository.getStepExecution(task.stepExecutionId);
    if (!stepExecution) throw new Error(`Step execution ${task.stepExecutionId} not found`);
    // A stop requested anywhere reaches this thread through the database.
    const controller = new AbortController();
    const poll = setInterval(() => {
      repository
        .jobExecutionStatus(task.jobExecutionId)
        .then((status) => {
          if (status === 'STOPPING' || status === 'STOPPED') controller.abort();
        })
        .catch(() => undefined);
    }, 1000);
    try {
      const events = new BatchEvents();
      // Chunk events go back to the main thread; the main thread reports the partition's end itself.
      events.subscribe((event) => event.type === 'chunk-committed' && task.events?.postMessage(event));
      const env = stepEnvironment(
        { repository, db: database, events, timeZone: task.timeZone, signal: controller.signal },
        { jobName: task.jobName, jobExecutionId: task.jobExecutionId, parameters: task.parameters },
      );
      const finished = await runStepExecution(step.step, stepExecution, env);
      task.events?.postMessage(FLUSHED);
      return { status: finished.status, stepExecutionId: finished.id };
    } finally {
      clearInterval(poll);
    }
  };
}
