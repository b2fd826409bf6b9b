// The demo gym added on a thread of its own: what the desktop's first-run screen runs when the
// person chooses to try the console with the demo gym (setup.createAdmin's `gym: 'demo'`).
// seedDemoGym writes about 20,000 rows in one transaction; through better-sqlite3 that is
// synchronous, about 1.5 s in which the thread running it answers nothing. So the rows are
// written by a worker thread (workers/demoGymWorker.ts) over its own connection, as the jobs
// are (main/batch/jobThread.ts), and the thread that serves people only waits for its answer.
// One transaction: a failure leaves nothing of the demo gym behind.
import { threadId } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { openDatabase } from '../../batch/database/connection.ts';
import { piscinaEntry } from '../../batch/partition.ts';
import { workerFile } from '../workerFiles.ts';
import { DemoGymRefusedError, seedDemoGym, type DemoGymCounts } from './demoGym.ts';

export interface DemoGymTask {
  dbUrl: string;
  /** the demo gym's "today" (ISO); default the worker's clock */
  now?: string;
  /** fewer members than the 2,000 of the demo gym (tests) */
  members?: number;
}

/** What the thread answers: the rows added (and the thread that wrote them), or why the database was left as it was. */
export type DemoGymOutcome = { added: DemoGymCounts; thread: number } | { refused: string };

/** What the worker thread runs (workers/demoGymWorker.ts's default export). */
export async function seedDemoGymTask(task: DemoGymTask): Promise<DemoGymOutcome> {
  const db = await openDatabase(task.dbUrl, { poolSize: 1, lockTurn: 'job' });
  try {
    return { added: await seedDemoGym(db, { now: task.now ? new Date(task.now) : undefined, members: task.members }), thread: threadId };
  } catch (error) {
    if (error instanceof DemoGymRefusedError) return { refused: error.message };
    // a plain Error crosses to the calling thread whole; a driver's error subclass (SqliteError)
    // would arrive as an object with its code only
    throw new Error(`The demo gym was not written (nothing of it was kept): ${(error as Error)?.message ?? String(error)}`);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/**
 * The demo gym added to the database at `task.dbUrl` by a worker thread running `worker` (a module
 * whose default export is seedDemoGymTask); this thread stays free meanwhile. Rejects with the
 * thread's error when the rows could not be written (nothing is left of them).
 */
export async function seedDemoGymOnThread(task: DemoGymTask, worker: string = workerFile('demoGymWorker')): Promise<DemoGymOutcome> {
  const pool = new Piscina({ ...piscinaEntry(worker), minThreads: 0, maxThreads: 1 });
  try {
    return (await pool.run(task)) as DemoGymOutcome;
  } finally {
    await pool.destroy();
  }
}
