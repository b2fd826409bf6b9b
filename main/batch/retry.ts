// One way to try something again (Spring's RetryTemplate): a policy says which errors are worth
// another try and how many tries there are; a backoff says how long to wait before each one.
// The engine retries transient database errors (a deadlock, a lock wait, a dropped connection)
// around its small writes and chunk commits, optimistic-locking conflicts around an execution's
// status, and a step's processor calls as its fault tolerance says.
import { isTransientDatabaseError } from './database/dialect.ts';

export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** how many times `work` is tried again after its first try fails (so `retries + 1` tries in all) */
  retries: number;
  /** whether this error is worth another try; otherwise it is thrown at once */
  retryOn: (error: unknown) => boolean;
  /** how long to wait before retry number `attempt` (0 for the first retry); none: at once */
  backoff?: (attempt: number) => number;
  /** called with each error that will be retried, before the wait (e.g. reload what changed, count a rollback) */
  onRetry?: (error: unknown, attempt: number) => void | Promise<void>;
}

/** Waits `initialMs`, doubling each time, at most `maxMs`, plus up to `jitterMs` at random. */
export function exponentialBackoff(initialMs: number, options: { maxMs?: number; jitterMs?: number } = {}): (attempt: number) => number {
  const { maxMs = Infinity, jitterMs = 0 } = options;
  return (attempt) => Math.min(initialMs * 2 ** attempt, maxMs) + (jitterMs ? Math.random() * jitterMs : 0);
}

/** Runs `work` (given the number of its try, from 0), trying it again as `policy` says; throws the last error. */
export async function retry<T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= policy.retries || !policy.retryOn(error)) throw error;
      await policy.onRetry?.(error, attempt);
      const wait = policy.backoff?.(attempt) ?? 0;
      if (wait > 0) await sleep(wait);
    }
  }
}

/** A small write's retry: five more tries through a transient database error, 20, 40, 80 … ms apart (with jitter). */
export const TRANSIENT_WRITE: RetryPolicy = { retries: 5, retryOn: isTransientDatabaseError, backoff: exponentialBackoff(20, { jitterMs: 20 }) };
