// importMembersJob killed with SIGKILL mid-import, twice, and restarted: every good row of the
// file is a member exactly once, with exactly one pass, and the rejects file holds the three bad
// rows once each, as many as the executions' skip counts add up to. The children run
// test/fixtures/runPassJobChild.ts with every query slowed a little (PASS_TEST_QUERY_DELAY_MS),
// and each is killed once its own execution has committed two chunks (this process watches the
// step's commit count in the database), so each kill lands part way through the file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { JobOperator } from '../../main/batch/index.ts';
import { IMPORT_STEP, ImportContext, importMembersJob } from '../../main/pass/jobs/importMembersJob.ts';
import { describeEachBackend, freshDatabase } from '../support/databases.ts';
import { addImportPackages, BAD_ROWS, memberRows, writeMemberFile } from '../fixtures/memberFiles.ts';

const CHILD = 'test/fixtures/runPassJobChild.ts';
const GOOD = 8000;
const NOW = '2026-03-10T01:00:00.000Z';

/** Runs the child and kills it once its execution's import step has committed `chunks` chunks; answers the execution's id. */
async function runUntilChunks(url: string, args: string[], chunks: number, commitsOf: (executionId: number) => Promise<number>): Promise<{ executionId: number; killed: boolean; out: string }> {
  const child: ChildProcess = spawn(process.execPath, ['bin/run-ts.mjs', CHILD, url, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PASS_TEST_QUERY_DELAY_MS: '10', PASS_TIME_ZONE: 'Asia/Seoul' },
  });
  let out = '';
  let executionId: number | undefined;
  let killed = false;
  let watching = false;
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  child.stderr!.on('data', (d: Buffer) => (out += d));
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    const started = /\{"started":(\d+)\}/.exec(out);
    if (!started || watching) return;
    watching = true;
    executionId = Number(started[1]);
    void (async () => {
      while (child.exitCode === null && child.signalCode === null) {
        if ((await commitsOf(executionId!)) >= chunks) {
          killed = child.kill('SIGKILL');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
  });
  await exited;
  if (executionId === undefined) throw new Error(`the child ended before starting an execution:\n${out}`);
  return { executionId, killed, out };
}

describeEachBackend('importMembersJob killed with SIGKILL and restarted', (backend) => {
  let dataDir: string;
  let dataDirBefore: string | undefined;
  beforeAll(() => {
    dataDirBefore = process.env.PASS_DATA_DIR;
    dataDir = mkdtempSync(join(tmpdir(), 'pass-import-crash-'));
    process.env.PASS_DATA_DIR = dataDir; // the children inherit it: the file lies in their data folder
  });
  afterAll(() => {
    if (dataDirBefore === undefined) delete process.env.PASS_DATA_DIR;
    else process.env.PASS_DATA_DIR = dataDirBefore;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('killed twice mid-import and restarted, every good row is imported exactly once and the rejects file holds the bad rows once', async () => {
    const t = await freshDatabase(backend);
    const operator = new JobOperator({ database: t.db, jobs: [importMembersJob], timeZone: 'Asia/Seoul' });
    try {
      await addImportPackages(t.db.kysely);
      const dir = join(dataDir, 'imports');
      mkdirSync(dir, { recursive: true });
      const file = await writeMemberFile(join(dir, 'members.csv'), 'cp949', memberRows(GOOD, [100, 3500, 7000]));
      const commitsOf = async (executionId: number) => {
        const step = (await operator.repository.stepExecutions(executionId)).find((s) => s.stepName === IMPORT_STEP);
        return step?.commitCount ?? 0;
      };

      const first = await runUntilChunks(t.url, ['run', 'importMembersJob', `file=${file}`, `now=${NOW}`], 2, commitsOf);
      expect(first.killed, first.out).toBe(true);
      const second = await runUntilChunks(t.url, ['restart', String(first.executionId)], 2, commitsOf);
      expect(second.killed, second.out).toBe(true);
      // Each kill left part of the file imported and part not.
      const partly = Number(await t.db.kysely.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow().then((r) => r.n));
      expect(partly).toBeGreaterThanOrEqual(4000 - 3);
      expect(partly).toBeLessThan(GOOD);

      await operator.recoverOrphans();
      const last = await operator.restart(second.executionId).then((l) => l.done);
      expect(last.status, last.exitMessage).toBe('COMPLETED');

      const users = await t.db.kysely.selectFrom('user').select('user_id').orderBy('user_id').execute();
      expect(users.map((u) => u.user_id)).toEqual(Array.from({ length: GOOD }, (_, i) => `M${String(i).padStart(7, '0')}`));
      const passesPerMember = await t.db.kysely
        .selectFrom('pass')
        .select((eb) => ['user_id', eb.fn.countAll().as('n')])
        .groupBy('user_id')
        .having((eb) => eb.fn.countAll(), '<>', 1)
        .execute();
      expect(passesPerMember).toEqual([]);
      expect(Number((await t.db.kysely.selectFrom('pass').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(GOOD);

      const steps = await Promise.all([first.executionId, second.executionId, last.id].map(async (id) => (await operator.repository.stepExecutions(id)).find((s) => s.stepName === IMPORT_STEP)!));
      const rejectsFile = steps[2]!.executionContext[ImportContext.rejectsFile] as string;
      const records = parse(readFileSync(rejectsFile, 'utf8').slice(1)) as string[][];
      expect(records.slice(1).map((r) => r.slice(0, -1))).toEqual(BAD_ROWS);
      // what the executions committed adds up: every row written or skipped once
      expect(steps.reduce((sum, s) => sum + s.processSkipCount, 0)).toBe(records.length - 1);
      expect(steps.reduce((sum, s) => sum + s.writeCount, 0)).toBe(GOOD);
    } finally {
      await operator.close();
      await t.dispose();
    }
  });
});
