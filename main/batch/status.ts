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

/**
 * The exit message staff read on the console: the error's own words first, then where it
 * happened in our code (a few frames; library and Node internals left out), as Spring Batch
 * keeps a trace but readable.
 */
export function exitMessageOf(error: unknown): string {
  const err = error as Error;
  const head = err instanceof Error ? (err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message) : String(error);
  const frames = (err?.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !/node_modules|node:internal|\(node:/.test(line))
    .slice(0, 5)
    .map((line) => line.trim());
  const text = [head, ...frames].join('\n');
  return text.length > EXIT_MESSAGE_MAX ? text.slice(0, EXIT_MESSAGE_MAX - 1) + '…' : text;
}
