// The composition root every transport starts from (command line, HTTP serve, Electron):
// open the database named by PASS_DB_URL, bring its schema up to date, recover executions
// whose process died, and hand out the JobOperator.
import { JobOperator, migrateToLatest, openDatabase, type Database, type JobDefinition } from '../batch/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import { passJobs } from '../pass/jobs/index.ts';

export interface RuntimeOptions {
  /** default: PASS_DB_URL, else the SQLite file in the user's data folder */
  dbUrl?: string;
  jobs?: JobDefinition<any>[];
  timeZone?: string;
  /** apply migrations at start (default true) */
  migrate?: boolean;
}

export interface Runtime {
  db: Database;
  operator: JobOperator;
  close(): Promise<void>;
}

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const db = await openDatabase(options.dbUrl);
  try {
    if (options.migrate !== false) await migrateToLatest(db, migrations);
    const operator = new JobOperator({
      database: db,
      jobs: options.jobs ?? passJobs,
      timeZone: options.timeZone ?? process.env.PASS_TIME_ZONE ?? 'Asia/Seoul',
    });
    await operator.recoverOrphans();
    return {
      db,
      operator,
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
