// Putting a backup back, as the two places that do it (`pass-batch restore` and the desktop's
// File → Restore a backup…) both do it: on the files alone, with no engine open (it would itself
// hold the database it replaces), then one row in the restored database's activity log saying
// who put which copy back and where the database as it was is kept. The file is not migrated
// here (the next start does that, as for any database); a copy older than the activity log
// itself (migration 004) has nowhere to hold the row, and the restore says so.
import { userInfo } from 'node:os';
import { backupFolderOf, openDatabase, restoreDatabase, sqlitePath } from '../batch/index.ts';
import { writeAudit } from '../service/audit.ts';

/**
 * Who made a change outside the service, for the activity log: `cli:<OS user>` for the command
 * line, `desktop:<OS user>` for the desktop's File menu, `app:<OS user>` for the console's own
 * start (an upgrade of its database) (`…:unknown` where the OS can't say).
 */
export function osActor(via: 'cli' | 'desktop' | 'app'): string {
  try {
    return `${via}:${userInfo().username || 'unknown'}`;
  } catch {
    return `${via}:unknown`;
  }
}

export interface Restore {
  /** the database's URL: only an SQLite one can be restored this way */
  url: string;
  /** the backup to put back */
  file: string;
  /** who asks: `cli:<OS user>` or `desktop:<OS user>` */
  actor: string;
  now?: Date;
}

/** The file a restore of `url` replaces and the folder it looks in and keeps the old copy in. */
export async function restoreTarget(url: string): Promise<{ databaseFile: string; folder: string }> {
  const databaseFile = sqlitePath(url);
  return { databaseFile, folder: await backupFolderOf(databaseFile) };
}

/** Restores `file` over the database (see main/batch/restore.ts for what is refused), then audits it there. */
export async function restoreBackup({ url, file, actor, now = new Date() }: Restore): Promise<{ databaseFile: string; keptAs: string; audited: boolean }> {
  const { databaseFile, folder } = await restoreTarget(url);
  const { keptAs } = await restoreDatabase(databaseFile, file, folder, now);
  const db = await openDatabase(url, { synchronous: 'FULL' });
  try {
    const hasLog = await db.kysely.introspection.getTables().then((tables) => tables.some((t) => t.name === 'audit_log'));
    if (hasLog) await writeAudit(db.kysely, { actor, action: 'backups.restore', target: `file:${file}`, detail: { file, keptAs } }, now);
    return { databaseFile, keptAs, audited: hasLog };
  } finally {
    await db.close();
  }
}
