// A job thread: where an operator with `jobThread` set runs its executions, so the thread that
// serves people never runs a job. better-sqlite3 is synchronous; a chunk loop on the serving
// thread keeps it from answering for the whole length of a job.
//
// The operator (main thread) keeps the launch rules, the creation of the execution (with its
// owner row and lease), stop requests and recovery; it posts each execution here. This thread
// opens its own connection with the same URL (WAL lets the serving thread read meanwhile),
// builds its own JobRepository, finds the job by name in the list its entry module imported,
// and runs it with runJobExecution, exactly as in-process. Only messages cross: every BatchEvent
// back (the operator re-emits it, so live progress reaches the screens), a stop one way, the
// final JobExecution back. Partitioned steps start their Piscina pools from here. The serving
// thread's connection never checkpoints the WAL (OpenOptions.checkpointsElsewhere): it asks this
// thread to (checkpoint), whose own connection also checkpoints by itself as it commits.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { checkpointWal, openDatabase, type Database } from './database/connection.ts';
import { BatchEvents, type BatchEvent } from './events.ts';
import type { JobDefinition } from './job.ts';
import { runJobExecution } from './jobRunner.ts';
import { JobLeases } from './JobLeases.ts';
import { JobRepository } from './JobRepository.ts';
import type { JobExecution } from './model.ts';
import { PartitionRunner, piscinaEntry } from './partition.ts';

/** The module a job thread loads: its default export is `jobThreadEntry(jobs)`. */
export interface JobThreadOptions {
  filename: string;
}

/** What the operator sends with each execution. */
export interface JobThreadRun {
  type: 'run';
  dbUrl: string;
  execution: JobExecution;
  timeZone: string;
  /** the zone another application's rows keep their times in (JobRepository.setForeignTimeZone) */
  foreignTimeZone: string;
  /** the operator's lease on the execution, which this thread renews (see serveJobThread) */
  lease: { ownerId: string; heartbeatMs: number; leaseMs: number };
}

type ToThread = JobThreadRun | { type: 'stop'; jobExecutionId: number } | { type: 'checkpoint'; id: number; dbUrl: string } | { type: 'close' };
type FromThread =
  | { type: 'event'; event: BatchEvent }
  | { type: 'done'; jobExecutionId: number; execution: JobExecution }
  | { type: 'failed'; jobExecutionId: number; message: string }
  | { type: 'checkpointed'; id: number; error?: string };

interface Pending {
  events: BatchEvents;
  resolve: (execution: JobExecution) => void;
  reject: (error: Error) => void;
}

// ---- the operator's side ---------------------------------------------------------------------

/**
 * One long-lived worker thread for every execution an operator runs (started at the first, kept
 * while the operator lives, not holding the process open between jobs).
 */
