#!/usr/bin/env node
// Builds the native SQLite driver (better-sqlite3) for another runtime than the Node that ran
// `npm install`, into the cache folder main/batch/database/sqliteDriver.ts looks in
// (node_modules/.cache/pass-console/native/<runtime>-<version>-abi<ABI>-<platform>-<arch>/),
// never over the Node build in node_modules/better-sqlite3/build. Once per runtime version:
// a second call finds the build and does nothing.
//
//   node bin/native.mjs --electron                      for the Electron in node_modules/electron
//   node bin/native.mjs --runtime <exe> [--nodedir <d>] for another Node (headers in <d>: offline)
//   --force builds again even when the cache has one
//   --install (with --electron) runs Electron's installer first when its binary is missing
//   --stage <dir> then copies the build to <dir>/<key>/ (`npm run dist`: out/native, which
//                 electron-builder.yml ships unpacked beside app.asar)
//
// How: a copy of the better-sqlite3 package in a temporary folder, then prebuild-install (a
// prebuilt binary for that runtime, when the network has one), else node-gyp from source
// (Electron's headers from electronjs.org, or --nodedir's). The result is loaded once by the
// target runtime itself before it takes its place in the cache. bin/start.mjs and `npm run dist`
// call prepareNativeDriver(); test/runtime/second-runtime.test.ts calls it for Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { tsImport } from 'tsx/esm/api';
import { electronBinary, installElectron } from './get-electron.mjs';

const require = createRequire(import.meta.url);
const driver = await tsImport('../main/batch/database/sqliteDriver.ts', import.meta.url);

export class NativeBuildError extends Error {
  name = 'NativeBuildError';
}

/**
 * The environment another runtime runs in: as Node, and without NODE_OPTIONS, which the calling
 * process's tools (a test runner's loader hooks) set for this Node and which the other one can't load.
 */
function targetEnv() {
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  delete env.NODE_OPTIONS;
  return env;
}

