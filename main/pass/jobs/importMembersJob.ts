// 회원 가져오기: one chunk step over the rows of a member list from the gym's old program (a CSV
// in UTF-8 or CP949, or an .xlsx). Each row is checked (memberRows.ts); a bad row is skipped
// under the step's skip limit and written, as it was, with the reason to a rejects file beside
// the imported one, which staff fix and import again. A good row becomes a member (matched by
// member id, else by phone; a member already there keeps their details), their groups and,
// when the row has one, their current pass (once: a pass of the same package and start is not
// added again). So importing a file twice changes nothing. A dry run checks every row and
// writes nothing, neither rows nor a rejects file; both report their first problems in the
// step's context. The reader saves how many records it has read in the same transaction as
// each chunk's writes, so a crash or a stop resumes after the last committed chunk.
import { existsSync, unlinkSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { DateTime } from 'luxon';
import {
  allowedFolder,
  booleanParam,
  chunkStep,
  csvFileWriter,
  dateTimeParam,
  defineJob,
  fromDbTime,
  insertIgnore,
  resolveFolder,
  stringParam,
  toDbTime,
  type Database,
  type ExecutionContext,
  type ItemProcessor,
  type ItemReader,
  type ItemWriter,
  type StepContext,
  type ValuesOf,
} from '../../batch/index.ts';
import { countCsvLines, formatOf, headerProblem, openMemberFile, type FileRecord, type MemberFile } from '../imports/memberFile.ts';
import { checkRow, generatedUserId, type GroupInfo, type ImportedMember, type Lookups, type Reason } from '../imports/memberRows.ts';
import { passDb, passTx, type PassTx } from '../passQueries.ts';
import { PassStatus, UserStatus } from '../schema.ts';

export const IMPORT_JOB = 'importMembersJob';
export const IMPORT_STEP = 'importMembersStep';

const params = {
  file: stringParam({
    description: {
      ko: '가져올 회원 파일 (.csv 또는 .xlsx, 데이터 폴더 안; 상대 경로는 데이터 폴더 기준)',
      en: 'The member file to import (.csv or .xlsx, in the data folder; a relative path is read there)',
    },
  }),
  dryRun: booleanParam({
    default: false,
    description: { ko: '미리 확인: 모든 행을 검사만 하고 아무것도 쓰지 않습니다', en: 'Dry run: check every row and write nothing' },
  }),
  language: stringParam({
    default: 'ko',
    identifying: false,
    check: (value) => (value === 'ko' || value === 'en' ? undefined : 'must be ko or en'),
    description: { ko: '거부 파일의 사유를 쓸 언어 (ko, en)', en: 'The language of the reasons in the rejects file (ko, en)' },
  }),
  now: dateTimeParam({
    default: 'now',
    description: { ko: '가져오는 시각 (이용권의 상태와 거부 파일 이름)', en: "The import's moment (a pass's status and the rejects file's name)" },
  }),
};
type Params = ValuesOf<typeof params>;

/** Rows per chunk (one transaction). */
const CHUNK_SIZE = 1000;
/** Bad rows one import may skip before it fails: past this the file is probably not a member list. */
export const IMPORT_SKIP_LIMIT = 1000;
/** How many problems the step's context keeps for the screen. */
export const PROBLEMS_KEPT = 20;

/** Keys of the step's execution context the service and the screen read. */
export const ImportContext = {
  /** records read so far (the reader's position) */
  records: 'importMembers.records',
  /** the first problems: [{ row, ko, en }] */
  problems: 'importMembers.problems',
  /** where the rejects file is (or will be, once the step completes) */
  rejectsFile: 'importMembers.rejectsFile',
  /** members made, members already there, passes added, group memberships added (a dry run: would be) */
  created: 'importMembers.created',
  matched: 'importMembers.matched',
  passesAdded: 'importMembers.passesAdded',
  groupsAdded: 'importMembers.groupsAdded',
} as const;

export interface ImportProblem {
  row: number;
  ko: string;
  en: string;
}

/** A row refused by its check: the step's skip policy skips exactly these. */
export class RowRejected extends Error {
  override name = 'RowRejected';
  constructor(
    readonly record: FileRecord,
    readonly reason: Reason,
  ) {
    super(`Row ${record.row}: ${reason.en}`);
  }
}

/** The file a `file` parameter names: relative paths in the data folder, links followed. */
export async function importFilePath(file: string): Promise<string> {
  const path = resolveFolder(file);
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** Where the rejects of an import launched at `now` go: beside the file, named after it and the moment. */
export function rejectsPathFor(file: string, now: Date, timeZone: string): string {
  const stamp = DateTime.fromJSDate(now, { zone: timeZone }).toFormat('yyyyMMdd-HHmmss');
  return join(dirname(file), `${basename(file, extname(file))}.rejects-${stamp}.csv`);
}

/** The launch check: a .csv or .xlsx file in an allowed folder, whose header names the columns needed. */
export async function importFileProblem(file: string, db: Pick<Database, 'kysely' | 'url' | 'dialect'>): Promise<string | undefined> {
  if (file.includes('\0')) return 'Parameter "file": the path holds a NUL character';
  const path = await importFilePath(file);
  if (!formatOf(path)) return 'Parameter "file": only .csv and .xlsx files can be imported';
  const folder = await allowedFolder(dirname(path), db);
  if (!folder.ok) return `Parameter "file": ${folder.reason.en}`;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return `Parameter "file": there is no file ${path}`;
  let opened: MemberFile | undefined;
  try {
    opened = await openMemberFile(path);
    const problem = headerProblem(opened.mapping);
    return problem ? `Parameter "file": ${problem.en}` : undefined;
  } catch (error) {
    return `Parameter "file": ${path} can't be read (${(error as Error).message})`;
  } finally {
    await opened?.close().catch(() => undefined);
  }
}

// ---- reader ---------------------------------------------------------------------------------

/** The file's records after the header, restartable by how many were read (Spring's ItemStream). */
function memberFileReader({ params }: StepContext<Params>): ItemReader<FileRecord> & { file(): MemberFile; path(): string } {
  let opened: MemberFile | undefined;
  let path = '';
  let read = 0;
  return {
    file: () => opened!,
    path: () => path,
    async open(context) {
      path = await importFilePath(params.file);
      opened = await openMemberFile(path);
      const problem = headerProblem(opened.mapping);
      if (problem) throw new Error(`${path}: ${problem.en}`);
      const skip = Number(context[ImportContext.records] ?? 0);
      for (read = 0; read < skip; read++) if ((await opened.records.next()).done) break;
    },
    async read() {
      const next = await opened!.records.next();
      if (next.done) return null;
      read++;
      return next.value;
    },
    update(context) {
      context[ImportContext.records] = read;
    },
    async close() {
      await opened?.close();
    },
    async expectedCount() {
      return opened?.format === 'csv' ? Math.max(0, (await countCsvLines(path)) - read) : undefined;
    },
  };
}

// ---- what the steps share -------------------------------------------------------------------

interface StepState {
  reader?: ReturnType<typeof memberFileReader>;
  lookups?: Promise<Lookups>;
  /** phone → the member id that has it, as far as this step knows (see writeMembers) */
  phones?: Map<string, string>;
  /** rows refused since the last chunk's update */
  refused: RowRejected[];
}
const states = new WeakMap<object, StepState>();
const stateOf = (ctx: StepContext<Params>): StepState => {
  let state = states.get(ctx);
  if (!state) states.set(ctx, (state = { refused: [] }));
  return state;
};

export async function loadLookups(db: Database): Promise<Lookups> {
  const pdb = passDb(db);
  const packages = new Map<string, { packageSeq: number; count: number | null; period: number | null }>();
  for (const p of await pdb.selectFrom('package').select(['package_seq', 'package_name', 'count', 'period']).orderBy('package_seq').execute()) {
    const name = p.package_name.normalize('NFC').trim();
    if (!packages.has(name)) packages.set(name, { packageSeq: Number(p.package_seq), count: p.count === null ? null : Number(p.count), period: p.period === null ? null : Number(p.period) });
  }
  const groups = new Map<string, GroupInfo>();
  const rows = await pdb
    .selectFrom('user_group_mapping')
    .select((eb) => ['user_group_id', eb.fn.min('user_group_name').as('user_group_name'), eb.fn.min('description').as('description')])
    .groupBy('user_group_id')
    .orderBy('user_group_id')
    .execute();
  for (const g of rows) {
    const info = { userGroupId: g.user_group_id, userGroupName: String(g.user_group_name), description: String(g.description) };
    groups.set(info.userGroupId, info);
  }
  for (const info of groups.values()) if (!groups.has(info.userGroupName)) groups.set(info.userGroupName, info);
  return { packages, groups };
}

/** Every member's phone, the first id (in id order) for a phone several share. */
async function phonesOf(t: PassTx): Promise<Map<string, string>> {
  const phones = new Map<string, string>();
  for (const u of await t.selectFrom('user').select(['user_id', 'phone']).where('phone', 'is not', null).orderBy('user_id').execute()) {
    if (u.phone && !phones.has(u.phone)) phones.set(u.phone, u.user_id);
  }
  return phones;
}

// ---- processor ------------------------------------------------------------------------------

/** A record → the member it describes; a bad one is refused (and remembered for the rejects file), a blank one filtered. */
function checkMemberRow(ctx: StepContext<Params>): ItemProcessor<FileRecord, ImportedMember> {
  const state = stateOf(ctx);
  return async (record) => {
    state.lookups ??= loadLookups(ctx.db);
    const outcome = checkRow(record, state.reader!.file().mapping, await state.lookups, ctx.timeZone);
    if (!outcome.ok) {
      const refused = new RowRejected(record, outcome.reason);
      state.refused.push(refused);
      throw refused;
    }
    return outcome.member;
  };
}

// ---- writer ---------------------------------------------------------------------------------

interface ChunkStats {
  created: number;
  matched: number;
  passesAdded: number;
  groupsAdded: number;
}
const noStats = (): ChunkStats => ({ created: 0, matched: 0, passesAdded: 0, groupsAdded: 0 });

/** csvFileWriter.write only buffers its lines; it never uses the transaction it is given. */
const NO_TRANSACTION = undefined as never;

function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The members of a chunk, their groups and passes, through the chunk's transaction; in a dry
 * run only the look-ups. Then the chunk's refused rows to the rejects file and the counts and
 * first problems to the context, all in the same transaction.
 */
function importWriter(ctx: StepContext<Params>): ItemWriter<ImportedMember> {
  const { params, db } = ctx;
  const state = stateOf(ctx);
  let pending = noStats();
  // What each chunk's context held before this chunk, so a retried chunk (the same context
  // object again) adds its rows once.
  const before = new WeakMap<ExecutionContext, { stats: ChunkStats; problems: ImportProblem[]; refused: RowRejected[] }>();
  let rejects: ReturnType<typeof csvFileWriter<RowRejected>> | undefined;
  let rejectsPath = '';

  async function writeMembers(members: ImportedMember[], tx: Parameters<ItemWriter<ImportedMember>['write']>[1]): Promise<ChunkStats> {
    const t = passTx(tx);
    const stats = noStats();
    const now = toDbTime(params.now);
    // Every phone at the step's start (one read, then kept up to date with the members this step
    // makes): a chunk never scans the member table for phones, which has no index on them. What
    // it names is a candidate only, looked up by its id below with the chunk's own ids, so one
    // made by a chunk that was rolled back is not taken for a member.
    state.phones ??= await phonesOf(t);
    const phoneIndex = state.phones;
    const ids = new Set<string>();
    for (const m of members) {
      ids.add(m.userId ?? generatedUserId(m.phone!));
      const candidate = m.phone ? phoneIndex.get(m.phone) : undefined;
      if (candidate) ids.add(candidate);
    }
    const byId = new Map<string, string>();
    for (const part of slices([...ids], 500)) {
      for (const u of await t.selectFrom('user').select('user_id').where('user_id', 'in', part).execute()) byId.set(u.user_id, u.user_id);
    }
    const byPhone = {
      get: (phone: string) => {
        const candidate = phoneIndex.get(phone);
        return candidate !== undefined && byId.has(candidate) ? candidate : undefined;
      },
    };
    const newUsers: Array<{ user_id: string; user_name: string; status: string; phone: string | null; meta: null; created_at: string; modified_at: null }> = [];
    const resolved: Array<{ member: ImportedMember; userId: string; isNew: boolean }> = [];
    for (const m of members) {
      // By member id, else by phone; a row without an id: by phone, else by the id its phone gives.
      let userId = m.userId ? (byId.get(m.userId) ?? (m.phone ? byPhone.get(m.phone) : undefined)) : (byPhone.get(m.phone!) ?? byId.get(generatedUserId(m.phone!)));
      const isNew = !userId;
      if (userId) stats.matched++;
      else {
        userId = m.userId ?? generatedUserId(m.phone!);
        newUsers.push({ user_id: userId, user_name: m.userName, status: UserStatus.ACTIVE, phone: m.phone, meta: null, created_at: now, modified_at: null });
        byId.set(userId, userId);
        if (m.phone && byPhone.get(m.phone) === undefined) phoneIndex.set(m.phone, userId);
        stats.created++;
      }
      resolved.push({ member: m, userId, isNew });
    }

    const mappings = new Map<string, { user_group_id: string; user_id: string; user_group_name: string; description: string; created_at: string; modified_at: null }>();
    for (const { member, userId } of resolved) {
      for (const g of member.groups) mappings.set(`${g.userGroupId}\u0000${userId}`, { user_group_id: g.userGroupId, user_id: userId, user_group_name: g.userGroupName, description: g.description, created_at: now, modified_at: null });
    }
    const withPass = resolved.filter((r) => r.member.pass);
    const existing = new Set<string>();
    const passKey = (userId: string, packageSeq: number, startedAt: Date) => `${userId}\u0000${packageSeq}\u0000${startedAt.getTime()}`;
    // A member made by this chunk has no pass yet: only those already there are looked up.
    for (const part of slices([...new Set(withPass.filter((r) => !r.isNew).map((r) => r.userId))], 500)) {
      for (const p of await t.selectFrom('pass').select(['user_id', 'package_seq', 'started_at']).where('user_id', 'in', part).execute()) {
        existing.add(passKey(p.user_id, Number(p.package_seq), fromDbTime(p.started_at)));
      }
    }
    const newPasses = [];
    for (const { member, userId } of withPass) {
      const pass = member.pass!;
      const key = passKey(userId, pass.packageSeq, pass.startedAt);
      if (existing.has(key)) continue;
      existing.add(key);
      newPasses.push({
        package_seq: pass.packageSeq,
        user_id: userId,
        status: pass.startedAt > params.now ? PassStatus.READY : PassStatus.PROGRESSED,
        remaining_count: pass.remainingCount,
        started_at: toDbTime(pass.startedAt),
        ended_at: pass.endedAt && toDbTime(pass.endedAt),
        expired_at: null,
        bulk_pass_seq: null,
        created_at: now,
        modified_at: null,
      });
    }
    stats.passesAdded = newPasses.length;
    if (params.dryRun) return stats;

    // A member id that differs only in letter case from one there (MySQL's collation calls
    // them equal) is not inserted twice: the row's groups and pass go to the one there.
    for (const part of slices(newUsers, 500)) await insertIgnore(db.dialect, tx, 'user').values(part).execute();
    for (const part of slices([...mappings.values()], 500)) {
      const result = await insertIgnore(db.dialect, tx, 'user_group_mapping').values(part).executeTakeFirst();
      stats.groupsAdded += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    for (const part of slices(newPasses, 500)) await t.insertInto('pass').values(part).execute();
    return stats;
  }

  return {
    open(context) {
      if (params.dryRun) return;
      // The reader has opened the file (the engine opens the reader first): its rejects go beside it.
      rejectsPath = rejectsPathFor(state.reader!.path(), params.now, ctx.timeZone);
      rejects = csvFileWriter<RowRejected>({
        path: rejectsPath,
        name: 'rejects',
        header: [...state.reader!.file().header, params.language === 'en' ? 'reason' : '사유'],
        row: (r) => [...r.record.cells, params.language === 'en' ? r.reason.en : r.reason.ko],
      });
      // A run that had no rejects removed its empty temp file at the end: start that one again.
      const saved = { ...context };
      if (Number(saved['rejects.rows'] ?? 0) === 0 && !existsSync(rejects.tempPath) && !existsSync(rejectsPath)) {
        delete saved['rejects.offset'];
        delete saved['rejects.rows'];
      }
      return rejects.open?.(saved);
    },
    async write(members, tx) {
      try {
        const stats = await writeMembers(members, tx);
        for (const key of Object.keys(stats) as Array<keyof ChunkStats>) pending[key] += stats[key];
      } catch (error) {
        pending = noStats();
        throw error;
      }
    },
    update(context) {
      let base = before.get(context);
      if (!base) {
        base = {
          stats: {
            created: Number(context[ImportContext.created] ?? 0),
            matched: Number(context[ImportContext.matched] ?? 0),
            passesAdded: Number(context[ImportContext.passesAdded] ?? 0),
            groupsAdded: Number(context[ImportContext.groupsAdded] ?? 0),
          },
          problems: (context[ImportContext.problems] as ImportProblem[] | undefined) ?? [],
          refused: state.refused.splice(0),
        };
        before.set(context, base);
      }
      const chunk = pending;
      pending = noStats();
      context[ImportContext.created] = base.stats.created + chunk.created;
      context[ImportContext.matched] = base.stats.matched + chunk.matched;
      context[ImportContext.passesAdded] = base.stats.passesAdded + chunk.passesAdded;
      context[ImportContext.groupsAdded] = base.stats.groupsAdded + chunk.groupsAdded;
      context[ImportContext.problems] = [...base.problems, ...base.refused.map((r) => ({ row: r.record.row, ko: r.reason.ko, en: r.reason.en }))].slice(0, PROBLEMS_KEPT);
      if (rejects) {
        context[ImportContext.rejectsFile] = rejectsPath;
        void rejects.write(base.refused, NO_TRANSACTION);
        rejects.update!(context);
      }
    },
    async complete() {
      if (!rejects) return;
      if (rejects.rows === 0) {
        rejects.close?.();
        if (existsSync(rejects.tempPath)) unlinkSync(rejects.tempPath);
        return;
      }
      await rejects.complete!();
    },
    close() {
      return rejects?.close?.();
    },
  };
}

export const importMembersJob = defineJob({
  name: IMPORT_JOB,
  title: { ko: '회원 가져오기', en: 'Import members' },
  description: {
    ko: '예전 프로그램의 회원 파일(CSV, 엑셀)에서 회원과 그룹, 현재 이용권을 가져옵니다. 잘못된 행은 사유와 함께 거부 파일에 씁니다.',
    en: "Imports members, their groups and current passes from the old program's file (CSV or Excel); bad rows go to a rejects file with the reason.",
  },
  params,
  validate: ({ file }, db) => importFileProblem(file, db),
  steps: [
    chunkStep<Params, FileRecord, ImportedMember>({
      name: IMPORT_STEP,
      title: { ko: '파일의 회원 가져오기', en: 'Import the members of the file' },
      chunkSize: CHUNK_SIZE,
      reader: (ctx) => {
        const reader = memberFileReader(ctx);
        stateOf(ctx).reader = reader;
        return reader;
      },
      processor: checkMemberRow,
      writer: importWriter,
      faultTolerant: { skipLimit: IMPORT_SKIP_LIMIT, skip: (error) => error instanceof RowRejected, retryLimit: 0 },
    }),
  ],
});
