// Every difference between MySQL/MariaDB and SQLite that code above the database layer
// needs lives here: time format, row locks, upserts, and which errors are worth a retry.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DateTime } from 'luxon';

export type Dialect = 'mysql' | 'sqlite';

/** UTC time as both databases store it: 'YYYY-MM-DD HH:MM:SS.mmm'. Sorts like the time it names. */
export function toDbTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * `date` as a bound to compare stored times with: toDbTime's text, without its milliseconds when
 * they are zero. On SQLite times are text, and a value written without milliseconds (an import:
 * '2022-08-01 00:00:00') sorts before the same instant written with them ('… 00:00:00.000'), so
 * a bound with them would put that row on the wrong side of it; without them, both forms sort
 * where their instant does. MySQL compares DATETIMEs as times either way.
 */
export function toDbTimeBound(date: Date): string {
  const text = toDbTime(date);
  return text.endsWith('.000') ? text.slice(0, -4) : text;
}

/** Whether the time in column `later` is at least an hour after the time in column `earlier`, in SQL (either may be written with or without milliseconds). */
export function anHourOrMoreAfter(dialect: Dialect, later: string, earlier: string): RawBuilder<boolean> {
  return dialect === 'mysql'
    ? sql<boolean>`${sql.ref(later)} >= ${sql.ref(earlier)} + INTERVAL 1 HOUR`
    : // seconds as REAL, to the millisecond: half of one lost to rounding is allowed for
      sql<boolean>`unixepoch(${sql.ref(later)}, 'subsec') >= unixepoch(${sql.ref(earlier)}, 'subsec') + 3599.9995`;
}

export function fromDbTime(value: string | Date): Date;
export function fromDbTime(value: string | Date | null | undefined): Date | null;
export function fromDbTime(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(value.replace(' ', 'T') + (value.length > 10 ? 'Z' : 'T00:00:00Z'));
}

/** Reads and writes times the way another application keeps them in its own rows. */
export interface ForeignTimes {
  read(value: string | number | Date | null | undefined): Date | null;
  write(date: Date): string | number;
}

/**
 * Times as Spring Batch itself keeps them, on a schema Pass Console adopted: on SQLite its JDBC
 * driver stores epoch milliseconds (an instant); on MySQL/MariaDB a DATETIME holds the wall
 * clock of the zone its JVM runs in, `zone`.
 */
export function foreignTimes(dialect: Dialect, zone: string): ForeignTimes {
  const text: (value: string) => Date = dialect === 'sqlite' ? fromDbTime : (value) => DateTime.fromSQL(value, { zone }).toJSDate();
  return {
    read(value) {
      if (value === null || value === undefined) return null;
      // epoch milliseconds; in a TEXT column (our own schema, on SQLite) they come back as digits
      const epoch = typeof value === 'number' || /^\d+(\.\d*)?$/.test(String(value));
      const date = value instanceof Date ? value : epoch ? new Date(Number(value)) : text(String(value));
      // A value that reads as no time at all is left out (null) rather than break a whole list.
      return Number.isNaN(date.getTime()) ? null : date;
    },
    write: dialect === 'sqlite' ? (date) => date.getTime() : (date) => DateTime.fromJSDate(date, { zone }).toFormat('yyyy-MM-dd HH:mm:ss.SSS'),
  };
}

export async function tableExists(dialect: Dialect, db: Kysely<any>, table: string): Promise<boolean> {
  return (await tableType(dialect, db, table)) !== null;
}

/** 'BASE TABLE', 'VIEW' or (MariaDB) 'SEQUENCE' on MySQL, 'table' on SQLite; null if there is none. */
async function tableType(dialect: Dialect, db: Kysely<any>, table: string): Promise<string | null> {
  const found =
    dialect === 'mysql'
      ? await sql<{ type: string }>`SELECT table_type AS type FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ${table}`.execute(db)
      : await sql<{ type: string }>`SELECT type FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
  return found.rows[0]?.type ?? null;
}

/** The tables a Spring Batch schema takes its ids from, one per kind of row. */
export interface SpringSequences {
  instance: string;
  execution: string;
  step: string;
}

/**
 * Spring Batch's id sequences by version (each version's schema-*.sql, and its JDBC job
 * repository's incrementer names): 6.0 renamed BATCH_JOB_SEQ to BATCH_JOB_INSTANCE_SEQ.
 */
export const SPRING_SEQUENCES = {
  5: { instance: 'BATCH_JOB_SEQ', execution: 'BATCH_JOB_EXECUTION_SEQ', step: 'BATCH_STEP_EXECUTION_SEQ' },
  6: { instance: 'BATCH_JOB_INSTANCE_SEQ', execution: 'BATCH_JOB_EXECUTION_SEQ', step: 'BATCH_STEP_EXECUTION_SEQ' },
} as const satisfies Record<5 | 6, SpringSequences>;

/** Where a schema Spring Batch made keeps its ids. */
export interface SpringIdSource {
  names: SpringSequences;
  /** MariaDB SEQUENCE objects (Spring's schema-mariadb.sql) rather than one-row tables (schema-mysql.sql, schema-sqlite.sql) */
  native: boolean;
}

/**
 * The id sequences of the Spring Batch schema migration 001 adopted (6's where its instance
 * sequence is there, else 5's), or null where the schema is our own and ids auto-increment.
 */
export async function springSequences(dialect: Dialect, db: Kysely<any>): Promise<SpringIdSource | null> {
  for (const names of [SPRING_SEQUENCES[6], SPRING_SEQUENCES[5]]) {
    const type = await tableType(dialect, db, names.instance);
    if (type) return { names, native: type === 'SEQUENCE' };
  }
  return null;
}

/**
 * The next value of one of Spring Batch's id sequences (BATCH_JOB_SEQ, ...), taken the way
 * Spring's own incrementers take it, so ids handed out here and by a Spring Batch application
 * on the same schema never collide: MySQL's one-row table bumped through LAST_INSERT_ID (on
 * `tx`'s connection), MariaDB's SEQUENCE object through NEXT VALUE FOR (`native`), SQLite's
 * AUTOINCREMENT table given a row.
 */
export async function nextSequenceValue(dialect: Dialect, tx: Kysely<any>, table: string, native = false): Promise<number> {
  const name = sql.table(table);
  if (dialect === 'mysql' && native) {
    const { rows } = await sql<{ id: number | string }>`SELECT NEXT VALUE FOR ${name} AS id`.execute(tx);
    return Number(rows[0]!.id);
  }
  if (dialect === 'mysql') {
    const bumped = await sql`UPDATE ${name} SET ID = LAST_INSERT_ID(ID + 1)`.execute(tx);
    if (Number(bumped.numAffectedRows) !== 1) throw new Error(`${table} should hold exactly one row (Spring Batch's id sequence), it holds ${bumped.numAffectedRows}`);
    const { rows } = await sql<{ id: number | string }>`SELECT LAST_INSERT_ID() AS id`.execute(tx);
    return Number(rows[0]!.id);
  }
  const inserted = await sql`INSERT INTO ${name} (ID) VALUES (NULL)`.execute(tx);
  const id = Number(inserted.insertId);
  await sql`DELETE FROM ${name} WHERE ID < ${id}`.execute(tx);
  return id;
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
