// Where a folder named by a person (a report folder, a backup folder, the notification log's
// folder) may be: inside the data folder (PASS_DATA_DIR, else the OS's app-data folder), the
// embedded database's own folder, a folder the operator who started the process set
// (PASS_REPORT_DIR, PASS_BACKUP_DIR, PASS_NOTIFIER_LOG's folder), or a folder an admin added on
// the Settings screen (kept resolved and absolute in the `settings` table, key
// `allowedFolders`). A relative path is read against the data folder, never the working
// directory, and symbolic links are resolved (the nearest folder that exists, through
// fs.realpath) before the check, so `../../tmp` and a link out of the data folder are refused
// alike. The one check (`allowedFolder`) serves the jobs' launch checks (validate, before
// anything is written), the schedules' saved parameters and the notifier's saved path.
//
// The engine reads the one settings row itself, and only it: the backup job is the engine's
// own, and the pass layer's savedSettings.ts may not be imported here.
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Kysely } from 'kysely';
import { defaultDatabaseUrl, sqlitePath, type Database } from './database/connection.ts';

/** The `settings` row (db/migrations/005_settings.ts) that holds the folders an admin added. */
export const ALLOWED_FOLDERS_KEY = 'allowedFolders';

/** The folder a desktop install keeps its data in (PASS_DATA_DIR, else the OS's app-data folder). */
export function dataFolder(): string {
  return dirname(sqlitePath(defaultDatabaseUrl()));
}

/** A folder as typed, absolute: a relative one is read against the data folder. */
export function resolveFolder(path: string): string {
  const trimmed = path.trim();
  return isAbsolute(trimmed) ? resolve(trimmed) : resolve(dataFolder(), trimmed);
}

/** `path` with symbolic links resolved as far as it exists: realpath of the nearest existing ancestor, the rest appended. */
export async function realFolder(path: string): Promise<string> {
  let existing = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      rest.push(existing.slice(parent.length).replace(/^[\\/]+/, ''));
      existing = parent;
    }
  }
}

/** Inside `root` or `root` itself. */
function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The folders an admin added (Settings), as saved; none when the table or the row is missing or unreadable. */
export async function savedFolders(db: Kysely<any>): Promise<string[]> {
  try {
    const row = await db.selectFrom('settings').select('value').where('setting_key', '=', ALLOWED_FOLDERS_KEY).executeTakeFirst();
    const value: unknown = row ? JSON.parse(String(row.value)) : [];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && isAbsolute(v)) : [];
  } catch {
    return [];
  }
}

/** Every folder a path may lie in, for the database `db` (its own folder when it is an SQLite file). */
export async function trustedFolders(db: Pick<Database, 'kysely' | 'url' | 'dialect'>, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const roots = [dataFolder()];
  if (db.dialect === 'sqlite') {
    const file = sqlitePath(db.url);
    if (file && file !== ':memory:') roots.push(dirname(resolve(file)));
  }
  for (const name of ['PASS_REPORT_DIR', 'PASS_BACKUP_DIR'] as const) if (env[name]?.trim()) roots.push(resolve(env[name]!.trim()));
  if (env.PASS_NOTIFIER_LOG?.trim()) roots.push(dirname(resolve(env.PASS_NOTIFIER_LOG.trim())));
  roots.push(...(await savedFolders(db.kysely)));
  return Promise.all(roots.map(realFolder));
}

export type FolderCheck = { ok: true; folder: string } | { ok: false; folder: string; reason: { ko: string; en: string } };

/**
 * Whether `path` (a folder; relative: in the data folder) may be written: resolved, links
 * followed, it must lie in one of trustedFolders. Answers the resolved folder either way.
 */
export async function allowedFolder(path: string, db: Pick<Database, 'kysely' | 'url' | 'dialect'>, env: NodeJS.ProcessEnv = process.env): Promise<FolderCheck> {
  if (path.includes('\0')) {
    return { ok: false, folder: path, reason: { ko: '경로에 NUL 문자가 있습니다', en: 'the path holds a NUL character' } };
  }
  const folder = await realFolder(resolveFolder(path));
  const roots = await trustedFolders(db, env);
  if (roots.some((root) => within(folder, root))) return { ok: true, folder };
  return {
    ok: false,
    folder,
    reason: {
      ko: `${folder}에는 쓸 수 없습니다. 데이터 폴더(${dataFolder()}) 안이나 관리자가 설정 화면에서 추가한 폴더만 쓸 수 있습니다`,
      en: `${folder} is outside the folders the console may write: the data folder (${dataFolder()}) and the folders an admin added on the Settings screen`,
    },
  };
}

/** For a job's launch check (JobDefinition.validate): the refusal naming `parameter`, or undefined. */
export async function folderParameterProblem(parameter: string, value: string | undefined, db: Database): Promise<string | undefined> {
  if (!value?.trim()) return undefined;
  const check = await allowedFolder(value, db);
  return check.ok ? undefined : `Parameter "${parameter}": ${check.reason.en}`;
}
