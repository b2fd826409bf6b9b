// When the pass jobs run unless staff change it: on the gym's clock (no zone given here, so
// Scheduler.ensureDefaults takes the operator's: the saved setting, else PASS_TIME_ZONE, else
// Asia/Seoul), and a run missed while the app was closed is made up once at start-up. Stored on
// first start; after that the database copy, edited from the console, is the one that counts.
import type { ScheduleDefault } from '../batch/scheduler/index.ts';

export const passSchedules: readonly ScheduleDefault[] = [
  { jobName: 'expirePassesJob', cron: '5 0 * * *', misfirePolicy: 'RUN_ONCE' }, // 매일 00:05
  { jobName: 'addPassesJob', cron: '* * * * *', misfirePolicy: 'RUN_ONCE' }, // 매분
  { jobName: 'sendNotificationBeforeClassJob', cron: '* * * * *', misfirePolicy: 'RUN_ONCE' }, // 매분
  { jobName: 'usePassesJob', cron: '*/10 * * * *', misfirePolicy: 'RUN_ONCE' }, // 10분마다
  { jobName: 'makeStatisticsJob', cron: '0 1 * * *', misfirePolicy: 'RUN_ONCE' }, // 매일 01:00
  { jobName: 'sendExpiryReminderJob', cron: '0 10 * * *', misfirePolicy: 'RUN_ONCE' }, // 매일 10:00
];
