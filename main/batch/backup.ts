// 데이터베이스 백업: on a desk with the embedded database, its SQLite file is the gym's only copy of
// every pass and of the engine's history. This job copies it, whole and consistent, while the
// console goes on working: SQLite's online backup API on a connection of its own, outside any
// transaction (a resourceless tasklet), so no one waits for it. The copy is written under a
// temporary name, checked (PRAGMA quick_check) and only then renamed: a backup under its real name
// always opens. The newest `keep` copies stay. A MySQL/MariaDB database is backed up by its
// server's own tools (mysqldump), which this job says in so many words.
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { sqlitePath } from './database/connection.ts';
import { piscinaEntry } from './partition.ts';
import { defineJob, resourcelessTaskletStep } from './job.ts';
import { dateTimeParam, numberParam, stringParam } from './parameters.ts';
import type { ScheduleDefault } from './scheduler/model.ts';

type Params = { now: Date; keep: number; backupDir: string };

/** How many copies a run keeps unless told otherwise: two weeks of nightly copies. */
export const BACKUPS_KEPT = 14;

/** A temporary file older than this is a crashed run's leftover, not a copy still being made. */
const STALE_TEMP_MS = 6 * 3_600_000;

/** Where copies of the SQLite file `databaseFile` go: `param`, else PASS_BACKUP_DIR, else `backups` beside it. */
export function backupDirectory(databaseFile: string, param?: string): string {
  return param?.trim() || process.env.PASS_BACKUP_DIR?.trim() || join(dirname(databaseFile), 'backups');
}

/** pass-console.sqlite at 2026-12-05T03:45:00Z → pass-console-20261205T034500Z.sqlite */
export function backupFileName(databaseFile: string, at: Date): string {
  const ext = extname(databaseFile) || '.sqlite';
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `${basename(databaseFile, extname(databaseFile))}-${stamp}${ext}`;
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
  const ext = extname(databaseFile) || '.sqlite';
  const stem = basename(databaseFile, extname(databaseFile));
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

type Sqlite = import('better-sqlite3').Database;
const sqlite = async () => (await import('better-sqlite3')).default;
const removeWithSidecars = (file: string) => Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(file + suffix, { force: true })));

/**
 * Copies the database `from` is open on to `target` through a temporary file, checked before it
 * takes its name. The check is that the copy opens, reads its schema and has every page: a full
 * quick_check would hold this thread about 2 ms per MB (the restore makes it, in the command line).
 */
async function copyDatabase(from: Sqlite, target: string): Promise<void> {
  const SQLite = await sqlite();
  const temp = `${target}.partial-${process.pid}`;
  try {
    const { totalPages } = await from.backup(temp);
    // One self-contained file (the copy took the source's WAL mode), then checked.
    const copy = new SQLite(temp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      copy.prepare('SELECT count(*) FROM sqlite_master').get();
      const pages = copy.pragma('page_count', { simple: true });
      if (pages !== totalPages) throw new Error(`the copy has ${String(pages)} pages of ${totalPages}`);
    } finally {
      copy.close();
    }
    await rename(temp, target);
  } catch (error) {
    await removeWithSidecars(temp);
    throw new Error(`Could not write the backup ${target}: ${(error as Error).message}`, { cause: error });
  }
}

