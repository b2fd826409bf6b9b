// 데이터베이스 백업: on a desk with the embedded database, its SQLite file is the gym's only copy of
// every pass and of the engine's history. This job copies it, whole and consistent, while the
// console goes on working: SQLite's online backup API on a connection of its own, on a worker
// thread, outside any transaction (a resourceless tasklet), so no one waits for it. The copy is
// written under a temporary name, checked and only then renamed: a backup under its real name
// always opens. The newest `keep` copies stay. A MySQL/MariaDB database is backed up by its
// server's own tools (mysqldump), which this job says in so many words. Putting a copy back is
// restore.ts.
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Piscina } from 'piscina';
import { sqlitePath } from './database/connection.ts';
import { folderParameterProblem, resolveFolder } from './folders.ts';
import { openSqliteFile } from './database/sqliteDriver.ts';
import { piscinaEntry } from './partition.ts';
import { defineJob, resourcelessTaskletStep } from './job.ts';
import { dateTimeParam, numberParam, stringParam, type ValuesOf } from './parameters.ts';
import type { ScheduleDefault } from './scheduler/model.ts';

/** How many copies a run keeps unless told otherwise: two weeks of nightly copies. */
export const BACKUPS_KEPT = 14;

/** A temporary file older than this is a crashed run's leftover, not a copy still being made. */
const STALE_TEMP_MS = 6 * 3_600_000;

/**
 * Where copies of the SQLite file `databaseFile` go: `param` (relative: in the data folder; the
 * launch check keeps it to allowed folders, folders.ts), else PASS_BACKUP_DIR, else `backups` beside it.
 */
export function backupDirectory(databaseFile: string, param?: string): string {
  return (param?.trim() && resolveFolder(param)) || process.env.PASS_BACKUP_DIR?.trim() || join(dirname(databaseFile), 'backups');
}

/** pass-console.sqlite → { stem: 'pass-console', ext: '.sqlite' }: what a backup's name is made of. */
function nameParts(databaseFile: string): { stem: string; ext: string } {
  return { stem: basename(databaseFile, extname(databaseFile)), ext: extname(databaseFile) || '.sqlite' };
}

/** pass-console.sqlite at 2026-12-05T03:45:00Z → pass-console-20261205T034500Z.sqlite */
export function backupFileName(databaseFile: string, at: Date): string {
  const { stem, ext } = nameParts(databaseFile);
  return `${stem}-${at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')}${ext}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface BackupCopy {
  fileName: string;
  path: string;
  /** the moment in its name */
  takenAt: Date;
  sizeBytes: number;
}

/** The backups of `databaseFile` in `directory` (none when it doesn't exist), oldest first: their names sort by time. */
export async function findBackups(databaseFile: string, directory: string): Promise<BackupCopy[]> {
  const { stem, ext } = nameParts(databaseFile);
  const pattern = new RegExp(`^${escapeRegExp(stem)}-(\\d{4})(\\d\\d)(\\d\\d)T(\\d\\d)(\\d\\d)(\\d\\d)Z${escapeRegExp(ext)}$`);
  const copies: BackupCopy[] = [];
  for (const fileName of (await readdir(directory).catch(() => [] as string[])).sort()) {
    const m = pattern.exec(fileName);
    if (!m) continue;
    const path = join(directory, fileName);
    const sizeBytes = await stat(path).then((s) => s.size, () => null);
    if (sizeBytes === null) continue; // deleted meanwhile
    copies.push({ fileName, path, takenAt: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`), sizeBytes });
  }
  return copies;
}

/** The database file this execution runs on, or an error in plain words when it has none. */
function databaseFileOf(url: string, dialect: string): string {
  if (dialect !== 'sqlite') {
    throw new Error(
      'This database is MySQL/MariaDB: back it up with the database server’s own tools (mysqldump, or your host’s backups). This job copies the embedded SQLite file.',
    );
  }
  const file = sqlitePath(url);
  if (file === ':memory:' || file === '') throw new Error('An in-memory database has no file to back up.');
  return file;
}

export type Sqlite = import('better-sqlite3').Database;
const removeWithSidecars = (file: string) => Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(file + suffix, { force: true })));

/**
 * Copies the database `from` is open on to `target` through a temporary file, checked before it
 * takes its name. The check is that the copy opens, reads its schema and has every page: a full
 * quick_check would hold this thread about 2 ms per MB (the restore makes it, in the command line).
 */
export async function copyDatabase(from: Sqlite, target: string): Promise<void> {
  const temp = `${target}.partial-${process.pid}`;
  try {
    const { totalPages } = await from.backup(temp);
    // One self-contained file (the copy took the source's WAL mode), then checked.
    const copy = await openSqliteFile(temp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      copy.prepare('SELECT count(*) FROM sqlite_master').get();
      const pages = copy.pragma('page_count', { simple: true });
      if (pages !== totalPages) throw new Error(`the copy has ${String(pages)} pages of ${totalPages}`);
    } finally {
      copy.close();
    }
    // A copy of every member's phone number: readable by its owner only, like the database.
    await chmod(temp, 0o600).catch(() => undefined);
    await rename(temp, target);
  } catch (error) {
    await removeWithSidecars(temp);
    throw new Error(`Could not write the backup ${target}: ${(error as Error).message}`, { cause: error });
  }
}

