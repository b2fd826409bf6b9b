// The command line as one ES module bundle (out/cli/cli.mjs), so `pass-batch` starts in a few
// tenths of a second instead of compiling main/**.ts through tsx on every run (~1.7 s).
// bin/pass-batch.mjs runs the bundle when it is fresh and builds it in-process when it is missing
// or stale; `npm run build` builds it too. PASS_FROM_SOURCE=1 runs the TypeScript through tsx.
//
// What is built, into out/ (or `outDir` and its sibling workers/):
//   cli/cli.mjs        main/cli/index.ts and everything it imports but the packages a bundle can't
//                      or needn't hold (CLI_EXTERNALS: the native better-sqlite3 and its `bindings`,
//                      the mysql2 driver, Piscina, whose thread entry is a file of its own, tsx)
//   cli/tsWorker.mjs   main/batch/tsWorker.mjs, which partition.ts names beside itself (a worker
//                      file still in TypeScript loads through it)
//   workers/*.cjs      the worker entry points (bin/build-workers.mjs): the bundle finds its
//                      workers in ../workers/ beside it (main/pass/workerFiles.ts), as the built app
//                      does, so they are built with it and are never older than it
//   cli/build.json     the stamp: when the build started and every source file it read
//
// Fresh means: the stamp and every output exist, and no source the bundles were built from (from
// esbuild's metafile: main/**, db/**, workers/**; plus these build scripts, package.json,
// tsconfig.json and node_modules/.package-lock.json, which every `npm install` rewrites) has been
// modified since the build started, has another mtime or size than the build saw, or is gone. `git pull`, `git checkout` and an editor's save
// all give a changed file a new mtime, so none of them leaves a stale bundle running. A new file no
// bundled file imports changes nothing the bundle runs; once one imports it, that one is newer.
//
// Every file is written under a temporary name and renamed into place, the stamp last, so a
// `pass-batch` started while another builds runs either the old complete bundle or the new one.
//
// Usage: node bin/build-cli.mjs [outDir]   (npm run build runs it after electron-vite)
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const CLI_EXTERNALS = ['better-sqlite3', 'bindings', 'mysql2', 'piscina', 'tsx', 'esbuild', 'electron'];
export const STAMP = 'build.json';
export const CLI_ENTRY = 'cli.mjs';
const TS_WORKER = 'tsWorker.mjs';

/** Files besides the bundles' own inputs whose change makes a new build. */
const ALSO_READ = ['bin/build-cli.mjs', 'bin/build-workers.mjs', 'package.json', 'tsconfig.json', 'node_modules/.package-lock.json'];

/** out/cli, unless PASS_CLI_OUT_DIR names another folder (the tests build into a temp one). */
export function defaultOutDir(env = process.env) {
  return env.PASS_CLI_OUT_DIR ? resolve(env.PASS_CLI_OUT_DIR) : join(root, 'out', 'cli');
}

/** Where the worker bundles go: workers/ beside the command line's folder (out/workers). */
export function workersDirFor(outDir) {
  return join(dirname(outDir), 'workers');
}

