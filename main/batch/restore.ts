// Putting a backup (backup.ts) back in place of the embedded SQLite database, for
// `pass-batch restore`: only when no one has the database open, only from a sound copy of such a
// database, and never without keeping the database as it was as one more backup first.
import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { backupDatabaseJob, backupDirectory, backupFileName, copyDatabase, type Sqlite } from './backup.ts';
import { openSqliteFile } from './database/sqliteDriver.ts';

/**
 * The folder the nightly backup of `databaseFile` writes to: its schedule's `backupDir`, read from
 * the file (open or not, read-only), else the default. Where a restore looks and keeps the old copy.
 */
export async function backupFolderOf(databaseFile: string): Promise<string> {
  let backupDir: unknown;
  try {
    const db = await openSqliteFile(databaseFile, { readonly: true, fileMustExist: true, timeout: 5_000 });
    try {
      const row = db.prepare('SELECT PARAMS FROM BATCH_SCHEDULE WHERE JOB_NAME = ?').get(backupDatabaseJob.name) as { PARAMS: string | null } | undefined;
      backupDir = row?.PARAMS ? (JSON.parse(row.PARAMS) as Record<string, unknown>).backupDir : undefined;
    } finally {
      db.close();
    }
  } catch {
    // no file, no schedule table, unreadable parameters: the default folder
  }
  return backupDirectory(databaseFile, typeof backupDir === 'string' ? backupDir : undefined);
}

/** A restore refused before anything changed, in plain words. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** Why `file` can't be restored (not there, not SQLite, damaged, not this engine's), or null. */
async function backupProblem(file: string): Promise<string | null> {
  let db: Sqlite;
  try {
    db = await openSqliteFile(file, { readonly: true, fileMustExist: true });
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
  const db = await openSqliteFile(databaseFile, { fileMustExist: true, timeout: 0 });
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
    // Only its owner reads the database, as when it was first made (connection.ts).
    await chmod(incoming, 0o600).catch(() => undefined);
    await mkdir(directory, { recursive: true, mode: 0o700 });
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

