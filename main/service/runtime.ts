// The composition root every transport starts from (command line, HTTP serve, Electron):
// open the database named by PASS_DB_URL, bring its schema up to date, recover executions
// whose process died, and hand out the JobOperator, in the gym's time zone as staff saved it.
import { cleanJobHistoryJob, defineBackupJob, JobOperator, migrateToLatest, openDatabase, type Database, type JobDefinition } from '../batch/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import { passJobs } from '../pass/jobs/index.ts';
import { workerFile } from '../pass/workerFiles.ts';
import { readSavedSettings } from '../pass/savedSettings.ts';

/**
 * Every job the console runs: the six pass-service jobs and the engine's history clean-up and
 * backup, whose copy runs on a worker thread so the console's own never waits on the disk.
 */
export const consoleJobs: JobDefinition<any>[] = [...passJobs, cleanJobHistoryJob, defineBackupJob({ worker: workerFile('backupWorker') })];

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
}

/** Where the runtime's time zone came from, for the start-up line. */
export type TimeZoneSource = 'settings' | 'option' | 'PASS_TIME_ZONE' | 'default';

export interface Runtime {
  db: Database;
  operator: JobOperator;
  /** where operator.timeZone came from at start */
  timeZoneSource: TimeZoneSource;
  close(): Promise<void>;
}

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const db = await openDatabase(options.dbUrl);
  try {
    if (options.migrate !== false) await migrateToLatest(db, migrations);
    const saved = (await readSavedSettings(db.kysely)).timeZone;
    const fromEnv = process.env.PASS_TIME_ZONE?.trim() || undefined;
    const fallback = options.timeZone ?? fromEnv;
    const operator = new JobOperator({
      database: db,
      jobs: options.jobs ?? consoleJobs,
      timeZone: saved ?? fallback ?? 'Asia/Seoul',
      // A Spring Batch application on the same database writes its times in its JVM's zone.
      springTimeZone: process.env.PASS_SPRING_TIME_ZONE?.trim() || undefined,
    });
    await operator.recoverOrphans();
    return {
      db,
      operator,
      timeZoneSource: saved ? 'settings' : options.timeZone !== undefined ? 'option' : fromEnv ? 'PASS_TIME_ZONE' : 'default',
      close: async () => {
        await operator.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
