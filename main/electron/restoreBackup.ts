// File → Restore a backup… on the desktop, where staff have no command line: pick a copy in the
// backup folder, confirm, and the app closes its engine (so nothing has the database open),
// puts the copy back as `pass-batch restore` does (main/app/restore.ts: the database as it was
// kept as one more backup, and a row in the restored database's activity log, as
// desktop:<OS user>) and starts again. Written against small deps so it is tested without Electron.
import { osActor, restoreBackup, restoreTarget } from '../app/restore.ts';
import type { Texts } from './menus.ts';

export interface RestoreDeps {
  texts: Texts;
  /** the database the engine has open (null while it is not open) */
  database(): { url: string; dialect: string } | null;
  /** a file dialog opened in `folder`; null when cancelled */
  chooseFile(folder: string): Promise<string | null>;
  /** true when the person confirms replacing the database with `file` */
  confirm(file: string, keptIn: string): Promise<boolean>;
  /** closes the IPC handlers and the engine: running executions end, the database closes */
  shutDown(): Promise<void>;
  showMessage(title: string, message: string): Promise<void>;
  /** starts the app again (the engine opens the restored file) */
  relaunch(): void;
}

export type RestoreOutcome = 'unsupported' | 'cancelled' | 'restored' | 'failed';

export async function restoreFromBackup(deps: RestoreDeps): Promise<RestoreOutcome> {
  const { texts } = deps;
  const database = deps.database();
  if (!database || database.dialect !== 'sqlite') {
    await deps.showMessage(texts.restoreTitle, texts.restoreMysql);
    return 'unsupported';
  }
  const { folder } = await restoreTarget(database.url);
  const file = await deps.chooseFile(folder);
  if (!file || !(await deps.confirm(file, folder))) return 'cancelled';
  await deps.shutDown();
  let outcome: RestoreOutcome = 'restored';
  try {
    const { keptAs } = await restoreBackup({ url: database.url, file, actor: osActor('desktop') });
    await deps.showMessage(texts.restoreTitle, texts.restoreDone(keptAs));
  } catch (error) {
    outcome = 'failed';
    await deps.showMessage(texts.restoreTitle, texts.restoreFailed(error instanceof Error ? error.message : String(error)));
  }
  // Restored or not, the engine was closed: the app starts again on whatever file is in place.
  deps.relaunch();
  return outcome;
}
