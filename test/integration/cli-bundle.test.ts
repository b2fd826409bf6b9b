// bin/pass-batch.mjs runs the command line's bundle (bin/build-cli.mjs) when it is fresh, builds it
// again when a source it was built from changed, runs the TypeScript when it can't build, and the
// bundle says and exits exactly what the source does. The bundle here is built into a folder of
// its own inside the repository (PASS_CLI_OUT_DIR), so it resolves node_modules as out/cli does and
// leaves out/ alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, bundleState, CLI_ENTRY, STAMP } from '../../bin/build-cli.mjs';

const repo = resolve(import.meta.dirname, '../..');
const area = join(repo, 'test-results', `cli-bundle-${process.pid}`);
const outDir = join(area, 'out', 'cli');
const dataDir = mkdtempSync(join(tmpdir(), 'pass-cli-bundle-'));

function passBatch(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(repo, 'bin', 'pass-batch.mjs'), ...args], {
    cwd: repo,
    env: { ...process.env, PASS_DB_URL: `sqlite:${join(dataDir, 'cli.sqlite')}`, PASS_CLI_OUT_DIR: outDir, PASS_FROM_SOURCE: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function stamp(): { builtAt: number; inputs: string[]; outputs: string[] } {
  return JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
}

/**
 * Keeps the bundle fresh whatever is edited meanwhile (others work in this tree): a stamp from
 * the far future that looks at no mtime or size. Returns the function that puts the stamp back.
 */
function pinFresh(): () => void {
  const good = readFileSync(join(outDir, STAMP), 'utf8');
  writeFileSync(join(outDir, STAMP), JSON.stringify({ ...JSON.parse(good), builtAt: Number.MAX_SAFE_INTEGER, seen: undefined }));
  return () => writeFileSync(join(outDir, STAMP), good);
}

beforeAll(async () => {
  mkdirSync(area, { recursive: true });
  await buildCli(outDir);
}, 120_000);

afterAll(() => {
  rmSync(area, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the command line bundle', () => {
  test('a build writes the bundle, the worker bundles beside it and a stamp naming its sources, and is fresh', () => {
    expect(bundleState(outDir)).toEqual({ fresh: true });
    const { inputs, outputs } = stamp();
    expect(outputs).toContain(CLI_ENTRY);
    expect(outputs).toContain('../workers/passWorker.cjs');
    for (const output of outputs) expect(existsSync(join(outDir, output)), output).toBe(true);
    for (const source of ['main/cli/index.ts', 'db/migrations/index.ts', 'workers/passWorker.ts', 'bin/build-cli.mjs', 'node_modules/.package-lock.json']) {
      expect(inputs).toContain(source);
    }
    expect(inputs.filter((input) => input.startsWith('node_modules/'))).toEqual(['node_modules/.package-lock.json']);
  });

  test('a stamp older than a source, or naming a source that is gone, or a missing output makes the bundle stale', () => {
    const good = readFileSync(join(outDir, STAMP), 'utf8');
    try {
      writeFileSync(join(outDir, STAMP), JSON.stringify({ ...stamp(), builtAt: 0 }));
      expect(bundleState(outDir)).toMatchObject({ fresh: false, reason: expect.stringMatching(/changed after the build$/) });
      writeFileSync(join(outDir, STAMP), JSON.stringify({ ...JSON.parse(good), inputs: [...JSON.parse(good).inputs, 'main/cli/removed.ts'] }));
      expect(bundleState(outDir)).toEqual({ fresh: false, reason: 'main/cli/removed.ts is gone' });
      writeFileSync(join(outDir, STAMP), JSON.stringify({ ...JSON.parse(good), outputs: [...JSON.parse(good).outputs, '../workers/gone.cjs'] }));
      expect(bundleState(outDir)).toEqual({ fresh: false, reason: '../workers/gone.cjs is missing' });
      // As rsync -t or tar leave a file put back: an older mtime, other content.
      const seen = JSON.parse(good).seen as Record<string, [number, number]>;
      const [mtime, size] = seen['main/cli/index.ts']!;
      writeFileSync(join(outDir, STAMP), JSON.stringify({ ...JSON.parse(good), seen: { ...seen, 'main/cli/index.ts': [mtime + 1000, size + 1] } }));
      expect(bundleState(outDir)).toEqual({ fresh: false, reason: 'main/cli/index.ts is not the file the build read' });
    } finally {
      writeFileSync(join(outDir, STAMP), good);
    }
    expect(bundleState(outDir)).toEqual({ fresh: true });
    expect(bundleState(join(area, 'never-built'))).toEqual({ fresh: false, reason: 'not built' });
  });

  test('the bin runs the bundle when it is fresh, and rebuilds it first when it is stale', () => {
    const entry = join(outDir, CLI_ENTRY);
    const real = readFileSync(entry);
    // A stand-in with the same export: what runs is what the bin took from the bundle's folder.
    writeFileSync(entry, "export async function main(argv) { process.stdout.write(`the bundle ran ${argv.join(' ')}\\n`); return 3; }\n");
    const unpin = pinFresh();
    const fresh = passBatch(['jobs']);
    unpin();
    expect(fresh).toEqual({ code: 3, out: 'the bundle ran jobs\n', err: '' });

    // As after a `git pull`: a source newer than the build.
    writeFileSync(join(outDir, STAMP), JSON.stringify({ ...stamp(), builtAt: 0 }));
    const before = Date.now();
    const stale = passBatch(['jobs']);
    expect(stale.err).toBe('');
    expect(stale.code).toBe(0);
    expect(stale.out).toMatch(/^expirePassesJob {2}이용권 만료/);
    // Built again (not compared byte for byte with the first build: others may edit sources meanwhile).
    expect(stamp().builtAt).toBeGreaterThanOrEqual(before);
    expect(readFileSync(entry, 'utf8')).not.toContain('the bundle ran');
    expect(readFileSync(entry).length).toBeGreaterThan(real.length / 2);
  });

  test('a partitioned job run from the bundle runs its partitions on the worker bundles beside it', () => {
    const workers = join(area, 'out', 'workers');
    const marks = join(dataDir, 'worker-loads.txt');
    // A stand-in that notes each load, then is the real bundle: the bundle's own workers, not workers/*.ts through tsx.
    renameSync(join(workers, 'passWorker.cjs'), join(workers, 'passWorker.real.cjs'));
    writeFileSync(
      join(workers, 'passWorker.cjs'),
      `require('node:fs').appendFileSync(${JSON.stringify(marks)}, 'loaded\\n');\nmodule.exports = require('./passWorker.real.cjs');\n`,
    );
    const unpin = pinFresh();
    try {
      const gym = { PASS_DB_URL: `sqlite:${join(dataDir, 'gym.sqlite')}` };
      expect(passBatch(['seed', '--members', '200', '--days', '3'], gym)).toMatchObject({ code: 0, err: '' });
      const run = passBatch(['run', 'usePassesJob'], gym);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/^ +partition0 +COMPLETED +[1-9]/m);
      expect(readFileSync(marks, 'utf8')).toMatch(/^(loaded\n)+$/);
    } finally {
      unpin();
      renameSync(join(workers, 'passWorker.real.cjs'), join(workers, 'passWorker.cjs'));
    }
  });

  test('bundle and source print the same and exit the same for jobs and for usage errors', () => {
    // Where the bundle can't be built (its folder would be inside a file), the bin runs the source.
    const blocked = join(area, 'a-file');
    writeFileSync(blocked, '');
    for (const args of [['jobs'], ['run', 'expirePassesJob', 'now=yesterday'], ['frobnicate']]) {
      const bundled = passBatch(args);
      const source = passBatch(args, { PASS_FROM_SOURCE: '1' });
      expect(bundled, args.join(' ')).toEqual(source);
      if (args[0] === 'jobs') expect(passBatch(args, { PASS_CLI_OUT_DIR: join(blocked, 'cli') })).toEqual(source);
    }
    expect(passBatch(['jobs']).code).toBe(0);
    expect(passBatch(['run', 'noSuchJob'])).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/^pass-batch: There is no job named "noSuchJob"[^\n]*\n$/) });
    expect(existsSync(join(blocked, 'cli'))).toBe(false);
  });
});
