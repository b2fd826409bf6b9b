// Spring Batch's status vocabulary: BatchStatus says where an execution is in its life,
// ExitStatus says how it ended (with a message a person can read).

export const BATCH_STATUSES = [
  'COMPLETED',
  'STARTING',
  'STARTED',
  'STOPPING',
  'STOPPED',
  'FAILED',
  'ABANDONED',
  'UNKNOWN',
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Still has a process working on it (or had, until recovery says otherwise). */
export const RUNNING_STATUSES: readonly BatchStatus[] = ['STARTING', 'STARTED', 'STOPPING'];

export function isRunning(status: BatchStatus): boolean {
  return RUNNING_STATUSES.includes(status);
}

/** May be resumed by a new execution of the same instance. */
export function isRestartable(status: BatchStatus): boolean {
  return status === 'FAILED' || status === 'STOPPED' || status === 'UNKNOWN';
}

export type ExitCode = 'COMPLETED' | 'FAILED' | 'STOPPED' | 'NOOP' | 'UNKNOWN' | 'EXECUTING';

/** Exit messages are capped to the metadata column's width; the start is what people read. */
export const EXIT_MESSAGE_MAX = 2500;

export function exitMessageOf(error: unknown): string {
  const err = error as Error;
  const text = err?.stack ?? err?.message ?? String(error);
  return text.length > EXIT_MESSAGE_MAX ? text.slice(0, EXIT_MESSAGE_MAX - 1) + '…' : text;
}
