// Which executions are still running, for every screen that follows one: the engine's
// RUNNING_STATUSES (main/batch/status.ts), listed once here because the screens may import only
// types from main/ (test/unit/renderer/status.test.ts keeps the two lists the same).
import type { BatchStatus } from '../../../main/service/contract.ts';

/** Statuses of an execution that has not ended: a process is (or was, until recovery says otherwise) working on it. */
export const RUNNING_STATUSES: readonly BatchStatus[] = ['STARTING', 'STARTED', 'STOPPING'];

export function isRunning(status: BatchStatus): boolean {
  return RUNNING_STATUSES.includes(status);
}
