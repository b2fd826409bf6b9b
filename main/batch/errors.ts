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

export class BatchError extends Error {
  override name = 'BatchError';
  constructor(
    readonly code: BatchErrorCode,
    message: string,
  ) {
    super(message);
  }
}
