// importMembersJob on N members with a pass each (every 4th in a group), from a CP949 CSV (what
// Korean Excel writes; the main row) and from an .xlsx workbook (the extra row), each against the
// same file loaded with no engine, measured in the same run: the same reader and the same row
// check, then in one transaction a staging INSERT and INSERT ... SELECTs into user,
// user_group_mapping and pass. Loop: per row, look the member up and INSERT the member and the
// pass with autocommit. Goal (issue 18): ≥ 20,000 rows/s from CSV, peak RSS < 300 MB.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toDbTime } from '../main/batch/index.ts';
import { openMemberFile } from '../main/pass/imports/memberFile.ts';
import { checkRow, generatedUserId, type ImportedMember } from '../main/pass/imports/memberRows.ts';
import { importMembersJob, loadLookups } from '../main/pass/jobs/importMembersJob.ts';
import { passDb } from '../main/pass/passQueries.ts';
import { IMPORT_PACKAGES, memberRows, writeMemberFile, type FixtureFormat } from '../test/fixtures/memberFiles.ts';
import { row, type BenchRow } from './benchmark.ts';
import { passBenchmark, verdict, type RunContext } from './passBench.ts';
import { emptyTables, exec, q, scalar, settle } from './passData.ts';
import { log, round, timeIt } from './support.ts';

const TIME_ZONE = 'Asia/Seoul';
let folder = '';
/** which file prepare() lays out and the job and the limit read: the CSV for the main row, the workbook for the extra one */
let format: FixtureFormat = 'cp949';
/** set while the extra (.xlsx) row runs */
let activeFormat: FixtureFormat | null = null;
const files = new Map<string, string>();

/** The file of `size` rows in the current format, written once per process. */
async function fileFor(size: number): Promise<string> {
  const key = `${format}:${size}`;
  let path = files.get(key);
  if (!path) {
    path = join(folder, `members-${size}.${format === 'xlsx' ? 'xlsx' : 'csv'}`);
    const seconds = await timeIt(() => writeMemberFile(path!, format, memberRows(size)));
    log(`importMembers: wrote ${path} (${size.toLocaleString('en-US')} rows) in ${seconds.toFixed(1)} s`);
    files.set(key, path);
  }
  return path;
}

async function prepare({ db, size }: RunContext): Promise<number> {
  await emptyTables(db, ['pass', 'user_group_mapping', 'user', 'package']);
  await passDb(db).insertInto('package').values(IMPORT_PACKAGES).execute();
  await fileFor(size);
  await settle(db);
  return size;
}

/** Every row a member with its phone in one spelling and exactly one pass; every 4th in the group. */
async function check({ db }: RunContext, items: number): Promise<string | null> {
  const users = await scalar(db, `SELECT COUNT(*) FROM ${q(db.dialect, 'user')}`);
  const passes = await scalar(db, 'SELECT COUNT(*) FROM pass');
  const owners = await scalar(db, 'SELECT COUNT(DISTINCT user_id) FROM pass');
  const grouped = await scalar(db, `SELECT COUNT(*) FROM user_group_mapping WHERE user_group_id = '필라테스반'`);
  const spelled = await scalar(db, `SELECT COUNT(*) FROM ${q(db.dialect, 'user')} WHERE phone LIKE '010________' AND LENGTH(phone) = 11`);
  const groupedWanted = Math.ceil(items / 4);
  return users === items && passes === items && owners === items && grouped === groupedWanted && spelled === items
    ? null
    : `${users} members, ${passes} passes of ${owners} members, ${grouped} in the group (want ${groupedWanted}), ${spelled} phones in one spelling, of ${items} rows`;
}

