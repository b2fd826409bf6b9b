// Helpers the benchmarks share: timing, medians, throw-away databases, progress lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { migrations } from '../db/migrations/index.ts';
import { migrateToLatest, openDatabase, redactUrl, type Database } from '../main/batch/index.ts';
import { buildWorkers, sourceWorkers } from '../bin/build-workers.mjs';

/** Progress goes to stderr: stdout of a benchmark child carries only its JSON rows. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A collection before a timed run, when the child was started with --expose-gc. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Seconds `work` takes, by the monotonic clock. */
export async function timeIt(work: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * The process's resident set size sampled every 20 ms until stop(), whose answer is the largest
 * sample in MB: the peak while one job ran, where maxRSS is the whole process's lifetime peak
 * (data generation, baselines and the other database's rows included). Worker threads count:
 * they live in this process.
 */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return round(peak / 1048576, 1);
    },
  };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function machine(): { cpuModel: string; cores: number; node: string } {
  const list = cpus();
  return { cpuModel: list[0]?.model.trim() ?? 'unknown', cores: list.length, node: process.version };
}

export interface BenchDatabase {
  db: Database;
  /** closes the connection and removes the file or the database */
  dispose(): Promise<void>;
}

/** A migrated SQLite file in a new temp dir, removed on dispose. */
export async function tempSqlite(name: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `pc-bench-${name}-`));
  const db = await openDatabase(`sqlite:${join(dir, `${name}.sqlite`)}`);
  await migrateToLatest(db, migrations);
  return {
    db,
    dispose: async () => {
      await db.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the benchmarks find MariaDB/MySQL: any database on the server will do, they make their own. */
export const MYSQL_ADMIN_URL = process.env.PASS_BENCH_MYSQL_URL ?? process.env.PASS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

/**
 * A fresh, migrated MariaDB database named `pc_bench_<name>_<pid>`, dropped on dispose;
 * or the reason it could not be had (server unreachable), for the row's note.
 */
export async function freshMysql(name: string): Promise<BenchDatabase | { unreachable: string }> {
  const dbName = `pc_bench_${name}_${process.pid}`;
  const admin = async <T>(work: (db: Database) => Promise<T>): Promise<T> => {
    const a = await openDatabase(MYSQL_ADMIN_URL, { poolSize: 1 });
    try {
      return await work(a);
    } finally {
      await a.close().catch(() => undefined);
    }
  };
  try {
    await admin(async (a) => {
      await sql.raw(`DROP DATABASE IF EXISTS \`${dbName}\``).execute(a.kysely);
      await sql.raw(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`).execute(a.kysely);
    });
  } catch (error) {
    return { unreachable: `${redactUrl(MYSQL_ADMIN_URL)} unreachable (${(error as Error).message})` };
  }
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = await openDatabase(url.toString());
  const dispose = async () => {
    await db.close().catch(() => undefined);
    await admin((a) => sql.raw(`DROP DATABASE IF EXISTS \`${dbName}\``).execute(a.kysely));
  };
  try {
    await migrateToLatest(db, migrations);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { db, dispose };
}


/**
 * Seconds a new worker thread takes to load `file` (a Piscina entry point), as the engine's pools
 * start theirs: a built bundle (.cjs, see buildBenchWorkers) is required as it is, a TypeScript
 * module is loaded through tsx (main/batch/tsWorker.mjs). What the first partition of a run
 * waits for before its first chunk.
 */
export async function workerStartSeconds(file: string): Promise<number> {
  const started = process.hrtime.bigint();
  const load = file.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`
    : `Promise.resolve().then(() => require(${JSON.stringify(file)}))`;
  const code =
    `const { parentPort } = require('node:worker_threads');` +
    `${load}.then(() => parentPort.postMessage('ok'), (e) => parentPort.postMessage(String(e)));`;
  const worker = new Worker(code, { eval: true });
  try {
    const answer = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (answer !== 'ok') throw new Error(`the worker could not load ${file}: ${String(answer)}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await worker.terminate();
  }
}

let builtWorkers: Promise<string> | null = null;

/**
 * The pass jobs' worker entry points (and bench/cpuWorker.ts) bundled as the built app ships
 * them (bin/build-workers.mjs),
 * once per process, into node_modules/.cache (inside the repository, so the bundles resolve
 * better-sqlite3 and piscina from its node_modules): the benchmarks measure the threads the
 * desktop app starts, not tsx compiling TypeScript in every thread.
 */
export function buildBenchWorkers(): Promise<string> {
  return (builtWorkers ??= (async () => {
    const dir = fileURLToPath(new URL(`../node_modules/.cache/pass-console-bench-workers/${process.pid}/`, import.meta.url));
    await buildWorkers(dir, [...sourceWorkers(), fileURLToPath(new URL('./cpuWorker.ts', import.meta.url))]);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })());
}
