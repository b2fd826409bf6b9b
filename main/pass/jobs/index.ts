// Every pass-service job, as the scheduler, the command line and the console list them.
import type { JobDefinition } from '../../batch/index.ts';
import { addPassesJob } from './addPassesJob.ts';
import { expirePassesJob } from './expirePassesJob.ts';
import { makeStatisticsJob } from './makeStatisticsJob.ts';
import { sendExpiryReminderJob } from './sendExpiryReminderJob.ts';
import { sendNotificationBeforeClassJob } from './sendNotificationBeforeClassJob.ts';
import { usePassesJob } from './usePassesJob.ts';

export const passJobs: JobDefinition<any>[] = [
  expirePassesJob,
  addPassesJob,
  sendNotificationBeforeClassJob,
  usePassesJob,
  makeStatisticsJob,
  sendExpiryReminderJob,
];
