// Types for bin/build-workers.mjs, imported by the benchmarks and tests.
/** The packages the worker bundles require at run time (electron-builder unpacks them). */
export declare const WORKER_EXTERNALS: readonly string[];
/** Bundles `entryPoints` (default workers/*.ts) into `outDir/<name>.cjs` (default out/workers); returns the files written. */
export declare function buildWorkers(outDir?: string, entryPoints?: string[]): Promise<string[]>;
/** workers/*.ts: the entry points the app's jobs name. */
export declare function sourceWorkers(): string[];
/** esbuild's build options for the worker bundles into `outDir` (bin/build-cli.mjs builds them with the command line). */
export declare function workerBuildOptions(outDir: string, entryPoints?: string[]): Record<string, unknown>;
