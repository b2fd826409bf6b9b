// Before an upgrade changes the embedded database: a copy of it as the version before left it.
// Migrations run at every start (main/app/runtime.ts migrate), so a new version of the app changes
// the gym's only copy of its passes the first time it opens it. SQLite applies them in one
// transaction, so a failed one changes nothing; what this keeps is the way back from a new version
// that turns out wrong: the database as it was, named and placed as the nightly backups are, so the
// Settings screen lists it and a restore (File → Restore a backup…, `pass-batch restore`) puts it
// back. The nightly job's `keep` rotates it out like any other copy. MySQL is backed up by its
// server's own tools; an in-memory database or a new file with no tables has nothing to keep.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { backupDirectory, backupFileName, copyDatabaseFile, copyOnWorker } from './backup.ts';
import { sqlitePath, type Database } from './database/connection.ts';
import { backupFolderOf } from './restore.ts';

/** The upgrade refused, nothing changed: in English (`message`, the command line's) and Korean (`ko`, the desktop's in Korean). */
export class UpgradeBackupError extends Error {
  override name = 'UpgradeBackupError';
  constructor(
    problems: string,
    readonly ko = `데이터베이스를 업그레이드하지 않았습니다. 업그레이드 전에 지금 상태의 사본을 남길 수 없었습니다 (${problems}). 바뀐 것은 없습니다. 디스크 공간을 확보하거나 백업 폴더를 고친 뒤 다시 시작하세요.`,
  ) {
    super(`The database was not upgraded: a copy of it as it is could not be kept first (${problems}). Nothing was changed. Make room on the disk or fix the backup folder, then start again.`);
  }
}

/**
 * Copies the SQLite database `db` is open on into its backup folder (its schedule's, else the
 * default beside it when that one can't be written), on the thread `worker` names (else this one).
 * Answers the copy's path, or undefined when there is nothing to keep. Throws UpgradeBackupError,
 * having changed nothing, when no copy could be written: the upgrade must not go on without one.
 */
export async function backUpBeforeMigrating(db: Database, options: { worker?: string; now?: Date } = {}): Promise<string | undefined> {
  if (db.dialect !== 'sqlite') return undefined;
  const source = sqlitePath(db.url);
  if (source === ':memory:' || source === '') return undefined;
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'`.execute(db.kysely);
  if (!Number(rows[0]?.n)) return undefined;
  const fileName = backupFileName(source, options.now ?? new Date());
  const folders = [...new Set([await backupFolderOf(source), backupDirectory(source)])];
  const problems: string[] = [];
  for (const folder of folders) {
    const target = join(folder, fileName);
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await (options.worker ? copyOnWorker(options.worker, { source, target }) : copyDatabaseFile({ source, target }));
      return target;
    } catch (error) {
      problems.push(`${folder}: ${(error as Error).message}`);
    }
  }
  throw new UpgradeBackupError(problems.join('; '));
}
