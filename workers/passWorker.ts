// Piscina entry point for the pass jobs' partitioned steps: each task is one partition's step
// execution, run in this worker thread over its own database connection.
import { partitionWorker } from '../main/batch/index.ts';
import { usePassesJob } from '../main/pass/jobs/usePassesJob.ts';

export default partitionWorker([usePassesJob]);
