// One desk in its own process for the several-desks test: the six pass jobs and a Scheduler
// over a shared MariaDB, every job on a seconds-field cron, ticking from startAt until stopAt.
//   deskChild.ts <dbUrl> <ownerName> <startAtEpochMs> <stopAtEpochMs>
// Prints one JSON line with what it launched; the scheduler's warnings go to stderr, where the
// test looks for any optimistic-locking or recording error.
import { JobOperator, openDatabase } from '../../../main/batch/index.ts';
import { Scheduler } from '../../../main/batch/scheduler/index.ts';
import { passJobs } from '../../../main/pass/jobs/index.ts';
import { DESK_SCHEDULES } from './deskSchedules.ts';


async function main(): Promise<void> {
  const [url, ownerName, startAt, stopAt] = process.argv.slice(2);
  const db = await openDatabase(url!, { poolSize: 6 });
  const operator = new JobOperator({ database: db, jobs: passJobs, timeZone: 'Asia/Seoul', heartbeatMs: 500 });
  const scheduler = new Scheduler({
    database: db,
    operator,
    ownerName: ownerName!,
    tickMs: 250,
    logger: { info: () => undefined, warn: (m) => console.error(m) },
  });
  const until = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
  await until(Number(startAt));
  await scheduler.ensureDefaults(DESK_SCHEDULES);
  scheduler.start();
  await until(Number(stopAt));
  await scheduler.stop();
  await scheduler.drain();
  await operator.close();
  const mine = await db.kysely.selectFrom('BATCH_SCHEDULE_FIRE').select('JOB_EXECUTION_ID').where('CLAIMED_BY', '=', ownerName!).execute();
  console.log(JSON.stringify({ owner: ownerName, pid: process.pid, claimed: mine.length, launched: mine.filter((r) => r.JOB_EXECUTION_ID !== null).length }));
  await db.close();
}

await main();
