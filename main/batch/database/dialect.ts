// Every difference between MySQL/MariaDB and SQLite that code above the database layer
// needs lives here: time format, row locks, upserts, and which errors are worth a retry.
import { sql, type Kysely, type RawBuilder } from 'kysely';

export type Dialect = 'mysql' | 'sqlite';

/** UTC time as both databases store it: 'YYYY-MM-DD HH:MM:SS.mmm'. Sorts like the time it names. */
export function toDbTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function fromDbTime(value: string | Date): Date;
export function fromDbTime(value: string | Date | null | undefined): Date | null;
export function fromDbTime(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(value.replace(' ', 'T') + (value.length > 10 ? 'Z' : 'T00:00:00Z'));
}

/** `SELECT ... FOR UPDATE` on MySQL; SQLite's write transaction already holds the whole file. */
export function forUpdate<Q extends { forUpdate(): Q }>(dialect: Dialect, query: Q): Q {
  return dialect === 'mysql' ? query.forUpdate() : query;
}

/** `INSERT IGNORE` (MySQL) / `INSERT OR IGNORE` (SQLite) for a row that may already exist. */
export function insertIgnore(dialect: Dialect, db: Kysely<any>, table: string) {
  const insert = db.insertInto(table);
  return dialect === 'mysql' ? insert.ignore() : insert.orIgnore();
}

/** The larger of two expressions: GREATEST on MySQL, two-argument MAX on SQLite. */
export function greatest(dialect: Dialect, a: RawBuilder<unknown> | string, b: RawBuilder<unknown> | number): RawBuilder<number> {
  const left = typeof a === 'string' ? sql.ref(a) : a;
  return dialect === 'mysql' ? sql<number>`GREATEST(${left}, ${b})` : sql<number>`MAX(${left}, ${b})`;
}

const TRANSIENT_MYSQL_CODES = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ER_CON_COUNT_ERROR',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);
const TRANSIENT_SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

/**
 * Errors that say "try again" rather than "this is wrong": deadlocks, lock wait timeouts,
 * lost connections, a busy SQLite file. The engine retries these with backoff.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    const message = String((error as Error | null)?.message ?? '');
    return /Connection lost|closed state|Pool is closed|ECONNRESET|ECONNREFUSED/i.test(message);
  }
  return TRANSIENT_MYSQL_CODES.has(code) || TRANSIENT_SQLITE_CODES.has(code);
}

/** Unique key violations: a row that another run (or a crash before it) already wrote. */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
