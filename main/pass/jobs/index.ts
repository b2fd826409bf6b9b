// Every pass-service job, as the scheduler, the command line and the console list them.
import type { JobDefinition } from '../../batch/index.ts';

export const passJobs: JobDefinition<any>[] = [];
