// How a failure becomes an exit code and one line on stderr. Scripts and cron read the code:
// 0 done, 1 the work failed or was refused because of its state, 2 the command itself was wrong.
import { BatchError, DatabaseUrlError, type BatchErrorCode } from '../batch/index.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The command line was wrong: fix the command, not the data. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The database named by PASS_DB_URL could not be reached or opened. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

/** Operator refusals that mean "you named something that is not there": usage, not state. */
const USAGE_CODES: ReadonlySet<BatchErrorCode> = new Set(['NO_SUCH_JOB', 'INVALID_PARAMETER', 'NO_SUCH_EXECUTION']);

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof DatabaseUrlError) return EXIT_USAGE;
  if (error instanceof BatchError && USAGE_CODES.has(error.code)) return EXIT_USAGE;
  return EXIT_FAILED;
}

/** One line, whatever the error carried (stack traces and SQL stay out of a usage message). */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((part) => part.trim()).filter(Boolean).join(' ') || 'unknown error';
}
