// 백업 on the Settings screen (admin): the copies of the embedded database, and "back up now",
// followed until its execution ends so the list shows the new copy and a failure says why.
import { create } from 'zustand';
import type { BackupsView, BatchStatus } from '../../../main/service/contract.ts';
import { both } from '../i18n/i18n.ts';
import type { Words } from '../i18n/words.ts';
import { bridge } from '../bridge/index.ts';
import { isRunning } from '../lib/status.ts';
import { idle, load, messageOf, type Load } from './errors.ts';

export type BackupOutcome = { ok: true } | { ok: false; error: Words };

/** how long "back up now" is followed: a large file on a slow disk takes minutes, not hours */
const FOLLOW_MS = 30 * 60_000;

interface BackupsState {
  backups: Load<BackupsView>;
  /** the execution "back up now" started, while it runs */
  runningId: number | null;
  reload(): Promise<void>;
  backUpNow(): Promise<BackupOutcome>;
}

async function endOf(id: number): Promise<{ status: BatchStatus; exitMessage: string }> {
  const deadline = Date.now() + FOLLOW_MS;
  for (let wait = 200; ; wait = Math.min(wait * 2, 2000)) {
    const execution = await bridge().call('executions.get', { id });
    if (!isRunning(execution.status) || Date.now() > deadline) return execution;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export const useBackups = create<BackupsState>((set, get) => ({
  backups: idle,
  runningId: null,

  async reload() {
    await load((backups) => set({ backups }), get().backups, () => bridge().call('backups.list', {}));
  },

  async backUpNow() {
    try {
      const started = await bridge().call('backups.run', {});
      set({ runningId: started.id });
      const ended = await endOf(started.id);
      await get().reload();
      if (ended.status === 'COMPLETED') return { ok: true };
      return { ok: false, error: both('backupFailed', { why: ended.exitMessage.split('\n')[0] || ended.status }) };
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    } finally {
      set({ runningId: null });
    }
  },
}));
