// Piscina entry point for the notification jobs' send partitions (main/pass/notify/sendStep.ts).
// Each thread opens its own database connection; each partition sends through the notifier saved
// in the console's settings, else the one the environment it inherited names (PASS_NOTIFIER_*).
import { partitionWorker } from '../main/batch/index.ts';
import { sendExpiryReminderJob } from '../main/pass/jobs/sendExpiryReminderJob.ts';
import { sendNotificationBeforeClassJob } from '../main/pass/jobs/sendNotificationBeforeClassJob.ts';

export default partitionWorker([sendNotificationBeforeClassJob, sendExpiryReminderJob]);
