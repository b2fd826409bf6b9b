// Types for bin/build-cli.mjs, imported by the benchmarks and tests.
/** The packages the command line's bundle leaves to node_modules at run time. */
export declare const CLI_EXTERNALS: readonly string[];
/** The stamp's file name in the bundle's folder. */
export declare const STAMP: string;
/** The bundle's entry file name in its folder (cli.mjs). */
export declare const CLI_ENTRY: string;
/** out/cli, or PASS_CLI_OUT_DIR. */
export declare function defaultOutDir(env?: NodeJS.ProcessEnv): string;
/** workers/ beside the command line's folder. */
export declare function workersDirFor(outDir: string): string;
/** Whether the bundle in `outDir` may run, else the first reason it may not. */
export declare function bundleState(outDir?: string): { fresh: true } | { fresh: false; reason: string };
/** Builds the command line, the workers and the stamp; returns the files written. */
export declare function buildCli(outDir?: string, options?: { logLevel?: 'silent' | 'error' | 'warning' | 'info' }): Promise<string[]>;
/** The bundle's entry, built first when missing or stale; undefined when it can't be built. */
export declare function freshCliEntry(outDir?: string, options?: { log?: (line: string) => void }): Promise<string | undefined>;
