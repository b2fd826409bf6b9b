// A person's change is one transaction. When the database refuses it at once only because of
// another desk's locks (MariaDB chose it as a deadlock's victim; SQLite's snapshot went stale or
// its table was locked), nothing of it was committed, and the same change done again will most
// likely go through: so the service's transactions are tried up to three times, a few tens of
// milliseconds apart at random (two desks that deadlocked do not meet again in step). A lock wait
// that timed out (MariaDB's innodb_lock_wait_timeout, 50 s by default; SQLite busy past its 15 s)
// is not tried again: the person has waited long already, and whatever held the lock that long is
// likely holding it still. Either one that remains is answered in plain words (toServiceError:
// UNAVAILABLE, nothing changed, try again), not as "something went wrong".
//
// Safe because a service transaction only reads and writes the database: its activity-log row and
// its members' messages (outbox rows) are written in it and rolled back with it, and whatever
// reaches outside (a launch, a notifier's send, live streams ended, the time zone set) happens
// before the transaction or after it commits. A transaction body must keep it so.
import type { Kysely, Transaction, TransactionBuilder } from 'kysely';
import { exponentialBackoff, retry, type RetryPolicy } from '../batch/index.ts';

/**
 * The errors that come at once, after which the transaction surely did not commit and another try
 * may succeed. Not a lost connection (isTransientDatabaseError's other codes, which the engine
 * retries around its own idempotent writes): one lost during COMMIT may have committed, and a
 * change done twice is worse than a desk told to try again.
 */
const RETRIED = new Set(['ER_LOCK_DEADLOCK', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
/** A lock waited for until the database gave up: not committed either, but not tried again (see the top). */
const WAITED_OUT = new Set(['ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** A lock conflict the service's transaction is run again after. */
export function isLockConflict(error: unknown): boolean {
  const code = codeOf(error);
  return typeof code === 'string' && RETRIED.has(code);
}

/** Any refusal for another's locks (run again or waited out): the change was not made. */
export function isRefusedForLocks(error: unknown): boolean {
  const code = codeOf(error);
  return typeof code === 'string' && (RETRIED.has(code) || WAITED_OUT.has(code));
}

/** Three tries in all: 10–50 ms before the second, 20–60 ms before the third. */
export const TRANSACTION_RETRY: RetryPolicy = { retries: 2, retryOn: isLockConflict, backoff: exponentialBackoff(10, { jitterMs: 40 }) };

/**
 * `kysely` (the same connections) whose `transaction().execute(body)` runs `body` again in a new
 * transaction after a lock conflict (isLockConflict), as `policy` says; everything else is `kysely`'s own. Given to
 * every handler as `ctx.db`, so every operation's transaction is retried without each saying so.
 */
export function retryingTransactions<DB>(kysely: Kysely<DB>, policy: RetryPolicy = TRANSACTION_RETRY): Kysely<DB> {
  const transaction = (): TransactionBuilder<DB> => {
    const builder = kysely.transaction();
    const once = builder.execute.bind(builder);
    return Object.assign(builder, { execute: <T>(body: (tx: Transaction<DB>) => Promise<T>) => retry(() => once(body), policy) });
  };
  // Kysely keeps its state in private fields: its methods are called on it, not on the proxy,
  // each bound once (every query of every operation reads one through here).
  const bound = new Map<PropertyKey, unknown>([['transaction', transaction]]);
  return new Proxy(kysely, {
    get(target, key) {
      if (bound.has(key)) return bound.get(key);
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = value.bind(target);
      bound.set(key, method);
      return method;
    },
  });
}
