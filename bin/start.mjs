#!/usr/bin/env node
// `npm start`: the desktop app when this machine has the Electron binary; otherwise the same
// console in a browser, served by `pass-batch serve` on 127.0.0.1, on the same database.
//
//   npm start                  desktop app (builds out/ first when it is missing)
//   npm start -- --browser     always the browser console, even where Electron could run
//   npm start -- --port 5180   (browser console) PASS_PORT works too; --host to expose it
//
// The database is PASS_DB_URL, else the SQLite file in the user's data folder. The first run
// migrates it, adds the demo gym when it has no members, and creates the admin account
// (PASS_ADMIN_PASSWORD, else a generated password printed once).
//
// The first time, Electron's binary is not there yet (Electron 42 has no install script):
// Electron's own installer runs in a child process, with a progress line and a time limit, and
// then the SQLite driver is built for Electron's runtime into the cache (bin/native.mjs), once
// per Electron version. Where the download fails (offline, refused, too slow) the browser console
// is served instead, with the reason in one line.
//
// Never `require('electron')` here: that would start the download with no time limit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, installElectron } from './get-electron.mjs';
import { prepareNativeDriver } from './native.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const built = {
  desktop: () => ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((file) => existsSync(join(root, file))),
  renderer: () => existsSync(join(root, 'out/renderer/index.html')),
};

/** `npm run build` (electron-vite: main, preload and renderer into out/); true when it worked. */
function build() {
  console.log('Building the console (npm run build)…');
  const result = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0;
}

function runDesktop(exe) {
  if (!built.desktop() && !build()) {
    console.error('npm start: the build failed; see above.');
    return Promise.resolve(1);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(exe, [root], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`npm start: could not run Electron (${error.message})`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function runBrowser(argv) {
  const { register } = await import('tsx/esm/api');
  register();
  const { prepareDatabase } = await import('../main/app/console.ts');
  const { parseServeArgs, serve } = await import('../main/http/serve.ts');
  let options;
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    console.error(`npm start: ${error.message}`);
    return 2;
  }
  try {
    await prepareDatabase({ log: (line) => console.log(line) });
  } catch (error) {
    console.error(`npm start: cannot prepare the database: ${error.message}`);
    return 1;
  }
  if (!built.renderer() && !build()) {
    console.warn('npm start: the console could not be built; the API is served without the screens.');
  }
  // parseServeArgs looked for out/renderer before the build: look again.
  if (!options.staticDir && built.renderer()) options = { ...options, staticDir: join(root, 'out/renderer') };
  let running;
  try {
    running = await serve(options);
  } catch (error) {
    console.error(`npm start: ${error.message}`);
    return 1;
  }
  console.log(`Open ${running.url} in a browser and sign in (Ctrl+C stops the console).`);
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('Stopping: waiting for running executions to reach their end…');
  await running.close();
  return 0;
}

/** The Electron binary, downloaded first when it is missing; or why the desktop app can't start. */
async function desktopRuntime() {
  const exe = electronBinary();
  if (exe) return { exe, reason: null };
  return installElectron();
}

const args = process.argv.slice(2);
const browserOnly = args.includes('--browser');
const rest = args.filter((arg) => arg !== '--browser');
const desktop = browserOnly ? { exe: null, reason: null } : await desktopRuntime();
if (desktop.exe) {
  try {
    await prepareNativeDriver({ exe: desktop.exe });
    process.exitCode = await runDesktop(desktop.exe);
  } catch (error) {
    console.error(`npm start: ${error.message}`);
    console.error('The console still runs in a browser: npm start -- --browser');
    process.exitCode = 1;
  }
} else {
  if (!browserOnly) {
    console.log(`The desktop app can't start here (no Electron: ${desktop.reason}), so the same console is served for a browser instead.`);
  }
  process.exitCode = await runBrowser(rest);
}
