#!/usr/bin/env node
// `npm run smoke:desktop`: the desktop app really starts. Runs the built app in Electron (under
// xvfb-run on Linux without a display) on a new data folder with PASS_SMOKE set; the app then
// creates the admin through the first-run screen's IPC, runs expirePassesJob through the service,
// writes a PNG of its window (main/electron/smoke.ts) and exits.
//
// Exit codes: 0 it worked (the PNG is in test-results/screenshots/desktop-smoke.png); 1 it failed,
// with the reason; 2 this machine has no Electron binary, so nothing was tested (CI prints the
// line and does not count it as a pass). Run it before every release, on a machine with internet:
// `npm install && npm run smoke:desktop` (the first run downloads Electron and builds its driver).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { electronBinary, installElectron } from './get-electron.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TIME_LIMIT_MS = Number(process.env.PASS_SMOKE_TIMEOUT_MS) || 180_000;

function say(line) {
  console.log(`smoke:desktop: ${line}`);
}

/** The Electron binary, fetched once when it is missing (unless --no-download). */
async function electron() {
  const exe = electronBinary();
  if (exe || process.argv.includes('--no-download')) return { exe, reason: exe ? null : 'no Electron binary in node_modules/electron' };
  return installElectron();
}

/** How to start it: straight where there is a display, else inside xvfb-run. */
function launcher(exe, args) {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return [exe, args];
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status !== 0) {
    throw new Error('no display and no xvfb-run: install xvfb (Debian: apt-get install xvfb) or run it on a desktop');
  }
  return ['xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', exe, ...args]];
}

async function main() {
  const { exe, reason } = await electron();
  if (!exe) {
    say(`SKIPPED, nothing was tested: ${reason}.`);
    return 2;
  }
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/workers/passWorker.cjs'].every((file) => existsSync(join(root, file)));
  if (!built && spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status !== 0) {
    say('FAILED: the build failed (see above).');
    return 1;
  }
  const { prepareNativeDriver } = await import('./native.mjs');
  await prepareNativeDriver({ exe });

  const data = mkdtempSync(join(tmpdir(), 'pass-smoke-'));
  const png = join(root, 'test-results', 'screenshots', 'desktop-smoke.png');
  mkdirSync(dirname(png), { recursive: true });
  rmSync(png, { force: true });
  const env = { ...process.env, PASS_DATA_DIR: data, PASS_SMOKE: png, PASS_SCHEDULER: 'off', ELECTRON_ENABLE_LOGGING: '1' };
  for (const name of ['PASS_DB_URL', 'PASS_ADMIN_PASSWORD', 'ELECTRON_RUN_AS_NODE']) delete env[name];
  // Chromium refuses to run as root with its sandbox on (CI machines run as root).
  const [command, args] = launcher(exe, [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]);
  say(`starting ${exe} on ${data}`);
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  const code = await new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      say(`FAILED: no answer within ${TIME_LIMIT_MS / 1000} s`);
      child.kill('SIGKILL');
    }, TIME_LIMIT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      say(`FAILED: could not start Electron (${error.message})`);
      resolvePromise(1);
    });
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise(exitCode ?? (signal ? 1 : 0));
    });
  });
  rmSync(data, { recursive: true, force: true });
  if (code !== 0) {
    say(`FAILED: the app exited with ${code} (its reason is above)`);
    return 1;
  }
  if (!existsSync(png) || statSync(png).size === 0) {
    say('FAILED: the app exited 0 but wrote no picture of its window');
    return 1;
  }
  say(`PASSED: the window, the first-run admin, expirePassesJob and a picture (${png})`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  say(`FAILED: ${error.message}`);
  process.exitCode = 1;
}
