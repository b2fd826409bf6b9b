// Which build of the native SQLite driver (better-sqlite3) this runtime loads. `npm install`
// builds it for the Node that ran npm; Electron's main process and its worker threads run
// another Node (Electron 42: Node 24, NODE_MODULE_VERSION 146) and can't load that build. So a
// build per runtime is kept in a cache folder keyed by runtime, version, ABI, platform and arch
// (bin/native.mjs makes it; `npm start` and `npm run dist` call it), never over the Node build in
// node_modules, and every place that opens SQLite goes through openSqliteFile(), which passes
// better-sqlite3's `nativeBinding` when the cache holds a build for the running runtime.
//
// Only erasable TypeScript here: bin/native.mjs loads this file too, to name the cache folder.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** What a binding must match: the runtime's name and version, its module ABI, the platform and arch. */
export interface RuntimeFacts {
  runtime: 'electron' | 'node';
  version: string;
  /** NODE_MODULE_VERSION (process.versions.modules) */
  abi: string;
  platform: string;
  arch: string;
}

/** The runtime this code runs in (Electron's main process or a worker thread of it, or Node). */
export function currentRuntime(): RuntimeFacts {
  const electron = process.versions.electron;
  return {
    runtime: electron ? 'electron' : 'node',
    version: electron ?? process.versions.node,
    abi: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The cache folder's name for a runtime: `electron-42.11.18-abi146-linux-x64`. */
export function runtimeKey(facts: RuntimeFacts): string {
  return `${facts.runtime}-${facts.version}-abi${facts.abi}-${facts.platform}-${facts.arch}`;
}

export const BINDING_FILE = 'better_sqlite3.node';

/** node_modules/.cache/pass-console/native, beside the better-sqlite3 this code resolves. */
export function defaultNativeFolder(): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    return join(dirname(dirname(packageJson)), '.cache', 'pass-console', 'native');
  } catch {
    return undefined;
  }
}

/**
 * Where builds are looked for: PASS_NATIVE_DIR when it is set (the packaged app sets it to its
 * app.asar.unpacked/native, and worker threads inherit it), else the checkout's cache.
 */
export function nativeFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  const folder = env.PASS_NATIVE_DIR?.trim() || defaultNativeFolder();
  return folder ? [folder] : [];
}

/**
 * The cached build for `facts`, or undefined when there is none: then better-sqlite3 loads the
 * build in node_modules, which is right for the runtime npm installed with and fails in plain
 * words (openSqliteFile) for any other.
 */
export function bindingFor(facts: RuntimeFacts = currentRuntime(), folders: string[] = nativeFolders(), exists: (path: string) => boolean = existsSync): string | undefined {
  const key = runtimeKey(facts);
  return folders.map((folder) => join(folder, key, BINDING_FILE)).find((file) => exists(file));
}

/** The driver could not be loaded by this runtime: says what was looked for and what to do. */
export class NativeDriverError extends Error {
  override name = 'NativeDriverError';
}

/** A load failure of the addon itself (another ABI, a missing or broken file), not of a database. */
function isLoadFailure(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return (error as NodeJS.ErrnoException)?.code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header|wrong ELF class|Could not locate the bindings file/.test(text);
}

export function driverProblem(error: unknown, facts: RuntimeFacts = currentRuntime(), folders: string[] = nativeFolders()): NativeDriverError {
  const key = runtimeKey(facts);
  const looked = folders.length ? folders.map((folder) => join(folder, key, BINDING_FILE)).join(' or ') : '(no cache folder: better-sqlite3 is not installed)';
  const how = facts.runtime === 'electron' ? '`npm start` builds it (or `node bin/native.mjs --electron`)' : `\`node bin/native.mjs --runtime ${process.execPath}\` builds it`;
  return new NativeDriverError(
    `The SQLite driver can't be loaded by ${facts.runtime} ${facts.version} (module version ${facts.abi}, ${facts.platform}-${facts.arch}): ` +
      `node_modules holds a build for another runtime, and no build for this one was found at ${looked}; ${how}. ` +
      `(${String((error as Error)?.message ?? error).replace(/\s*\n\s*/g, ' ')})`,
    { cause: error },
  );
}

type SqliteOptions = BetterSqlite3.Options;
let constructor: typeof BetterSqlite3 | undefined;

/**
 * `new Database(file, options)` with the build this runtime needs: the one place SQLite is opened
 * (the engine's connection, the settings' connection test, backups, restores, worker threads).
 */
export async function openSqliteFile(file: string, options: SqliteOptions = {}): Promise<BetterSqlite3.Database> {
  constructor ??= (await import('better-sqlite3')).default;
  const nativeBinding = bindingFor();
  try {
    return new constructor(file, nativeBinding ? { ...options, nativeBinding } : options);
  } catch (error) {
    if (isLoadFailure(error)) throw driverProblem(error);
    throw error;
  }
}
