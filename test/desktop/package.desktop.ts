// Issue 14, "npm run dist packages Electron's build without touching the Node one": electron-builder
// run for real, offline, on a stand-in Electron distribution (a file carrying Electron's fuse wire,
// since the real binary can't be downloaded here), with the SQLite driver staged in out/native the
// way `npm run dist` stages Electron's — here the one built for Node 24.15, the stand-in runtime.
// Then: node_modules' own build is the one it was; the package holds the staged driver unpacked
// beside app.asar; the worker bundle from the package loads it under Node 24 through
// PASS_NATIVE_DIR (the packaged main process sets it) and fails without it; the fuses are flipped.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime, prepareNativeDriver, stageNativeDriver } from '../../bin/native.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const { getCurrentFuseWire } = require('@electron/fuses') as { getCurrentFuseWire(path: string): Promise<Record<string, number | string>> };
const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const [ON, OFF] = ['1'.charCodeAt(0), '0'.charCodeAt(0)];

/** An "Electron" binary as far as electron-builder and @electron/fuses can tell: a fuse wire as Electron ships it. */
function fakeElectronDist(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([Buffer.from('#!/bin/sh\necho not really electron\nexit 0\n'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001')]);
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  return dir;
}

let dir: string;
let node24: { exe: string; nodedir: string };
let key: string;
let staged: string;
let nodeBuildHash: string;
let resources: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pass-package-'));
  if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/workers/backupWorker.cjs'))) {
    expect(spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status).toBe(0);
  }
  node24 = await nodeRuntime('24.15.0');
  const prepared = await prepareNativeDriver({ exe: node24.exe, nodedir: node24.nodedir, quiet: true });
  key = prepared.key;
  staged = stageNativeDriver(prepared, join(root, 'out/native'));
  nodeBuildHash = hashOf(nodeBuild);
  const builder = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${fakeElectronDist(join(dir, 'electron-dist'))}`, `-c.directories.output=${join(dir, 'dist')}`, '--publish', 'never'],
    { cwd: root, encoding: 'utf8', timeout: 600_000 },
  );
  expect(builder.status, `${builder.stdout}\n${builder.stderr}`).toBe(0);
  resources = join(dir, 'dist', 'linux-unpacked', 'resources');
});

afterAll(() => {
  rmSync(join(root, 'out/native'), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** The packaged backup worker, run by Node 24 as a worker thread of the packaged app would. */
function packagedWorkerCopies(env: Record<string, string>) {
  const source = join(dir, `source-${Object.keys(env).length}.sqlite`);
  const target = join(dir, `copy-${Object.keys(env).length}.sqlite`);
  const db = new BetterSqlite3(source);
  db.exec("CREATE TABLE BATCH_JOB_INSTANCE (id INTEGER); INSERT INTO BATCH_JOB_INSTANCE VALUES (7)");
  db.close();
  const worker = join(resources, 'app.asar.unpacked/out/workers/backupWorker.cjs');
  const script = `require(${JSON.stringify(worker)})({ source: ${JSON.stringify(source)}, target: ${JSON.stringify(target)} }).then(() => console.log('copied'), (e) => { console.error(e.message); process.exit(1); })`;
  const run = spawnSync(node24.exe, ['-e', script], { env: { ...process.env, PASS_NATIVE_DIR: '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { ...run, target };
}

describe('npm run dist, offline, on a stand-in Electron', () => {
  it("leaves the checkout's Node build of the driver as it was, so pass-batch and npm test keep working without npm rebuild", () => {
    expect(hashOf(nodeBuild)).toBe(nodeBuildHash);
    const db = new BetterSqlite3(':memory:');
    expect(db.prepare('SELECT 2 AS two').get()).toEqual({ two: 2 });
    db.close();
    const jobs = spawnSync(process.execPath, [join(root, 'bin/pass-batch.mjs'), 'jobs'], { cwd: root, encoding: 'utf8', env: { ...process.env, PASS_DB_URL: `sqlite:${join(dir, 'cli.sqlite')}` }, timeout: 120_000 });
    expect(jobs.status, jobs.stderr).toBe(0);
    expect(jobs.stdout).toContain('expirePassesJob');
  });

  it('ships the staged driver unpacked beside app.asar, under its runtime key', () => {
    const shipped = join(resources, 'app.asar.unpacked/out/native', key, 'better_sqlite3.node');
    expect(existsSync(shipped)).toBe(true);
    expect(hashOf(shipped)).toBe(hashOf(staged));
    expect(hashOf(shipped)).not.toBe(nodeBuildHash);
  });

  it("the packaged worker loads it through PASS_NATIVE_DIR, as the packaged main process sets it, and can't without", () => {
    const withIt = packagedWorkerCopies({ PASS_NATIVE_DIR: join(resources, 'app.asar.unpacked/out/native') });
    expect(withIt.stderr).toBe('');
    expect(withIt.stdout.trim()).toBe('copied');
    const copy = new BetterSqlite3(withIt.target, { readonly: true });
    expect(copy.prepare('SELECT id FROM BATCH_JOB_INSTANCE').all()).toEqual([{ id: 7 }]);
    copy.close();

    const without = packagedWorkerCopies({});
    expect(without.status).not.toBe(0);
    expect(without.stderr).toMatch(/NODE_MODULE_VERSION/);
  });

  it("flips Electron's fuses: no running as Node, no NODE_OPTIONS or inspector, encrypted cookies, the app only from a checked app.asar", async () => {
    const fuses = await getCurrentFuseWire(join(dir, 'dist', 'linux-unpacked', 'pass-console'));
    expect(fuses).toMatchObject({ 0: OFF, 1: ON, 2: OFF, 3: OFF, 4: ON, 5: ON, 7: OFF });
  });
});
