// When the pass jobs run unless staff change it: the gym's clock (Asia/Seoul), and a run missed
// while the app was closed is made up once at start-up. Stored by Scheduler.ensureDefaults on
// first start; after that the database copy, edited from the console, is the one that counts.
import type { ScheduleDefault } from '../batch/scheduler/index.ts';

const GYM_TIME_ZONE = 'Asia/Seoul';

export const passSchedules: readonly ScheduleDefault[] = [
  { jobName: 'expirePassesJob', cron: '5 0 * * *', timeZone: GYM_TIME_ZONE, misfirePolicy: 'RUN_ONCE' }, // 매일 00:05
  { jobName: 'addPassesJob', cron: '* * * * *', timeZone: GYM_TIME_ZONE, misfirePolicy: 'RUN_ONCE' }, // 매분
  { jobName: 'sendNotificationBeforeClassJob', cron: '* * * * *', timeZone: GYM_TIME_ZONE, misfirePolicy: 'RUN_ONCE' }, // 매분
  { jobName: 'usePassesJob', cron: '*/10 * * * *', timeZone: GYM_TIME_ZONE, misfirePolicy: 'RUN_ONCE' }, // 10분마다
  { jobName: 'makeStatisticsJob', cron: '0 1 * * *', timeZone: GYM_TIME_ZONE, misfirePolicy: 'RUN_ONCE' }, // 매일 01:00
  { jobName: 'sendExpiryReminderJob', cron: '0 10 * * *', timeZone: GYM_TIME_ZONE, misfirePolicy: 'RUN_ONCE' }, // 매일 10:00
];
