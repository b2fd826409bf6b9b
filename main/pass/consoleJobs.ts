// Every job the console runs, in one list that both the composition root (main/app/runtime.ts)
// and the job thread's entry point (workers/jobThread.ts) import: the thread runs a job by its
// name, and jobs are closures, so each side builds the same list itself.
import { cleanJobHistoryJob, defineBackupJob, type JobDefinition } from '../batch/index.ts';
import { fileJobs, passJobs } from './jobs/index.ts';
import { workerFile } from './workerFiles.ts';

/**
 * The six pass-service jobs, the member import and the engine's history clean-up and backup,
 * whose copy runs on a worker thread so the console's own never waits on the disk.
 */
export const consoleJobs: JobDefinition<any>[] = [...passJobs, ...fileJobs, cleanJobHistoryJob, defineBackupJob({ worker: workerFile('backupWorker') })];
