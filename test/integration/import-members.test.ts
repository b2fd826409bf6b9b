// importMembersJob on both databases: the same members from a UTF-8 CSV (with and without a
// BOM), a CP949 CSV and an .xlsx workbook; a dry run that writes nothing; bad rows skipped into
// a rejects file that holds exactly them; a second import that changes nothing; members found
// by phone in another spelling; and the launch check on the file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { JobOperator, type JobExecution, type StepExecution } from '../../main/batch/index.ts';
import { IMPORT_STEP, ImportContext, importMembersJob } from '../../main/pass/jobs/importMembersJob.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { addImportPackages, BAD_ROWS, ENGLISH_HEADER, goodRow, KOREAN_HEADER, memberRows, writeMemberFile, type FixtureFormat } from '../fixtures/memberFiles.ts';

const NOW = new Date('2026-03-10T01:00:00.000Z');
const GOOD = 30;

describeEachBackend('importMembersJob', (backend) => {
  let dataDir: string;
  let dataDirBefore: string | undefined;
  let t: TestDatabase;
  let operator: JobOperator;
  beforeAll(() => {
    dataDirBefore = process.env.PASS_DATA_DIR;
    dataDir = mkdtempSync(join(tmpdir(), 'pass-import-'));
    process.env.PASS_DATA_DIR = dataDir;
  });
  afterAll(() => {
    if (dataDirBefore === undefined) delete process.env.PASS_DATA_DIR;
    else process.env.PASS_DATA_DIR = dataDirBefore;
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await addImportPackages(t.db.kysely);
    operator = new JobOperator({ database: t.db, jobs: [importMembersJob], timeZone: 'Asia/Seoul' });
  });
  afterEach(async () => {
    await operator.close();
    await t.dispose();
  });

  let fileCount = 0;
  const folder = () => {
    const dir = join(dataDir, 'imports', `t${fileCount++}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const importFile = async (file: string, params: Record<string, unknown> = {}): Promise<{ execution: JobExecution; step: StepExecution }> => {
    const execution = await operator.run('importMembersJob', { file, now: NOW, ...params });
    expect(execution.status, execution.exitMessage).toBe('COMPLETED');
    const step = (await operator.repository.stepExecutions(execution.id)).find((s) => s.stepName === IMPORT_STEP)!;
    return { execution, step };
  };
  const snapshot = async () => ({
    users: await t.db.kysely.selectFrom('user').select(['user_id', 'user_name', 'phone', 'status']).orderBy('user_id').execute(),
    groups: await t.db.kysely.selectFrom('user_group_mapping').select(['user_group_id', 'user_id', 'user_group_name']).orderBy('user_group_id').orderBy('user_id').execute(),
    passes: (await t.db.kysely.selectFrom('pass').select(['user_id', 'package_seq', 'status', 'remaining_count', 'started_at', 'ended_at']).orderBy('user_id').orderBy('started_at').execute()).map(
      (p) => ({ ...p, started_at: String(p.started_at).slice(0, 19), ended_at: p.ended_at === null ? null : String(p.ended_at).slice(0, 19) }),
    ),
  });
  const clearMembers = async () => {
    for (const table of ['pass', 'user_group_mapping', 'user']) await t.db.kysely.deleteFrom(table).execute();
  };

  test('a UTF-8 CSV, one with a BOM, a CP949 CSV and an xlsx workbook of the same rows import the same members, groups and passes', async () => {
    const rows = memberRows(GOOD);
    const results: Array<Awaited<ReturnType<typeof snapshot>>> = [];
    for (const format of ['utf8', 'utf8-bom', 'cp949', 'xlsx'] as FixtureFormat[]) {
      await clearMembers();
      const file = await writeMemberFile(join(folder(), `members.${format === 'xlsx' ? 'xlsx' : 'csv'}`), format, rows);
      const { step } = await importFile(file);
      expect([format, step.readCount, step.writeCount, step.processSkipCount]).toEqual([format, GOOD, GOOD, 0]);
      results.push(await snapshot());
    }
    const [first, ...others] = results;
    expect(first!.users).toHaveLength(GOOD);
    // Korean names came through every encoding, and every phone spelling became one number
    expect(first!.users[0]).toEqual({ user_id: 'M0000000', user_name: '김민준', phone: '01010000000', status: 'ACTIVE' });
    expect(first!.users[2]!.phone).toBe('01010000002'); // written +82 10 1000 0002
    expect(first!.groups.map((g) => g.user_id)).toEqual(['M0000000', 'M0000004', 'M0000008', 'M0000012', 'M0000016', 'M0000020', 'M0000024', 'M0000028']);
    expect(first!.passes).toHaveLength(GOOD);
    // an unlimited package with an end date: unlimited uses, through the end day (Seoul); a PT pass ends after its 60 days
    expect(first!.passes.find((p) => p.user_id === 'M0000001')).toMatchObject({ remaining_count: null, started_at: '2026-01-31 15:00:00', ended_at: '2026-02-28 15:00:00', status: 'PROGRESSED' });
    expect(first!.passes.find((p) => p.user_id === 'M0000002')).toMatchObject({ remaining_count: 2, started_at: '2026-02-28 15:00:00', ended_at: '2026-04-29 15:00:00' });
    for (const other of others) expect(other).toEqual(first);
  });

  test('a dry run checks every row, reports the counts and the first problems, and writes nothing at all', async () => {
    const dir = folder();
    const file = await writeMemberFile(join(dir, 'members.csv'), 'utf8', memberRows(GOOD, [3, 11, 27]));
    const before = await snapshot();
    const { step } = await importFile(file, { dryRun: true });
    expect(await snapshot()).toEqual(before);
    expect([step.readCount, step.writeCount, step.processSkipCount]).toEqual([GOOD + 3, GOOD, 3]);
    expect(step.executionContext[ImportContext.created]).toBe(GOOD);
    expect(step.executionContext[ImportContext.problems]).toEqual([
      { row: 5, ko: expect.stringContaining('요가 무제한'), en: 'There is no package named "요가 무제한"; check its name' },
      { row: 13, ko: expect.any(String), en: '"02-12" is not a phone number' },
      { row: 29, ko: '이름이 비어 있습니다', en: 'The name is empty' },
    ]);
    expect(step.executionContext[ImportContext.rejectsFile]).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['members.csv']);
  });

  test('a member id the desk could not type (a space, a slash) is a problem of its row, as on the new member form; the others import', async () => {
    const dir = folder();
    const rows = [
      ['Q 0010', '큐 회원', '010-5555-0010', '', '', '', '', ''],
      ['Q/0012', '큐 회원 셋', '010-5555-0012', '', '', '', '', ''],
      ['Q-0011.b_1', '큐 회원 둘', '010-5555-0011', '', '', '', '', ''],
    ];
    const { step } = await importFile(await writeMemberFile(join(dir, 'ids.csv'), 'utf8', rows), { dryRun: true });
    expect([step.readCount, step.writeCount, step.processSkipCount]).toEqual([3, 1, 2]);
    expect(step.executionContext[ImportContext.problems]).toEqual([
      { row: 2, ko: '회원번호 "Q 0010"에는 글자(한글 포함), 숫자, ".", "_", "-"만 쓸 수 있습니다', en: 'The member id "Q 0010" may hold letters (Korean ones too), digits, ".", "_" and "-" only' },
      { row: 3, ko: expect.any(String), en: 'The member id "Q/0012" may hold letters (Korean ones too), digits, ".", "_" and "-" only' },
    ]);
  });

  test('three bad rows are skipped: the rejects file holds exactly them with their reasons, and the step counts 3 skips', async () => {
    const dir = folder();
    const rows = memberRows(GOOD, [0, 15, GOOD + 2]);
    const file = await writeMemberFile(join(dir, 'members.csv'), 'cp949', rows, ENGLISH_HEADER);
    const { step } = await importFile(file, { language: 'en' });
    expect([step.readCount, step.writeCount, step.processSkipCount, step.readSkipCount + step.writeSkipCount]).toEqual([GOOD + 3, GOOD, 3, 0]);
    const rejectsFile = step.executionContext[ImportContext.rejectsFile] as string;
    expect(readdirSync(dir).sort()).toEqual(['members.csv', 'members.rejects-20260310-100000.csv']);
    expect(rejectsFile).toBe(join(dir, 'members.rejects-20260310-100000.csv'));
    const text = readFileSync(rejectsFile, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true); // Excel reads it as UTF-8
    const records = parse(text.slice(1)) as string[][];
    expect(records).toEqual([
      [...ENGLISH_HEADER, 'reason'],
      [...BAD_ROWS[0]!, 'There is no package named "요가 무제한"; check its name'],
      [...BAD_ROWS[1]!, '"02-12" is not a phone number'],
      [...BAD_ROWS[2]!, 'The name is empty'],
    ]);
    expect(records.length - 1).toBe(step.processSkipCount);
    expect((await snapshot()).users).toHaveLength(GOOD);

    // Staff fix the rejects file and import it: the three come in, the reason column is ignored.
    const fixed = records.slice(1).map((r) => r.slice(0, -1));
    fixed[0]![4] = 'PT 10회';
    fixed[1]![2] = '02-123-4567';
    fixed[2]![1] = '이름있음';
    const again = await writeMemberFile(join(dir, 'fixed.csv'), 'utf8', fixed, [...ENGLISH_HEADER, 'reason']);
    const second = await importFile(again, { now: new Date(NOW.getTime() + 60_000) });
    expect([second.step.writeCount, second.step.processSkipCount]).toEqual([3, 0]);
    expect((await snapshot()).users).toHaveLength(GOOD + 3);
    expect(existsSync(join(dir, 'fixed.rejects-20260310-100100.csv'))).toBe(false); // no rejects: no file
  });

  test('importing the same file again changes nothing, and says every member was already there', async () => {
    const file = await writeMemberFile(join(folder(), 'members.xlsx'), 'xlsx', memberRows(GOOD, [7]));
    await importFile(file);
    const before = await snapshot();
    const { step } = await importFile(file, { now: new Date(NOW.getTime() + 1000) });
    expect(await snapshot()).toEqual(before);
    expect(step.executionContext).toMatchObject({ [ImportContext.created]: 0, [ImportContext.matched]: GOOD, [ImportContext.passesAdded]: 0, [ImportContext.groupsAdded]: 0 });
  });

  test('an import stopped after its first chunk ends STOPPED, and its restart imports the rest: every row once, the bad row once in the rejects file', async () => {
    const dir = folder();
    // ten chunks: the stop, asked when the first commits, lands long before the last
    const file = await writeMemberFile(join(dir, 'members.csv'), 'utf8', memberRows(10_000, [1500]));
    let stopAsked = false;
    const unsubscribe = operator.events.subscribe((event) => {
      if (event.type === 'chunk-committed' && !stopAsked) {
        stopAsked = true;
        void operator.stop(event.jobExecutionId);
      }
    });
    const launched = await operator.start('importMembersJob', { file, now: NOW });
    const stopped = await launched.done;
    unsubscribe();
    expect(stopped.status).toBe('STOPPED');
    const partly = (await snapshot()).users.length;
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(10_000);

    const restarted = await operator.restart(stopped.id).then((l) => l.done);
    expect(restarted.status, restarted.exitMessage).toBe('COMPLETED');
    const after = await snapshot();
    expect(after.users).toHaveLength(10_000);
    expect(after.passes).toHaveLength(10_000);
    const steps = await Promise.all([stopped.id, restarted.id].map(async (id) => (await operator.repository.stepExecutions(id)).find((s) => s.stepName === IMPORT_STEP)!));
    expect(steps.reduce((sum, s) => sum + s.writeCount, 0)).toBe(10_000);
    const rejectsFile = steps[1]!.executionContext[ImportContext.rejectsFile] as string;
    expect((parse(readFileSync(rejectsFile, 'utf8').slice(1)) as string[][]).slice(1).map((r) => r[0])).toEqual([BAD_ROWS[0]![0]]);
    expect(steps.reduce((sum, s) => sum + s.processSkipCount, 0)).toBe(1);
  });

  test('a row without a member id finds the member already there by phone, however the phone is written', async () => {
    await t.db.kysely.insertInto('user').values({ user_id: 'A1000001', user_name: '이미있음', status: 'ACTIVE', phone: '01055556666' }).execute();
    const header = KOREAN_HEADER.filter((h) => h !== '회원번호');
    const row = goodRow(1).slice(1);
    row[1] = '+82 10-5555-6666';
    const file = await writeMemberFile(join(folder(), 'no-ids.csv'), 'utf8', [row, goodRow(2).slice(1)], header);
    const { step } = await importFile(file);
    expect(step.executionContext).toMatchObject({ [ImportContext.created]: 1, [ImportContext.matched]: 1, [ImportContext.passesAdded]: 2 });
    const users = (await snapshot()).users;
    // the member there keeps their name; the new one gets an id from their phone
    expect(users).toEqual([
      { user_id: 'A1000001', user_name: '이미있음', phone: '01055556666', status: 'ACTIVE' },
      { user_id: 'P01010000002', user_name: '박민준', phone: '01010000002', status: 'ACTIVE' },
    ]);
    expect((await snapshot()).passes.map((p) => p.user_id)).toEqual(['A1000001', 'P01010000002']);
  });

  test('the launch check refuses a file outside the data folder, another kind of file and a header without a name column, before anything is written', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pass-import-outside-'));
    try {
      const away = await writeMemberFile(join(outside, 'members.csv'), 'utf8', memberRows(2));
      await expect(operator.start('importMembersJob', { file: away })).rejects.toThrow(/outside the folders the console may write/);
      await expect(operator.start('importMembersJob', { file: '../../../../etc/passwd' })).rejects.toThrow(/only \.csv and \.xlsx/);
      const noName = await writeMemberFile(join(folder(), 'no-name.csv'), 'utf8', [['M1', '010-1234-5678']], ['id', 'phone']);
      await expect(operator.start('importMembersJob', { file: noName })).rejects.toThrow(/no name column/);
      await expect(operator.start('importMembersJob', { file: join(folder(), 'missing.csv') })).rejects.toThrow(/there is no file/);
      expect(await t.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select('JOB_EXECUTION_ID').execute()).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
