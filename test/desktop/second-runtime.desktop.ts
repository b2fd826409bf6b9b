// Issue 14, "proof on a second runtime": Electron 42 runs Node 24 with its own module ABI, and its
// binary can't be downloaded here; Node 24.15 can, from the npm registry, headers and all. Under
// it, the driver npm installed (built for this Node) must fail to load, in plain words; built into
// the cache by prepareNativeDriver (what `npm start` does for Electron), the desktop composition
// root runs there: migrate, the first-run screen's demo gym (written by a worker thread, which
// loads the same build), usePassesJob on two Piscina threads, a backup. The
// Node build in node_modules is never touched, so this Node's tests keep working.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime, prepareNativeDriver } from '../../bin/native.mjs';
import { defaultNativeFolder } from '../../main/batch/database/sqliteDriver.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NODE_VERSION = '24.15.0';
const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let runtime: { exe: string; nodedir: string };
let dir: string;
let nodeBuildHash: string;

beforeAll(async () => {
  runtime = await nodeRuntime(NODE_VERSION);
  dir = mkdtempSync(join(tmpdir(), 'pass-second-runtime-'));
  nodeBuildHash = hashOf(nodeBuild);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The desktop composition root under Node 24, on a fresh data folder; PASS_NATIVE_DIR when given. */
function runUnderNode24(name: string, env: Record<string, string> = {}) {
  const data = join(dir, name);
  const result = spawnSync(runtime.exe, [join(root, 'bin/run-ts.mjs'), join(root, 'test/fixtures/secondRuntimeChild.ts'), data], {
    cwd: root,
    env: { ...process.env, PASS_DATA_DIR: data, PASS_REPORT_DIR: join(data, 'reports'), PASS_NATIVE_DIR: '', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe(`the desktop composition root on a second runtime (Node ${NODE_VERSION}, another module ABI)`, () => {
  it('really is another module ABI than the Node that ran npm install', () => {
    const abi = spawnSync(runtime.exe, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
    expect(abi).not.toBe(process.versions.modules);
  });

  it('without a build for that runtime, opening the database fails with the module-version error, saying where it looked', () => {
    const empty = mkdtempSync(join(dir, 'no-builds-'));
    const run = runUnderNode24('without', { PASS_NATIVE_DIR: empty });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/NODE_MODULE_VERSION \d+/);
    expect(run.stderr).toContain(`no build for this one was found at ${join(empty, `node-${NODE_VERSION}-abi`)}`);
  });

  it('prepareNativeDriver builds the driver for it into the cache folder keyed by runtime, version, ABI, platform and arch, never over the Node build', async () => {
    const prepared = await prepareNativeDriver({ exe: runtime.exe, nodedir: runtime.nodedir, quiet: true });
    expect(relative(defaultNativeFolder()!, prepared.file)).toMatch(new RegExp(`^node-${NODE_VERSION}-abi\\d+-${process.platform}-${process.arch}[\\\\/]better_sqlite3\\.node$`));
    expect(hashOf(prepared.file)).not.toBe(nodeBuildHash);
    // the Node build is the one it was, and this Node still opens databases with it
    expect(hashOf(nodeBuild)).toBe(nodeBuildHash);
    const db = new BetterSqlite3(':memory:');
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    db.close();
    // a second call finds it and builds nothing
    expect((await prepareNativeDriver({ exe: runtime.exe, nodedir: runtime.nodedir, quiet: true })).how).toBe('cached');
  });

  it('with that build, Node 24 migrates, adds nothing at start, adds the demo gym chosen on the first-run screen on a worker thread, runs usePassesJob on two Piscina threads and writes a backup', () => {
    const run = runUnderNode24('with');
    expect(run.stderr).not.toMatch(/NODE_MODULE_VERSION/);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(result.runtime).toMatchObject({ runtime: 'node', version: NODE_VERSION });
    expect(result.binding).toContain(`node-${NODE_VERSION}-abi`);
    expect(result.awaitingSetup).toBe(true);
    expect(result.seeded.members).toBe(2000);
    expect(result.usePasses.status).toBe('COMPLETED');
    const partitions = result.usePasses.steps.filter((step: { name: string }) => step.name.includes(':partition'));
    expect(partitions).toHaveLength(2);
    expect(partitions.every((step: { status: string }) => step.status === 'COMPLETED')).toBe(true);
    expect(partitions.reduce((sum: number, step: { written: number }) => sum + step.written, 0)).toBeGreaterThan(0);
    expect(result.backup.status).toBe('COMPLETED');
    expect(result.backup.files).toEqual([expect.stringMatching(/^pass-\d{8}T\d{6}Z\.sqlite$/)]);
  });
});
