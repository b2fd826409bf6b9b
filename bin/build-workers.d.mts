// Types for bin/build-workers.mjs, imported by the benchmarks and tests.
/** The packages the worker bundles require at run time (electron-builder unpacks them). */
export declare const WORKER_EXTERNALS: readonly string[];
/** Bundles workers/*.ts into `outDir/<name>.cjs` (default out/workers); returns the files written. */
export declare function buildWorkers(outDir?: string): Promise<string[]>;
