// Tests write reports and backups in temporary folders, outside the data folder: an admin adds
// such a folder on the Settings screen (main/batch/folders.ts), which this does directly.
import { realpathSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { ALLOWED_FOLDERS_KEY, savedFolders, toDbTime } from '../../main/batch/index.ts';

/** Adds `folder` (an existing folder) to the folders an admin allowed, in the database `db`. */
export async function allowFolder(db: Kysely<any>, folder: string): Promise<void> {
  const folders = [...new Set([...(await savedFolders(db)), realpathSync(folder)])];
  const row = { value: JSON.stringify(folders), modified_at: toDbTime(new Date()), modified_by: 'test' };
  const exists = await db.selectFrom('settings').select('setting_key').where('setting_key', '=', ALLOWED_FOLDERS_KEY).executeTakeFirst();
  if (exists) await db.updateTable('settings').set(row).where('setting_key', '=', ALLOWED_FOLDERS_KEY).execute();
  else await db.insertInto('settings').values({ setting_key: ALLOWED_FOLDERS_KEY, ...row }).execute();
}