function readStamp(outDir) {
  try {
    return JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

/** [mtimeMs, size] of a file, or undefined when it is not there. */
function statOf(path) {
  try {
    const stats = statSync(path);
    return [stats.mtimeMs, stats.size];
  } catch {
    return undefined;
  }
}

/**
 * Whether the bundle in `outDir` may run: `{ fresh: true }`, or `{ fresh: false, reason }` naming
 * the first thing that makes it stale (for the tests and for anyone wondering why it rebuilt).
 */
export function bundleState(outDir = defaultOutDir()) {
  const stamp = readStamp(outDir);
  if (!stamp || typeof stamp.builtAt !== 'number' || !Array.isArray(stamp.inputs) || !Array.isArray(stamp.outputs)) {
    return { fresh: false, reason: 'not built' };
  }
  for (const output of stamp.outputs) {
    if (statOf(resolve(outDir, output)) === undefined) return { fresh: false, reason: `${output} is missing` };
  }
  for (const input of stamp.inputs) {
    const now = statOf(join(root, input));
    if (now === undefined) {
      if (stamp.optional?.includes(input)) continue;
      return { fresh: false, reason: `${input} is gone` };
    }
    if (now[0] > stamp.builtAt) return { fresh: false, reason: `${input} changed after the build` };
    // Another mtime or size than the build saw, even an older one: a file put back with its old
    // time (rsync -t, tar, cp -p) is a change too.
    const seen = stamp.seen?.[input];
    if (seen && (seen[0] !== now[0] || seen[1] !== now[1])) return { fresh: false, reason: `${input} is not the file the build read` };
  }
  return { fresh: true };
}

/** Writes `contents` to `path` through a temporary name, so no reader sees half a file. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * Builds the command line and the workers and writes the stamp. Returns the files written
 * (absolute paths). esbuild is imported here, so a run that finds the bundle fresh never loads it.
 * `logLevel` 'silent' keeps esbuild's own messages off a command's stderr (a build on first use).
 */
export async function buildCli(outDir = defaultOutDir(), { logLevel = 'warning' } = {}) {
  const builtAt = Date.now();
  const { build } = await import('esbuild');
  const { workerBuildOptions } = await import('./build-workers.mjs');
  const workersDir = workersDirFor(outDir);
  const [cli, workers] = await Promise.all([
    build({
      entryPoints: { cli: join(root, 'main', 'cli', 'index.ts') },
      absWorkingDir: root,
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: CLI_EXTERNALS,
      // Bundled CommonJS packages (cli-progress, csv-stringify) call require() for Node's modules,
      // which an ES module lacks.
      banner: { js: "import { createRequire as __passCreateRequire } from 'node:module'; const require = __passCreateRequire(import.meta.url);" },
      legalComments: 'none',
      logLevel,
      metafile: true,
      write: false,
    }),
    build({ ...workerBuildOptions(workersDir), absWorkingDir: root, logLevel, write: false }),
  ]);
  const written = [];
  for (const file of [...workers.outputFiles, ...cli.outputFiles]) {
    writeAtomically(file.path, file.contents);
    written.push(file.path);
  }
  const tsWorker = join(outDir, TS_WORKER);
  copyFileSync(join(root, 'main', 'batch', TS_WORKER), `${tsWorker}.${process.pid}.tmp`);
  renameSync(`${tsWorker}.${process.pid}.tmp`, tsWorker);
  written.push(tsWorker);

  const inputs = new Set(['main/batch/tsWorker.mjs', ...ALSO_READ]);
  for (const input of [...Object.keys(cli.metafile.inputs), ...Object.keys(workers.metafile.inputs)]) {
    // Packages' files keep their publish date as mtime: node_modules/.package-lock.json stands for them.
    const path = relative(root, resolve(root, input)).split('\\').join('/');
    if (!path.startsWith('node_modules/') && !path.startsWith('..')) inputs.add(path);
  }
  const sorted = [...inputs].sort();
  const stamp = {
    builtAt,
    inputs: sorted,
    // as each was after the build; one changed during it is newer than builtAt anyway
    seen: Object.fromEntries(sorted.map((input) => [input, statOf(join(root, input))]).filter(([, stat]) => stat)),
    optional: ALSO_READ.filter((file) => !existsSync(join(root, file))),
    outputs: written.map((file) => relative(outDir, file).split('\\').join('/')),
  };
  writeAtomically(join(outDir, STAMP), JSON.stringify(stamp, null, 1) + '\n');
  return written;
}

/**
 * The bundle's entry, built first when it is missing or stale; undefined when it can't be built
 * here (no esbuild in a production install, a read-only folder): the caller then runs the source.
 */
export async function freshCliEntry(outDir = defaultOutDir(), { log = () => {} } = {}) {
  const state = bundleState(outDir);
  if (!state.fresh) {
    log(`building the command line into ${outDir} (${state.reason})`);
    try {
      // Silent: the command's stderr is its own; a failed build falls back to the source, whose
      // own error (a syntax error, say) then says what is wrong.
      await buildCli(outDir, { logLevel: 'silent' });
    } catch (error) {
      log(`could not build it (${String(error?.message ?? error).split('\n')[0]}); running from source`);
      return undefined;
    }
  }
  return join(outDir, CLI_ENTRY);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outputs = await buildCli(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const file of outputs) console.log(`built   ${relative(root, file)}`);
}