/** The same file through the same reader and check, then set-based SQL in one transaction: what the job does, with no engine. */
async function limit({ db, size, now }: RunContext): Promise<void> {
  const lookups = await loadLookups(db);
  const file = await openMemberFile(await fileFor(size));
  const members: ImportedMember[] = [];
  try {
    for (let next = await file.records.next(); !next.done; next = await file.records.next()) {
      const outcome = checkRow(next.value, file.mapping, lookups, TIME_ZONE);
      if (outcome.ok && outcome.member) members.push(outcome.member);
    }
  } finally {
    await file.close();
  }
  const d = db.dialect;
  await exec(db, 'DROP TABLE IF EXISTS bench_import');
  await exec(
    db,
    'CREATE TABLE bench_import (user_id VARCHAR(20) NOT NULL, user_name VARCHAR(50) NOT NULL, phone VARCHAR(50), group_id VARCHAR(20), group_name VARCHAR(50), ' +
      'group_description VARCHAR(100), package_seq BIGINT, remaining_count INTEGER, started_at VARCHAR(30), ended_at VARCHAR(30))',
  );
  const at = toDbTime(now);
  await db.kysely.transaction().execute(async (tx) => {
    for (let i = 0; i < members.length; i += 500) {
      await tx
        .insertInto('bench_import')
        .values(
          members.slice(i, i + 500).map((m) => ({
            user_id: m.userId ?? generatedUserId(m.phone!),
            user_name: m.userName,
            phone: m.phone,
            group_id: m.groups[0]?.userGroupId ?? null,
            group_name: m.groups[0]?.userGroupName ?? null,
            group_description: m.groups[0]?.description ?? null,
            package_seq: m.pass?.packageSeq ?? null,
            remaining_count: m.pass?.remainingCount ?? null,
            started_at: m.pass ? toDbTime(m.pass.startedAt) : null,
            ended_at: m.pass?.endedAt ? toDbTime(m.pass.endedAt) : null,
          })),
        )
        .execute();
    }
    await exec(tx, `INSERT INTO ${q(d, 'user')} (user_id, user_name, status, phone, created_at) SELECT user_id, user_name, 'ACTIVE', phone, '${at}' FROM bench_import`);
    await exec(
      tx,
      `INSERT INTO user_group_mapping (user_group_id, user_id, user_group_name, description, created_at) ` +
        `SELECT group_id, user_id, group_name, group_description, '${at}' FROM bench_import WHERE group_id IS NOT NULL`,
    );
    await exec(
      tx,
      `INSERT INTO pass (package_seq, user_id, status, remaining_count, started_at, ended_at, created_at) ` +
        `SELECT package_seq, user_id, CASE WHEN started_at > '${at}' THEN 'READY' ELSE 'PROGRESSED' END, remaining_count, started_at, ended_at, '${at}' FROM bench_import WHERE package_seq IS NOT NULL`,
    );
  });
  await exec(db, 'DROP TABLE bench_import');
}

/** Row at a time with autocommit: look the member up, INSERT them and their pass. */
async function loop({ db, size, now }: RunContext, sample: number): Promise<number> {
  const lookups = await loadLookups(db);
  const file = await openMemberFile(await fileFor(size));
  const pdb = passDb(db);
  let done = 0;
  try {
    for (let next = await file.records.next(); !next.done && done < sample; next = await file.records.next()) {
      const outcome = checkRow(next.value, file.mapping, lookups, TIME_ZONE);
      if (!outcome.ok || !outcome.member) continue;
      const m = outcome.member;
      const userId = m.userId ?? generatedUserId(m.phone!);
      const found = await pdb.selectFrom('user').select('user_id').where('user_id', '=', userId).executeTakeFirst();
      if (!found) await pdb.insertInto('user').values({ user_id: userId, user_name: m.userName, status: 'ACTIVE', phone: m.phone, created_at: toDbTime(now) }).execute();
      if (m.pass) {
        await pdb
          .insertInto('pass')
          .values({ package_seq: m.pass.packageSeq, user_id: userId, status: 'PROGRESSED', remaining_count: m.pass.remainingCount, started_at: toDbTime(m.pass.startedAt), ended_at: m.pass.endedAt && toDbTime(m.pass.endedAt), created_at: toDbTime(now) })
          .execute();
      }
      done++;
    }
  } finally {
    await file.close();
  }
  return done;
}

