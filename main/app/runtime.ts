// The engine's half of the composition root (main/app/), the part every transport starts from
// (the command line directly; Electron and `serve` through ./console.ts): open the database named
// by PASS_DB_URL, bring its schema up to date (the one place that does: `migrate` below), recover
// executions whose process died, and hand out the JobOperator, in the gym's time zone as staff
// saved it.
//
// Which thread owns what (issue 15). With `jobThread` (the console: Electron and `serve`, see
// ./console.ts) on SQLite:
//   - the main thread (the one serving IPC, HTTP and the scheduler) owns the service's
//     connection, opened with synchronous = AFTER_COMMIT so an acknowledged change is on disk
//     (its WAL synced off the thread, after the write lock is let go), and the
//     JobOperator: launch rules, creating each execution, heartbeat and leases, stop requests,
//     recovery. It never runs a step.
//   - one job thread (workers/jobThread.ts, a worker_threads Worker started at the first launch)
//     owns a second connection (synchronous = NORMAL) and runs every execution's steps, one
//     transaction per chunk as before; events, stop requests and the final state cross by message.
//     It also checkpoints the WAL: the main thread's connection never does (a commit that found
//     the WAL past 1,000 pages would copy them and sync the file on the serving thread); the job
//     thread's connection does as its chunks commit, and every minute the main thread asks it to
//     (checkpointEveryMs), so the WAL stays small on a day of desk sales and no jobs.
//   - partitioned steps and the backup's copy run on Piscina threads started from the job
//     thread, each with its own connection (NORMAL).
// better-sqlite3 is synchronous, so this is what keeps the screens answering during a job. A
// write from the screens waits for the job's current transaction (every SQLite transaction
// begins IMMEDIATE), and on this connection it waits with the thread free (lockTurn 'people').
// On MySQL, whose driver is asynchronous, and in the command line, which serves no one while
// `pass-batch run` waits for its job, everything stays in the main thread as before.
import { backUpBeforeMigrating, JobOperator, migrateToLatest, openDatabase, type Database, type JobDefinition } from '../batch/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import { consoleJobs } from '../pass/consoleJobs.ts';
import { workerFile } from '../pass/workerFiles.ts';
import { readSavedSettings } from '../pass/savedSettings.ts';
import { writeAudit } from '../service/audit.ts';
import { osActor } from './restore.ts';

export { consoleJobs };

export interface RuntimeOptions {
  /** default: PASS_DB_URL, else the SQLite file in the user's data folder */
  dbUrl?: string;
  jobs?: JobDefinition<any>[];
  /**
   * the gym's time zone when none is saved in the settings (default PASS_TIME_ZONE, else
   * Asia/Seoul): the one chosen on the Settings screen wins, on every desk of the database
   */
  timeZone?: string;
  /** apply migrations at start (default true) */
  migrate?: boolean;
  /**
   * On SQLite, run the jobs on the job thread and open this thread's connection with
   * synchronous = AFTER_COMMIT (see the top of this file). Only with the console's own jobs. Default false.
   */
  jobThread?: boolean;
  /** with the job thread: how often it is asked to checkpoint the WAL (default a minute; tests shorten it) */
  checkpointEveryMs?: number;
  /** who an upgrade of the database at this start is recorded as (default `app:<OS user>`) */
  actor?: string;
}

/** Where the runtime's time zone came from, for the start-up line. */
export type TimeZoneSource = 'settings' | 'option' | 'PASS_TIME_ZONE' | 'default';

export interface Runtime {
  db: Database;
  operator: JobOperator;
  /** where operator.timeZone came from at start */
  timeZoneSource: TimeZoneSource;
  /** the copy of the database as it was before this start upgraded it (migrate), if it did */
  keptBeforeUpgrade?: string;
  close(): Promise<void>;
}

/**
 * Brings the schema up to date: the numbered migrations of db/migrations/ not yet applied, in
 * order. The only caller of the migrator: openRuntime, `npm start`'s preparation
 * (./console.ts prepareDatabase) and `pass-batch migrate` all come here. An SQLite database that
 * holds tables is first copied into its backup folder (upgradeBackup.ts; no copy, no upgrade).
 * Answers what it applied and where the database as it was is kept.
 */
export async function migrate(db: Database, actor: string = osActor('app')): Promise<{ applied: string[]; keptAs?: string }> {
  let keptAs: string | undefined;
  const applied = await migrateToLatest(db, migrations, {
    beforeApplying: async () => {
      keptAs = await backUpBeforeMigrating(db, { worker: workerFile('backupWorker') });
    },
  });
  // An upgrade of a database in use is a change like any other: its row in the activity log, by
  // whoever started the new version, with where the database as it was is kept.
  if (keptAs && applied.length) await writeAudit(db.kysely, { actor, action: 'database.upgrade', target: `file:${keptAs}`, detail: { applied, keptAs } });
  return { applied, keptAs };
}

/** How many migrations the code knows (`pass-batch migrate` says it). */
export const knownMigrationCount = (): number => Object.keys(migrations).length;

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  if (options.jobThread && options.jobs) throw new Error('openRuntime: the job thread runs the console\'s own jobs; leave `jobs` out');
  const db = await openDatabase(options.dbUrl, options.jobThread ? { synchronous: 'AFTER_COMMIT', lockTurn: 'people', checkpointsElsewhere: true } : {});
  try {
    const keptBeforeUpgrade = options.migrate !== false ? (await migrate(db, options.actor)).keptAs : undefined;
    const saved = (await readSavedSettings(db.kysely)).timeZone;
    const fromEnv = process.env.PASS_TIME_ZONE?.trim() || undefined;
    const fallback = options.timeZone ?? fromEnv;
    const operator = new JobOperator({
      database: db,
      jobs: options.jobs ?? consoleJobs,
      timeZone: saved ?? fallback ?? 'Asia/Seoul',
      // A Spring Batch application on the same database writes its times in its JVM's zone.
      springTimeZone: process.env.PASS_SPRING_TIME_ZONE?.trim() || undefined,
      jobThread: options.jobThread && db.dialect === 'sqlite' ? { filename: workerFile('jobThread') } : undefined,
    });
    await operator.recoverOrphans();
    const checkpoints = operator.runsOnJobThread
      ? setInterval(() => void operator.checkpoint().catch(() => undefined), options.checkpointEveryMs ?? 60_000).unref()
      : undefined;
    return {
      db,
      operator,
      timeZoneSource: saved ? 'settings' : options.timeZone !== undefined ? 'option' : fromEnv ? 'PASS_TIME_ZONE' : 'default',
      ...(keptBeforeUpgrade && { keptBeforeUpgrade }),
      close: async () => {
        clearInterval(checkpoints);
        await operator.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
