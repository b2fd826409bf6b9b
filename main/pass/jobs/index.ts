// Every pass-service job, as the scheduler, the command line and the console list them.
import type { JobDefinition } from '../../batch/index.ts';
import { addPassesJob } from './addPassesJob.ts';
import { expirePassesJob } from './expirePassesJob.ts';
import { importMembersJob } from './importMembersJob.ts';
import { makeStatisticsJob } from './makeStatisticsJob.ts';
import { sendExpiryReminderJob } from './sendExpiryReminderJob.ts';
import { sendNotificationBeforeClassJob } from './sendNotificationBeforeClassJob.ts';
import { usePassesJob } from './usePassesJob.ts';

/** The six jobs that run on schedules (main/pass/schedules.ts), each with work in the demo gym. */
export const passJobs: JobDefinition<any>[] = [
  expirePassesJob,
  addPassesJob,
  sendNotificationBeforeClassJob,
  usePassesJob,
  makeStatisticsJob,
  sendExpiryReminderJob,
];

/** Jobs staff launch on a file of theirs, never on a schedule: importing the old program's members. */
export const fileJobs: JobDefinition<any>[] = [importMembersJob];
