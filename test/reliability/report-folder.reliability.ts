// Part 4, the report folder cannot be written. Tests run as root here, where chmod 0555 stops
// nothing, so two failures root cannot write through are used instead: the folder's path
// runs through a regular file (ENOTDIR, as a folder replaced by a file or a missing mount
// point), and the disk is full: the report's temp file is a symlink to /dev/full, whose every
// write fails with ENOSPC from the kernel. Promise: makeStatisticsJob fails with a message that
// names the cause and the path, no report is listed and no half file is left under a real name,
// and after the fix a restart of the same execution completes with every report whole.
//
// Shown to fail: PASS_RELIABILITY_BREAK=report swaps in a makeStatisticsJob whose report step
// swallows the write error and records the report anyway (support/brokenJobs.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { JobOperator, type JobExecution } from '../../main/batch/index.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { reportJobsUnderTest } from './support/brokenJobs.ts';
import { NOW, TIME_ZONE } from './support/gym.ts';

/** Monday 2026-03-09, a whole day in Seoul: the reports are daily-2026-03-09.csv and weekly-2026-03-09.csv. */
const FROM = new Date('2026-03-08T15:00:00.000Z');
const TO = new Date('2026-03-09T15:00:00.000Z');
const NAMES = ['daily-2026-03-09.csv', 'weekly-2026-03-09.csv'];

describeEachBackend('report folder that cannot be written', (backend) => {
  let root: string;
  const databases: TestDatabase[] = [];
  const operators: JobOperator[] = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pass-rel-reports-'));
    // the operator's report folder: what its folders lie in (main/batch/folders.ts)
    process.env.PASS_REPORT_DIR = root;
  });
  afterAll(async () => {
    for (const operator of operators) await operator.close();
    for (const database of databases) await database.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  async function gym() {
    const t = await freshDatabase(backend);
    databases.push(t);
    await seedDemoGym(t.db, { members: 40, days: 3, seed: 5, now: NOW });
    const operator = new JobOperator({ database: t.db, jobs: reportJobsUnderTest(), timeZone: TIME_ZONE });
    operators.push(operator);
    return { t, operator };
  }

  const listed = async (t: TestDatabase) => (await t.db.kysely.selectFrom('report').selectAll().execute()) as Array<Record<string, unknown>>;

  /** Every listed report is a whole file: it exists, its size is the recorded one, it ends with the totals line. */
  async function expectWholeReports(t: TestDatabase, dir: string) {
    const rows = await listed(t);
    expect(rows.map((r) => String(r.file_path)).sort()).toEqual(NAMES.map((n) => join(dir, n)).sort());
    for (const row of rows) {
      const bytes = readFileSync(String(row.file_path));
      expect(bytes.length).toBe(Number(row.size_bytes));
      expect(bytes.toString('utf8').trimEnd().split(/\r?\n/).at(-1)).toMatch(/^합계,/);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp')), 'temp files left behind').toEqual([]);
  }

  async function expectCleanFailure(t: TestDatabase, run: JobExecution, cause: RegExp, path: string | null) {
    expect(run.status, 'the report step did not fail').toBe('FAILED');
    expect(run.exitMessage).toMatch(/writeDailyReportStep|writeWeeklyReportStep/);
    expect(run.exitMessage).toMatch(cause);
    if (path !== null) expect(run.exitMessage).toContain(path);
    expect(await listed(t), 'a report was listed although its file could not be written').toEqual([]);
  }

  test('the folder path runs through a file (ENOTDIR): clear failure, nothing listed; once it is a folder, the restart completes', async () => {
    const { t, operator } = await gym();
    const blocker = join(root, `${backend}-not-a-folder`);
    writeFileSync(blocker, 'a file where the report folder should be');
    const dir = join(blocker, 'reports');
    const params = { from: FROM.toISOString(), to: TO.toISOString(), reportDir: dir };
    const failed = await operator.run('makeStatisticsJob', params);
    await expectCleanFailure(t, failed, /ENOTDIR|not a directory/i, blocker);
    // the statistics themselves were built and committed before the report steps
    expect((await t.db.kysely.selectFrom('statistics').select('statistics_seq').execute()).length).toBeGreaterThan(0);

    // the fix: the file makes way for a folder; the same execution is restarted
    rmSync(blocker);
    mkdirSync(dir, { recursive: true });
    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status, restarted.exitMessage).toBe('COMPLETED');
    await expectWholeReports(t, dir);
    console.log(`[report folder ${backend}] ENOTDIR: "${failed.exitMessage}"`);
  });

  test('the disk is full (the temp file is /dev/full, ENOSPC): clear failure, no half file, nothing listed; with space, the restart completes', async () => {
    const { t, operator } = await gym();
    const dir = join(root, `${backend}-full-disk`);
    mkdirSync(dir, { recursive: true });
    // a fresh database: the first execution is 1, and the temp file is <name>.1.tmp
    for (const name of NAMES) symlinkSync('/dev/full', join(dir, `${name}.1.tmp`));
    const params = { from: FROM.toISOString(), to: TO.toISOString(), reportDir: dir };
    const failed = await operator.run('makeStatisticsJob', params);
    expect(failed.id).toBe(1);
    await expectCleanFailure(t, failed, /ENOSPC|no space left/i, null);
    // no half file under a real name, and the failed temp files were cleaned up
    for (const name of NAMES) expect(existsSync(join(dir, name)), `${name} exists after a failed write`).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status, restarted.exitMessage).toBe('COMPLETED');
    await expectWholeReports(t, dir);
    console.log(`[report folder ${backend}] ENOSPC: "${failed.exitMessage}"`);
  });

  // On ENOSPC the system's words ("no space left on device, write") name no file: staff must be
  // told which report, and so which disk.
  test('the disk-full message names the report file it could not write', async () => {
    const { operator } = await gym();
    const dir = join(root, `${backend}-full-disk-message`);
    mkdirSync(dir, { recursive: true });
    for (const name of NAMES) symlinkSync('/dev/full', join(dir, `${name}.1.tmp`));
    const failed = await operator.run('makeStatisticsJob', { from: FROM.toISOString(), to: TO.toISOString(), reportDir: dir });
    expect(failed.status).toBe('FAILED');
    expect(failed.exitMessage).toContain(dir);
  });
});
