// Errors the operator gives back to people, each with a stable code the service and the
// screens translate, and a plain-words message.

export type BatchErrorCode =
  | 'NO_SUCH_JOB'
  | 'INVALID_PARAMETER'
  | 'ALREADY_RUNNING'
  | 'ALREADY_COMPLETE'
  | 'NOT_RESTARTABLE'
  | 'NO_SUCH_EXECUTION'
  | 'NOT_RUNNING'
  | 'CANNOT_ABANDON'
  | 'CANNOT_MARK_FAILED';

/**
 * The execution that refused a launch as ALREADY_RUNNING, as people may be told of it: which one,
 * since when and who started it. The message keeps the process (pid and host) for logs and the
 * command line; this holds none of it.
 */
export interface RunningExecution {
  id: number;
  /** the job's title, when it has one */
  jobTitle?: { ko: string; en: string };
  /** when it started (when it was made, if it has not started yet) */
  since: Date;
  /** who launched it: a staff member, the command line's name for itself, `scheduler@<desk>`, or null (not known) */
  launchedBy: string | null;
}

export class BatchError extends Error {
  override name = 'BatchError';
  constructor(
    readonly code: BatchErrorCode,
    message: string,
    /** ALREADY_RUNNING: the execution running */
    readonly running?: RunningExecution,
  ) {
    super(message);
  }
}