const GOAL_PER_SECOND = 20_000;

export default passBenchmark({
  name: 'importMembers',
  description: 'importMembersJob: N members with a pass each from a CP949 CSV and from an .xlsx, vs the same rows by INSERT ... SELECT (goal ≥ 20,000/s from CSV, RSS < 300 MB)',
  job: importMembersJob,
  label: 'importMembersJob (CSV, CP949)',
  sizes: { small: 5_000, default: 20_000, full: 100_000 },
  sample: { small: 500, default: 2_000, full: 2_000 },
  goal: { perSecondAtLeast: GOAL_PER_SECOND },
  workload: (n) => `${n.toLocaleString('en-US')} members with a pass each, every 4th in a group, phones in three spellings, from ${format === 'xlsx' ? 'an .xlsx workbook' : 'a CP949 CSV'}`,
  async setup() {
    // the job's file must lie in the data folder: this process's own
    const before = process.env.PASS_DATA_DIR;
    folder = mkdtempSync(join(tmpdir(), 'pass-bench-import-'));
    process.env.PASS_DATA_DIR = folder;
    mkdirSync(folder, { recursive: true });
    return async () => {
      if (before === undefined) delete process.env.PASS_DATA_DIR;
      else process.env.PASS_DATA_DIR = before;
      rmSync(folder, { recursive: true, force: true });
    };
  },
  prepare: async (ctx) => {
    format = activeFormat ?? 'cp949';
    return prepare(ctx);
  },
  params: ({ size, now }) => ({ file: files.get(`${format}:${size}`)!, now, dryRun: false, language: 'ko' }),
  check,
  limitText: 'the same reader and row check, then a staging INSERT and INSERT ... SELECT into user, user_group_mapping and pass, one transaction',
  limit,
  loop,
  note: (_ctx, measured) => `items/s ${Math.round(measured.items / measured.seconds).toLocaleString('en-US')} against the limit's ${Math.round(measured.items / measured.limitSeconds).toLocaleString('en-US')}; goal RSS < 300 MB`,
  async extra(ctx, tools) {
    // The same members from the workbook: its own job run and its own limit, on the same database.
    const rows: BenchRow[] = [];
    try {
      const job = await withFormat('xlsx', () => tools.runJob(ctx.size));
      await withFormat('xlsx', () => prepare(ctx));
      const limitSeconds = await withFormat('xlsx', () => timeIt(() => limit(ctx)));
      const problem = await check(ctx, job.items);
      log(`importMembers/xlsx: job ${job.seconds.toFixed(3)} s, limit ${limitSeconds.toFixed(3)} s${problem ? `, CHECK FAILED after the limit: ${problem}` : ''}`);
      rows.push(
        row({
          job: 'importMembersJob (xlsx)',
          db: '',
          items: job.items,
          seconds: round(job.seconds, 3),
          itemsPerSecond: Math.round(job.items / job.seconds),
          ratioToLimit: round(job.seconds / limitSeconds, 2),
          baselineSeconds: round(limitSeconds, 3),
          peakRssMb: job.peakRssMb,
          note: [
            problem ? `failed: check: the limit: ${problem}` : 'every change checked',
            `${verdict({ perSecondAtLeast: GOAL_PER_SECOND }, job.seconds, limitSeconds, job.items, ctx.scale).replace('goal', 'CSV goal, for comparison')}`,
            `${job.items.toLocaleString('en-US')} members with a pass each from an .xlsx workbook (exceljs's streaming reader)`,
            `limit (the same reader and row check, then INSERT ... SELECT) ${limitSeconds.toFixed(3)} s`,
          ].join('; '),
        }),
      );
    } finally {
      format = 'cp949';
    }
    return rows;
  },
});

/** Runs `work` with prepare() laying out the given format (else the CSV). */
async function withFormat<T>(which: FixtureFormat, work: () => Promise<T>): Promise<T> {
  format = which;
  activeFormat = which;
  try {
    return await work();
  } finally {
    activeFormat = null;
  }
}
