// Where the worker entry points in workers/ are (the pass jobs', the backup's and the demo gym's Piscina ones, and
// the job thread's). Run from source (tests, `pass-batch`, `serve`)
// they are the TypeScript modules in workers/, which the engine loads through tsx. Run from the
// built app (out/main/index.js, made by electron-vite), they are the CommonJS bundles
// bin/build-workers.mjs writes to out/workers/: a worker thread can't run TypeScript there, and
// inside a packaged app it can't read app.asar either, so electron-builder.yml unpacks
// out/workers/ and the path here points into app.asar.unpacked.
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowElement, JobDefinition } from '../batch/index.ts';

export type WorkerName = 'passWorker' | 'notificationWorker' | 'backupWorker' | 'jobThread' | 'demoGymWorker';

/**
 * The worker file for `name`, seen from the module at `moduleUrl`: the built bundle when this
 * code is itself the built bundle (out/main/index.js has out/workers/ beside it); from source
 * (main/pass/workerFiles.ts) there is no main/workers/, so the TypeScript module.
 */
export function workerFile(name: WorkerName, moduleUrl: string = import.meta.url, exists: (path: string) => boolean = existsSync): string {
  const built = fileURLToPath(new URL(`../workers/${name}.cjs`, moduleUrl));
  if (exists(unpacked(built))) return unpacked(built);
  return fileURLToPath(new URL(`../../workers/${name}.ts`, moduleUrl));
}

/** app.asar/… → app.asar.unpacked/…: worker threads load real files only. */
export function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/**
 * The same jobs with their partitions run by the bundles in `directory` (`<name>.cjs` for a
 * worker named `<name>.ts`): how the benchmarks and tests run from source what the built app
 * runs, without tsx in every thread.
 */
export function withWorkerDirectory(jobs: readonly JobDefinition<any>[], directory: string): JobDefinition<any>[] {
  return jobs.map((job) => ({
    ...job,
    flow: job.flow.map((element): FlowElement => {
      if (element.kind !== 'partitioned' || !element.workers) return element;
      const name = basename(element.workers.filename, extname(element.workers.filename));
      return { ...element, workers: { ...element.workers, filename: join(directory, `${name}.cjs`) } };
    }),
  }));
}
