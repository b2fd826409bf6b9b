// The job thread's entry point (main/batch/jobThread.ts): on SQLite the console runs every job
// here, on a worker thread with its own connection, so the thread serving the screens never runs
// one. It knows the console's jobs by name; their partitions start Piscina pools from here.
import { jobThreadEntry } from '../main/batch/jobThread.ts';
import { consoleJobs } from '../main/pass/consoleJobs.ts';

export default jobThreadEntry(consoleJobs);