export class JobThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly checkpoints = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private checkpointIds = 0;

  constructor(private readonly options: JobThreadOptions) {}

  /** Runs `run.execution` on the thread; settles with its final state, rejects if the thread died. */
  run(run: Omit<JobThreadRun, 'type'>, events: BatchEvents, signal: AbortSignal): Promise<JobExecution> {
    const worker = this.start();
    const id = run.execution.id;
    return new Promise<JobExecution>((resolve, reject) => {
      this.pending.set(id, { events, resolve, reject });
      worker.ref();
      worker.postMessage({ type: 'run', ...run } satisfies ToThread);
      const stop = () => this.worker?.postMessage({ type: 'stop', jobExecutionId: id } satisfies ToThread);
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    }).finally(() => {
      this.pending.delete(id);
      if (!this.pending.size) this.worker?.unref();
    });
  }

  /**
   * Has the thread checkpoint the WAL of `dbUrl` on its connection (checkpointWal), after the
   * transaction it is in, if any. Does not keep the process open.
   */
  checkpoint(dbUrl: string): Promise<void> {
    const worker = this.start();
    const id = ++this.checkpointIds;
    return new Promise<void>((resolve, reject) => {
      this.checkpoints.set(id, { resolve, reject });
      worker.postMessage({ type: 'checkpoint', id, dbUrl } satisfies ToThread);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = piscinaEntry(this.options.filename);
    const worker = new Worker(new URL(entry.filename), { workerData: { ...entry.workerData, jobThread: true } });
    worker.on('message', (message: FromThread) => {
      if (message.type === 'event') {
        this.pending.get(message.event.jobExecutionId)?.events.emit(message.event);
      } else if (message.type === 'done') {
        this.pending.get(message.jobExecutionId)?.resolve(message.execution);
      } else if (message.type === 'checkpointed') {
        const checkpoint = this.checkpoints.get(message.id);
        this.checkpoints.delete(message.id);
        if (message.error === undefined) checkpoint?.resolve();
        else checkpoint?.reject(new Error(message.error));
      } else {
        this.pending.get(message.jobExecutionId)?.reject(new Error(message.message));
      }
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(error);
      for (const c of this.checkpoints.values()) c.reject(error);
      this.checkpoints.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The job thread ended (exit code ${code}) while executions were running`)));
    this.worker = worker;
    return worker;
  }

  /** Closes the thread's connection and pools and lets it end (after the executions ended). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToThread);
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
    for (const c of this.checkpoints.values()) c.reject(new Error('The job thread was closed'));
    this.checkpoints.clear();
  }
}

// ---- the thread's side -----------------------------------------------------------------------

/**
 * What a job thread's entry module exports as its default, given the jobs it knows (the same
 * list the operator was given). Loaded as a job thread it starts serving; imported anywhere else
 * (a test, a bundle check) it only returns the function that would.
 */
export function jobThreadEntry(jobs: readonly JobDefinition<any>[]): () => void {
  const serve = () => serveJobThread(jobs);
  if (!isMainThread && (workerData as { jobThread?: boolean } | null)?.jobThread) serve();
  return serve;
}

function serveJobThread(jobs: readonly JobDefinition<any>[]): void {
  const port = parentPort;
  if (!port) throw new Error('A job thread runs in a worker thread');
  const post = (message: FromThread) => port.postMessage(message);
  const databases = new Map<string, Promise<Database>>();
  const partitions = new PartitionRunner();
  const running = new Map<number, { controller: AbortController; done: Promise<void>; message: JobThreadRun }>();

  const database = (url: string) => {
    let db = databases.get(url);
    if (!db) {
      // A chunk that finds the write lock taken (a desk sale committing, its fsync included) tries
      // again every 2 ms rather than in SQLite's busy handler, whose sleeps grow to 100 ms.
      db = openDatabase(url, { lockTurn: 'job' });
      databases.set(url, db);
    }
    return db;
  };

  // The leases of the executions running here are renewed from here, and stop requests made in
  // the database (by another desk) noticed here: a heartbeat's UPDATE on the serving thread's
  // connection would wait there, synchronously, for a chunk's write lock.
  let heartbeat: NodeJS.Timeout | undefined;
  const beat = async () => {
    const byLease = new Map<string, number[]>();
    for (const [id, r] of running) {
      const key = JSON.stringify([r.message.dbUrl, r.message.lease.ownerId, r.message.lease.leaseMs]);
      byLease.set(key, [...(byLease.get(key) ?? []), id]);
    }
    for (const [key, ids] of byLease) {
      const [url, ownerId, leaseMs] = JSON.parse(key) as [string, string, number];
      try {
        const repository = new JobRepository(await database(url));
        await new JobLeases(repository.db, repository.rows).heartbeat(ownerId, ids, leaseMs);
        for (const id of ids) if ((await repository.jobExecutionStatus(id)) === 'STOPPING') running.get(id)?.controller.abort();
      } catch {
        // The database is away for a moment: the next beat tries again; the lease outlasts several.
      }
    }
  };
  const heartbeatFor = (everyMs: number) => {
    if (heartbeat) return;
    heartbeat = setInterval(() => void beat(), everyMs);
  };

  const run = async (message: JobThreadRun, controller: AbortController): Promise<void> => {
    const { execution } = message;
    try {
      const job = jobs.find((j) => j.name === execution.jobName);
      if (!job) throw new Error(`The job thread does not know ${execution.jobName}`);
      const db = await database(message.dbUrl);
      const repository = new JobRepository(db);
      repository.setForeignTimeZone(message.foreignTimeZone);
      const events = new BatchEvents();
      events.subscribe((event) => post({ type: 'event', event }));
      const finished = await runJobExecution(job, execution, { repository, db, events, timeZone: message.timeZone, signal: controller.signal, partitions });
      post({ type: 'done', jobExecutionId: execution.id, execution: finished });
    } catch (error) {
      post({ type: 'failed', jobExecutionId: execution.id, message: String((error as Error)?.message ?? error) });
    }
  };

  port.on('message', (message: ToThread) => {
    if (message.type === 'run') {
      const controller = new AbortController();
      const done = run(message, controller).finally(() => {
        running.delete(message.execution.id);
        if (!running.size) heartbeat = void clearInterval(heartbeat);
      });
      running.set(message.execution.id, { controller, done, message });
      heartbeatFor(message.lease.heartbeatMs);
    } else if (message.type === 'stop') {
      running.get(message.jobExecutionId)?.controller.abort();
    } else if (message.type === 'checkpoint') {
      database(message.dbUrl)
        .then(checkpointWal)
        .then(
          () => post({ type: 'checkpointed', id: message.id }),
          (error: unknown) => post({ type: 'checkpointed', id: message.id, error: String((error as Error)?.message ?? error) }),
        );
    } else {
      void (async () => {
        await Promise.allSettled([...running.values()].map((r) => r.done));
        await partitions.close();
        await Promise.allSettled([...databases.values()].map(async (db) => (await db).close()));
        port.close();
      })();
    }
  });
}
