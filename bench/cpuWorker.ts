// Piscina entry point for the Piscina benchmark's partitioned step (bench/cpuJob.ts).
import { fileURLToPath } from 'node:url';
import { partitionWorker } from '../main/batch/index.ts';
import { cpuJob } from './cpuJob.ts';

export const cpuWorkerFile = fileURLToPath(import.meta.url);
export default partitionWorker([cpuJob(cpuWorkerFile, 1)]);
