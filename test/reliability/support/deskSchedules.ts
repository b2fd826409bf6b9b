// The several-desks test's schedules: every pass job on a seconds-field cron.
import type { ScheduleDefault } from '../../../main/batch/scheduler/index.ts';

export const DESK_SCHEDULES: ScheduleDefault[] = [
  { jobName: 'expirePassesJob', cron: '*/3 * * * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE' },
  { jobName: 'addPassesJob', cron: '*/2 * * * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE' },
  { jobName: 'sendNotificationBeforeClassJob', cron: '*/4 * * * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE' },
  { jobName: 'usePassesJob', cron: '*/5 * * * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE' },
  { jobName: 'makeStatisticsJob', cron: '*/6 * * * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE' },
  { jobName: 'sendExpiryReminderJob', cron: '*/5 * * * * *', timeZone: 'Asia/Seoul', misfirePolicy: 'RUN_ONCE' },
];
