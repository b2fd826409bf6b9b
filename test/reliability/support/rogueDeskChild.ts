// The broken desk for PASS_RELIABILITY_BREAK=desks: launches every scheduled job on every fire
// time between startAt and stopAt directly, without claiming the fire in BATCH_SCHEDULE_FIRE.
//   rogueDeskChild.ts <dbUrl> <startAtEpochMs> <stopAtEpochMs>
import { Cron } from 'croner';
import { JobOperator, openDatabase } from '../../../main/batch/index.ts';
import { passJobs } from '../../../main/pass/jobs/index.ts';
import { DESK_SCHEDULES } from './deskSchedules.ts';

const [url, startAt, stopAt] = process.argv.slice(2);
const db = await openDatabase(url!, { poolSize: 4 });
const operator = new JobOperator({ database: db, jobs: passJobs, timeZone: 'Asia/Seoul' });
const crons = DESK_SCHEDULES.map((s) => new Cron(s.cron, { timezone: 'Asia/Seoul' }));
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
let launched = 0;
while (Date.now() < Number(stopAt)) {
  const now = new Date();
  for (const [i, cron] of crons.entries()) {
    const previous = cron.nextRun(new Date(now.getTime() - 250));
    if (!previous || previous.getTime() > now.getTime()) continue;
    const job = DESK_SCHEDULES[i]!.jobName;
    operator.start(job, job === 'makeStatisticsJob' ? {} : { now: previous }, { launchedBy: 'rogue', now: previous }).then(
      () => launched++,
      () => undefined,
    );
  }
  await new Promise((r) => setTimeout(r, 250));
}
await operator.close();
console.log(JSON.stringify({ rogue: true, launched }));
await db.close();
