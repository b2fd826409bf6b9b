// Electron's binary for `npm start` and `npm run smoke:desktop`, found the way
// node_modules/electron finds it but never downloaded by accident: `require('electron')` starts
// a download with no time limit when the binary is missing (Electron 42 has no install script).
// installElectron() runs Electron's own installer on purpose, in a child process, with a line
// that shows it is alive and a time limit, and says in a few words why it failed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The Electron executable, as node_modules/electron would find it, but never downloading it:
 * `require('electron')` starts a download when the binary is missing (bin/start.mjs does that
 * on purpose, in a child process with a time limit, through installElectron()).
 */
export function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron');
    return existsSync(exe) ? exe : null;
  }
  if (!name) return null;
  const exe = join(dir, 'dist', name);
  return existsSync(exe) ? exe : null;
}

/** Why Electron's installer failed, in a few words, from what it printed. */
export function downloadProblem(output, timedOut) {
  if (timedOut) return 'the download timed out';
  if (/\b(401|403|407)\b|Forbidden|Unauthorized|certificate|self.signed|CERT_/i.test(output)) return 'the download was refused';
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|fetch failed|getaddrinfo/i.test(output)) return 'this machine is offline';
  if (/\b404\b/.test(output)) return 'there is no Electron download for this platform';
  return `its installer failed (${output.trim().split('\n').pop()?.slice(0, 120) || 'no output'})`;
}

/**
 * Electron's own installer (node_modules/electron/install.js: download, checksum, unzip) in a
 * child process, with a line that shows it is alive and a time limit. Resolves with the binary,
 * or with the reason there is none.
 */
export function installElectron({
  timeoutMs = Number(process.env.PASS_ELECTRON_INSTALL_TIMEOUT_MS) || 10 * 60_000,
  installer = join(root, 'node_modules', 'electron', 'install.js'),
  log = (line) => console.log(line),
} = {}) {
  if (!existsSync(installer)) return Promise.resolve({ exe: null, reason: 'node_modules/electron is missing (run npm install)' });
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return Promise.resolve({ exe: null, reason: `there is none at ELECTRON_OVERRIDE_DIST_PATH (${process.env.ELECTRON_OVERRIDE_DIST_PATH})` });
  const started = Date.now();
  const tty = process.stdout.isTTY;
  log('Downloading Electron for the desktop app (once; about 100 MB)…');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const ticker = tty ? setInterval(() => process.stdout.write(`\r  ${Math.round((Date.now() - started) / 1000)} s`), 1000) : undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (ok) => {
      clearTimeout(timer);
      clearInterval(ticker);
      if (tty) process.stdout.write('\r');
      const exe = ok ? electronBinary() : null;
      resolve(exe ? { exe, reason: null } : { exe: null, reason: downloadProblem(output, timedOut) });
    };
    child.on('error', (error) => {
      output += error.message;
      finish(false);
    });
    child.on('exit', (code) => finish(code === 0));
  });
}