/** What `exe` is: its runtime, version, module ABI, platform and arch, asked of itself. */
export function runtimeFacts(exe) {
  const script = 'console.log(JSON.stringify({electron: process.versions.electron, node: process.versions.node, abi: process.versions.modules, platform: process.platform, arch: process.arch}))';
  const result = spawnSync(exe, ['-e', script], { env: targetEnv(), encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new NativeBuildError(`Could not ask ${exe} which runtime it is: ${(result.stderr || result.error?.message || '').trim().split('\n')[0]}`);
  const facts = JSON.parse(result.stdout.trim().split('\n').pop());
  return { runtime: facts.electron ? 'electron' : 'node', version: facts.electron ?? facts.node, abi: facts.abi, platform: facts.platform, arch: facts.arch };
}

/** Runs a command with a time limit; resolves with its output, rejects with it on failure. */
function run(command, args, { cwd, env, timeoutMs, onLine, shell = false }) {
  // Without npm's own settings: run under `npm run` (npm test, npm start), npm_config_nodedir and
  // the like name this Node's headers, and node-gyp would build for this Node, not the target.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'], shell });
    let output = '';
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) onLine?.(line.trim());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(Object.assign(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`), { output, timedOut: true }));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(Object.assign(error, { output }));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else reject(Object.assign(new Error(`exited with ${code}`), { output }));
    });
  });
}

/** What a failed source build needs, in one sentence. */
export function adviceFor(output) {
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|fetch failed|request to .* failed/i.test(output)) {
    return "the runtime's headers could not be downloaded (no network?); connect to the internet and try again";
  }
  if (/not found: make|make: not found|g\+\+: not found|c\+\+: not found|gyp ERR! stack Error: not found|No Xcode or CLT|Could not find any Visual Studio|find Python/i.test(output)) {
    return process.platform === 'win32'
      ? 'a C++ compiler is missing: install Visual Studio Build Tools (Desktop development with C++) and Python 3'
      : process.platform === 'darwin'
        ? 'a C++ compiler is missing: install the Xcode Command Line Tools (xcode-select --install)'
        : 'a C++ compiler is missing: install make, g++ and python3 (Debian/Ubuntu: apt-get install build-essential python3)';
  }
  return 'see the build output above';
}

function progress(label) {
  const started = Date.now();
  const tty = process.stdout.isTTY;
  let last = '';
  const draw = (detail) => {
    const line = `${label} ${Math.round((Date.now() - started) / 1000)} s${detail ? ` · ${detail.slice(0, 60)}` : ''}`;
    if (tty) process.stdout.write(`\r${line.padEnd(last.length)}`);
    last = line;
  };
  if (!tty) console.log(`${label}`);
  const timer = tty ? setInterval(() => draw(''), 1000) : undefined;
  return {
    line: (text) => tty && draw(text),
    done: (text) => {
      clearInterval(timer);
      if (tty) process.stdout.write(`\r${' '.repeat(last.length)}\r`);
      console.log(text);
    },
  };
}

/**
 * Makes sure the cache holds the driver built for the runtime `exe` is, and answers where it is.
 * `nodedir`: that runtime's headers (a Node tarball's include/node parent), for an offline build.
 * Throws NativeBuildError, in plain words with what to install, when no build can be had.
 */
export async function prepareNativeDriver({ exe, nodedir, force = false, timeoutMs = 15 * 60_000, cacheFolder = driver.defaultNativeFolder(), quiet = false } = {}) {
  const facts = runtimeFacts(exe);
  const key = driver.runtimeKey(facts);
  const folder = join(cacheFolder, key);
  const file = join(folder, driver.BINDING_FILE);
  if (existsSync(file) && !force) return { file, key, how: 'cached' };

  const packageDir = dirname(require.resolve('better-sqlite3/package.json'));
  mkdirSync(cacheFolder, { recursive: true, mode: 0o755 });
  const work = mkdtempSync(join(cacheFolder, `.build-${key}-`));
  const source = join(work, 'better-sqlite3');
  const bar = quiet ? { line() {}, done() {} } : progress(`Building the SQLite driver for ${facts.runtime} ${facts.version} (once per version; a minute or two)…`);
  try {
    cpSync(packageDir, source, { recursive: true, filter: (path) => !/[\\/](build|node_modules)$/.test(path) });
    const target = ['--arch', facts.arch, '--platform', facts.platform];
    let how = 'prebuilt';
    try {
      await run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', facts.runtime, '--target', facts.version, ...target], { cwd: source, timeoutMs: 120_000, onLine: bar.line });
    } catch {
      how = 'compiled';
      const headers = nodedir ? [`--nodedir=${resolve(nodedir)}`] : facts.runtime === 'electron' ? ['--dist-url=https://electronjs.org/headers'] : [];
      const gyp = [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${facts.version}`, `--arch=${facts.arch}`, '--jobs=max', ...headers];
      try {
        await run(process.execPath, gyp, { cwd: source, timeoutMs, onLine: bar.line });
      } catch (error) {
        bar.done(`Building the SQLite driver for ${facts.runtime} ${facts.version} failed.`);
        if (!quiet && error.output) console.error(error.output.split('\n').slice(-15).join('\n'));
        throw new NativeBuildError(
          `The SQLite driver could not be built for ${facts.runtime} ${facts.version}: ${error.timedOut ? error.message : adviceFor(error.output ?? String(error))}.`,
          { cause: error },
        );
      }
    }
    const built = join(source, 'build', 'Release', driver.BINDING_FILE);
    // The runtime itself loads it once before it is trusted.
    const check = `const D = require(${JSON.stringify(packageDir)}); const db = new D(':memory:', { nativeBinding: ${JSON.stringify(built)} }); db.prepare('select 1').get(); db.close();`;
    const loaded = spawnSync(exe, ['-e', check], { env: targetEnv(), encoding: 'utf8', timeout: 60_000 });
    if (loaded.status !== 0) throw new NativeBuildError(`The SQLite driver built for ${facts.runtime} ${facts.version} does not load there: ${(loaded.stderr || '').trim().split('\n').filter((line) => /Error|error:/.test(line)).slice(0, 2).join(' ') || (loaded.stderr || '').trim().split('\n')[0]}`);
    mkdirSync(folder, { recursive: true });
    cpSync(built, `${file}.partial`);
    renameSync(`${file}.partial`, file);
    writeFileSync(join(folder, 'build.json'), `${JSON.stringify({ ...facts, how, builtAt: new Date().toISOString() }, null, 2)}\n`);
    bar.done(`The SQLite driver for ${facts.runtime} ${facts.version} is ready (${how}).`);
    return { file, key, how };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A second Node runtime, from the npm registry's node-<platform>-<arch> package (its bin/node
 * and include/node headers), unpacked into the cache: the stand-in for "a runtime whose ABI
 * differs from the one npm install built for" where Electron's binary can't be had. Answers
 * { exe, nodedir }; a second call finds it unpacked.
 */
export async function nodeRuntime(version, { cacheFolder = join(driver.defaultNativeFolder(), '..', 'runtimes') } = {}) {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const nodedir = join(cacheFolder, `node-${version}-${platform}-${process.arch}`);
  const exe = join(nodedir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(exe)) return { exe, nodedir };
  mkdirSync(cacheFolder, { recursive: true });
  const work = mkdtempSync(join(cacheFolder, '.fetch-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const name = (await run(npm, ['pack', `node-${platform}-${process.arch}@${version}`, '--silent', '--pack-destination', work], { cwd: work, timeoutMs: 300_000, shell: process.platform === 'win32' })).trim().split('\n').pop();
    mkdirSync(join(work, 'unpacked'));
    await run('tar', ['xzf', join(work, name), '-C', join(work, 'unpacked'), '--strip-components=1'], { cwd: work, timeoutMs: 300_000 });
    renameSync(join(work, 'unpacked'), nodedir);
    return { exe, nodedir };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Copies a prepared build to `<dir>/<key>/better_sqlite3.node`, the layout PASS_NATIVE_DIR names. */
export function stageNativeDriver({ file, key }, dir) {
  const target = join(dir, key, driver.BINDING_FILE);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const exe = args.includes('--electron') ? electronBinary() ?? (args.includes('--install') ? (await installElectron()).exe : null) : value('--runtime');
  if (!exe) {
    console.error(args.includes('--electron') ? 'native: no Electron binary in node_modules/electron (--install, or npm start, downloads it).' : 'usage: node bin/native.mjs --electron | --runtime <exe> [--nodedir <dir>] [--force]');
    process.exit(2);
  }
  try {
    const prepared = await prepareNativeDriver({ exe, nodedir: value('--nodedir'), force: args.includes('--force') });
    console.log(value('--stage') ? stageNativeDriver(prepared, value('--stage')) : prepared.file);
  } catch (error) {
    console.error(`native: ${error.message}`);
    process.exit(1);
  }
}
