// Sign-in that can't be out-guessed (issue 17). Usernames are one spelling only: NFC, trimmed,
// lower case, [a-z0-9._-]; another spelling of a name is no name. Failed sign-ins are counted in
// the database (login_throttle), so every desk on one MySQL shares them, per username and per
// address. A guess takes its slot before the password is hashed, by one atomic UPDATE that
// succeeds only below the limit: however many arrive at once, at most the limit are tested and
// the rest are refused (429). Reaching the limit locks the key for 1 minute, then 2, 4 … up to an
// hour; a sign-in that succeeds, or an admin's unlock, forgives the name.
import { sql } from 'kysely';
import { fromDbTime, insertIgnore, toDbTime, type Dialect } from '../batch/index.ts';
import { ServiceError } from './errors.ts';
import type { Executor } from './tables.ts';

/** Failed sign-ins of one username, and of one address, within the window before the key locks. */
export const USER_LIMIT = 10;
export const ADDRESS_LIMIT = 50;
/** A count of failures older than this starts again. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The first lock; each next one of the same key lasts twice as long, at most MAX_LOCK_MS. */
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 60 * 60_000;

const USERNAME = /^[a-z0-9._-]{1,50}$/;

/** The one spelling of a username, or null when `raw` can't be one (accents, spaces inside, symbols). */
export function normalizeUsername(raw: string): string | null {
  const name = raw.normalize('NFC').trim().toLowerCase();
  return USERNAME.test(name) ? name : null;
}

export const userKey = (username: string) => `user:${username}`;
export const addressKey = (address: string) => `addr:${address.slice(0, 100)}`;

/** How long the `lockouts`-th lock lasts (0 is the first). */
export const lockLength = (lockouts: number) => Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(lockouts, 20));

interface ThrottleTable {
  throttle_key: string;
  failures: number;
  lockouts: number;
  window_started_at: string;
  locked_until: string | null;
  updated_at: string;
}
type Db = Executor;
const table = (db: Executor) => db as unknown as import('kysely').Kysely<{ login_throttle: ThrottleTable }>;

/**
 * Takes one guess's slot for `key`, or refuses: answers null when taken, else the moment the
 * key may try again. A lock that has run out, or a window of failures that has, starts over.
 */
export async function takeAttempt(db: Db, dialect: Dialect, key: string, limit: number, now: Date): Promise<Date | null> {
  const t = table(db);
  const at = toDbTime(now);
  await insertIgnore(dialect, t as never, 'login_throttle')
    .values({ throttle_key: key, failures: 0, lockouts: 0, window_started_at: at, locked_until: null, updated_at: at })
    .execute();
  await t
    .updateTable('login_throttle')
    .set({ failures: 0, locked_until: null, window_started_at: at, updated_at: at })
    .where('throttle_key', '=', key)
    .where((eb) => eb.or([eb('locked_until', '<=', at), eb.and([eb('locked_until', 'is', null), eb('window_started_at', '<=', toDbTime(new Date(now.getTime() - FAILURE_WINDOW_MS)))])]))
    .execute();
  const taken = await t
    .updateTable('login_throttle')
    .set({ failures: sql`failures + 1`, updated_at: at })
    .where('throttle_key', '=', key)
    .where('locked_until', 'is', null)
    .where('failures', '<', limit)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return null;
  const row = await t.selectFrom('login_throttle').select(['locked_until', 'window_started_at']).where('throttle_key', '=', key).executeTakeFirst();
  // At the limit with the lock not written yet (the last guesses are still being tested): wait out the first lock.
  return row?.locked_until ? fromDbTime(row.locked_until) : new Date(now.getTime() + FIRST_LOCK_MS);
}

/** A guess failed: at the limit, the key locks for its next lock length (one UPDATE, however many fail at once). */
export async function recordFailure(db: Db, key: string, limit: number, now: Date): Promise<void> {
  const until = (n: number) => toDbTime(new Date(now.getTime() + lockLength(n)));
  // 1, 2, 4 … 32 minutes, then the hour: the length by the key's own count of locks, in one statement
  const lengths = sql.join(Array.from({ length: 6 }, (_, n) => sql`WHEN ${n} THEN ${until(n)}`), sql` `);
  await table(db)
    .updateTable('login_throttle')
    .set({
      locked_until: sql<string>`CASE lockouts ${lengths} ELSE ${until(6)} END`,
      lockouts: sql`lockouts + 1`,
      updated_at: toDbTime(now),
    })
    .where('throttle_key', '=', key)
    .where('failures', '>=', limit)
    .where('locked_until', 'is', null)
    .execute();
}

/** A name proved itself: its failures and locks are forgotten. An admin's unlock does the same. */
export async function forgive(db: Db, key: string): Promise<boolean> {
  const result = await table(db).deleteFrom('login_throttle').where('throttle_key', '=', key).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** When `key` may try again, when it is locked now. */
export async function lockedUntil(db: Db, key: string, now: Date): Promise<Date | null> {
  const row = await table(db).selectFrom('login_throttle').select('locked_until').where('throttle_key', '=', key).executeTakeFirst();
  const until = row?.locked_until ? fromDbTime(row.locked_until) : null;
  return until && until > now ? until : null;
}

/** The usernames whose sign-in is locked now, with until when. */
export async function lockedNames(db: Db, now: Date): Promise<Map<string, Date>> {
  const rows = await table(db).selectFrom('login_throttle').select(['throttle_key', 'locked_until']).where('throttle_key', 'like', 'user:%').where('locked_until', '>', toDbTime(now)).execute();
  return new Map(rows.map((row) => [row.throttle_key.slice('user:'.length), fromDbTime(row.locked_until!)]));
}

export function tooManyAttempts(until: Date, now: Date): ServiceError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new ServiceError('TOO_MANY_REQUESTS', {
    ko: `로그인 실패가 너무 많습니다. ${minutes}분 후에 다시 시도하거나 관리자에게 잠금 해제를 요청하세요.`,
    en: `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to unlock the account.`,
  });
}