/** Copies the SQLite file `source` to `target` (see copyDatabase): what a backup worker thread runs. */
export async function copyDatabaseFile({ source, target }: { source: string; target: string }): Promise<void> {
  const from = await openSqliteFile(source, { readonly: true, fileMustExist: true, timeout: 15_000 });
  try {
    await copyDatabase(from, target);
  } finally {
    from.close();
  }
}

/** copyDatabaseFile on a thread of its own (the module at `worker`), so this one never waits on the disk. */
export async function copyOnWorker(worker: string, task: { source: string; target: string }): Promise<void> {
  const pool = new Piscina({ ...piscinaEntry(worker), minThreads: 0, maxThreads: 1 });
  try {
    await pool.run(task);
  } finally {
    await pool.destroy();
  }
}

export interface BackupJobOptions {
  /**
   * A worker module whose default export is copyDatabaseFile (workers/backupWorker.ts). Without
   * one the copy runs on this thread, which then stands still while SQLite writes the copy out
   * at its end (0.2–0.7 s for a 239 MB file, bench/backup.ts).
   */
  worker?: string;
}

const params = {
  now: dateTimeParam({ default: 'now', description: { ko: '백업 파일 이름에 들어가는 시각', en: 'The moment in the backup file’s name' } }),
  keep: numberParam({
    identifying: false,
    integer: true,
    min: 1,
    max: 365,
    default: BACKUPS_KEPT,
    description: { ko: `남겨 둘 백업 수 (기본 ${BACKUPS_KEPT}개)`, en: `How many backups to keep (default ${BACKUPS_KEPT})` },
  }),
  backupDir: stringParam({
    default: '',
    identifying: false,
    description: { ko: '백업 폴더 (비워 두면 기본 백업 폴더)', en: 'Backup folder (blank: the usual backup folder)' },
  }),
};
type Params = ValuesOf<typeof params>;

/** backupDatabaseJob, copying on the worker thread `options.worker` names. */
export const defineBackupJob = (options: BackupJobOptions = {}) => defineJob({
  name: 'backupDatabaseJob',
  title: { ko: '데이터베이스 백업', en: 'Back up the database' },
  description: {
    ko: '내장 데이터베이스 파일을 작업을 멈추지 않고 복사해 백업 폴더에 두고, 최근 백업만 남깁니다. MySQL은 서버의 백업 도구를 쓰세요.',
    en: 'Copies the embedded database file, without pausing any work, into the backup folder and keeps only the newest copies. Back up MySQL with its server’s own tools.',
  },
  params,

  // A folder outside the data folder and the folders an admin allowed is refused before anything is written.
  validate: ({ backupDir }, db) => folderParameterProblem('backupDir', backupDir, db),
  steps: [
    resourcelessTaskletStep<Params>({
      name: 'copyDatabaseStep',
      title: { ko: '데이터베이스 파일 복사', en: 'Copy the database file' },
      // Named by `now`, so a restart writes the same file again rather than a second one.
      async tasklet({ db, params, contribution, executionContext }) {
        const source = databaseFileOf(db.url, db.dialect);
        const directory = backupDirectory(source, params.backupDir);
        const target = join(directory, backupFileName(source, params.now));
        await mkdir(directory, { recursive: true, mode: 0o700 });
        await (options.worker ? copyOnWorker(options.worker, { source, target }) : copyDatabaseFile({ source, target }));
        executionContext['backup.file'] = target;
        executionContext['backup.bytes'] = (await stat(target)).size;
        contribution.writeCount += 1;
      },
    }),
    resourcelessTaskletStep<Params>({
      name: 'deleteOldBackupsStep',
      title: { ko: '오래된 백업 지우기', en: 'Delete old backups' },
      // Only files named as this job names them are touched; a crashed run's temporary file goes
      // once it is clearly abandoned.
      async tasklet({ db, params, contribution }) {
        const source = databaseFileOf(db.url, db.dialect);
        const directory = backupDirectory(source, params.backupDir);
        const backups = await findBackups(source, directory);
        for (const old of backups.slice(0, Math.max(0, backups.length - params.keep))) {
          await rm(old.path, { force: true });
          contribution.writeCount += 1;
        }
        const { stem } = nameParts(source);
        for (const name of await readdir(directory).catch(() => [] as string[])) {
          if (!name.startsWith(`${stem}-`) || !name.includes('.partial-')) continue;
          const file = join(directory, name);
          const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: Date.now() }));
          if (Date.now() - mtimeMs > STALE_TEMP_MS) await rm(file, { force: true });
        }
      },
    }),
  ],
});

/** backupDatabaseJob copying on the calling thread (tests, benchmarks); the console's own copies on a worker (runtime.ts). */
export const backupDatabaseJob = defineBackupJob();

/** Daily at 03:45 on the gym's clock, after the history clean-up; installed only where the database is SQLite. */
export const backupDatabaseSchedule: ScheduleDefault = { jobName: 'backupDatabaseJob', cron: '45 3 * * *', misfirePolicy: 'RUN_ONCE' };