/** A restore refused before anything changed, in plain words. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** Why `file` can't be restored (not there, not SQLite, damaged, not this engine's), or null. */
async function backupProblem(file: string): Promise<string | null> {
  const SQLite = await sqlite();
  let db: Sqlite;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return `it cannot be opened (${(error as Error).message})`;
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return `it is damaged (${String(check)})`;
    const engine = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'BATCH_JOB_INSTANCE'`).get();
    return engine ? null : 'it holds no job history: it is not a backup of this database';
  } catch (error) {
    return `it is not an SQLite database (${(error as Error).message})`;
  } finally {
    db.close();
  }
}

/**
 * A connection holding the database file for itself, or null when another connection (this
 * process's or another's: a console, `pass-batch serve`) has it open: in WAL mode each one keeps
 * a shared lock on the file, so an exclusive lock is only had when no one else is there.
 */
async function holdAlone(databaseFile: string): Promise<Sqlite | null> {
  const SQLite = await sqlite();
  const db = new SQLite(databaseFile, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; ROLLBACK');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
}

export interface Restored {
  /** where the database as it was before the restore was kept */
  keptAs: string;
}

/**
 * Puts the backup `file` in place of the SQLite database `databaseFile`. Refused with nothing
 * changed when the file is not a sound backup of such a database or anyone has the database open.
 * The database as it is now is first copied into `directory` like any backup (named by `now`), so
 * a restore can be undone by restoring that copy; then the backup is copied beside the database
 * and renamed over it. Migrations and the recovery of executions that were running when the
 * backup was taken happen at the next start, as after any crash.
 */
export async function restoreDatabase(databaseFile: string, file: string, directory: string, now: Date): Promise<Restored> {
  if (resolve(file) === resolve(databaseFile)) throw new RestoreError(`${file} is the database itself, not a backup of it.`);
  const problem = await backupProblem(file);
  if (problem) throw new RestoreError(`${file} cannot be restored: ${problem}.`);
  const inUse = () => new RestoreError(`${databaseFile} is in use: close every Pass Console and \`pass-batch serve\` using it, then try again.`);
  const held = await holdAlone(databaseFile);
  if (!held) throw inUse();
  const incoming = `${databaseFile}.restoring-${process.pid}`;
  const keptAt = (at: number) => join(directory, backupFileName(databaseFile, new Date(at)));
  const taken = (path: string) => stat(path).then(() => true, () => false);
  let keptAs = keptAt(now.getTime());
  try {
    await copyFile(file, incoming);
    await mkdir(directory, { recursive: true });
    // Named by the moment, a second later while that name is taken (by the very file being restored, say).
    for (let at = now.getTime(); await taken(keptAs); at += 1000) keptAs = keptAt(at + 1000);
    await copyDatabase(held, keptAs);
  } catch (error) {
    held.close();
    await rm(incoming, { force: true });
    throw error;
  }
  // Closing the last connection folds its WAL into the old file (kept above) and removes it.
  held.close();
  const again = await holdAlone(databaseFile);
  if (!again) {
    await rm(incoming, { force: true });
    throw inUse();
  }
  again.close();
  // A clean close leaves none of these; a crash's would belong to the old file, which is kept.
  await Promise.all(['-wal', '-shm', '-journal'].map((suffix) => rm(databaseFile + suffix, { force: true })));
  await rename(incoming, databaseFile);
  return { keptAs };
}

/** Copies the SQLite file `source` to `target` (see copyDatabase): what a backup worker thread runs. */
export async function copyDatabaseFile({ source, target }: { source: string; target: string }): Promise<void> {
  const from = new (await sqlite())(source, { readonly: true, fileMustExist: true, timeout: 15_000 });
  try {
    await copyDatabase(from, target);
  } finally {
    from.close();
  }
}

/** copyDatabaseFile on a thread of its own (the module at `worker`), so this one never waits on the disk. */
async function copyOnWorker(worker: string, task: { source: string; target: string }): Promise<void> {
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
   * at its end (720 ms for a 239 MB file, bench/backup.ts).
   */
  worker?: string;
}

/** backupDatabaseJob, copying on the worker thread `options.worker` names. */
export const defineBackupJob = (options: BackupJobOptions = {}) => defineJob({
  name: 'backupDatabaseJob',
  title: { ko: '데이터베이스 백업', en: 'Back up the database' },
  description: {
    ko: '내장 데이터베이스 파일을 작업을 멈추지 않고 복사해 백업 폴더에 두고, 최근 백업만 남깁니다. MySQL은 서버의 백업 도구를 쓰세요.',
    en: 'Copies the embedded database file, without pausing any work, into the backup folder and keeps only the newest copies. Back up MySQL with its server’s own tools.',
  },
  params: {
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
      description: { ko: '백업 폴더 (기본: PASS_BACKUP_DIR 또는 데이터베이스 옆 backups)', en: 'Backup folder (default: PASS_BACKUP_DIR or backups beside the database)' },
    }),
  },
  steps: [
    resourcelessTaskletStep<Params>({
      name: 'copyDatabaseStep',
      // Named by `now`, so a restart writes the same file again rather than a second one.
      async tasklet({ db, params, contribution, executionContext }) {
        const source = databaseFileOf(db.url, db.dialect);
        const directory = backupDirectory(source, params.backupDir);
        const target = join(directory, backupFileName(source, params.now));
        await mkdir(directory, { recursive: true });
        await (options.worker ? copyOnWorker(options.worker, { source, target }) : copyDatabaseFile({ source, target }));
        executionContext['backup.file'] = target;
        executionContext['backup.bytes'] = (await stat(target)).size;
        contribution.writeCount += 1;
      },
    }),
    resourcelessTaskletStep<Params>({
      name: 'deleteOldBackupsStep',
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
        const stem = basename(source, extname(source));
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

/** backupDatabaseJob copying on the calling thread: for tests and the command line. */
export const backupDatabaseJob = defineBackupJob();

/** Daily at 03:45 on the gym's clock, after the history clean-up; installed only where the database is SQLite. */
export const backupDatabaseSchedule: ScheduleDefault = { jobName: 'backupDatabaseJob', cron: '45 3 * * *', misfirePolicy: 'RUN_ONCE' };
