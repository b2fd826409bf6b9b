// Fast workload data for the pass-job benchmarks: every table is filled by set-based
// INSERT ... SELECT over a numbers table (1..n), never row by row and never by the demo seeder,
// with explicit keys, so the same call on a fresh table gives the same rows every time (the job,
// the limit and the loop each start from identical data). SQL text is built here from numbers
// and times the benchmark computes itself; nothing in it comes from outside.
import { sql, type Kysely } from 'kysely';
import { toDbTime, type Database, type Dialect } from '../main/batch/index.ts';

/** Where SQL runs: a database, or a transaction (Kysely) on one. */
export type Target = Database | Kysely<any>;

/** Runs one SQL text, returning rows (if any) and the affected-row count. */
export async function exec<R = Record<string, unknown>>(target: Target, text: string): Promise<{ rows: R[]; affected: number }> {
  const k = 'kysely' in target ? target.kysely : target;
  const result = await sql.raw<R>(text).execute(k);
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? result.numChangedRows ?? 0) };
}

/** One row's first column as a number. */
export async function scalar(db: Target, text: string): Promise<number> {
  const { rows } = await exec<Record<string, unknown>>(db, text);
  const first = rows[0];
  return first ? Number(Object.values(first)[0] ?? 0) : 0;
}

/** A quoted table or column name (`user` needs it on both). */
export const q = (d: Dialect, name: string) => (d === 'mysql' ? `\`${name}\`` : `"${name}"`);

/** A string literal (the benchmark's own values only). */
export const lit = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A time literal in the databases' format. */
export const at = (date: Date) => lit(toDbTime(date));

export const concat = (d: Dialect, ...parts: string[]) => (d === 'mysql' ? `CONCAT(${parts.join(', ')})` : `(${parts.map((p) => `(${p})`).join(' || ')})`);

/** Integer division. */
export const idiv = (d: Dialect, a: string, b: string | number) => (d === 'mysql' ? `(${a} DIV ${b})` : `(${a} / ${b})`);

/** `base` + `seconds` (an integer SQL expression), as a time in the databases' format. */
export const plusSeconds = (d: Dialect, base: Date, seconds: string) =>
  d === 'mysql' ? `(TIMESTAMP(${at(base)}) + INTERVAL (${seconds}) SECOND)` : `strftime('%Y-%m-%d %H:%M:%f', ${at(base)}, (${seconds}) || ' seconds')`;

/** NULL-safe equality. */
export const same = (d: Dialect, a: string, b: string) => (d === 'mysql' ? `(${a} <=> ${b})` : `(${a} IS ${b})`);

/** The larger of two numbers. */
export const larger = (d: Dialect, a: string, b: string) => (d === 'mysql' ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`);

/** A JSON member as text. */
export const jsonText = (d: Dialect, column: string, member: string) =>
  d === 'mysql' ? `JSON_UNQUOTE(JSON_EXTRACT(${column}, '$.${member}'))` : `json_extract(${column}, '$.${member}')`;

/** Empties tables (TRUNCATE on MariaDB resets AUTO_INCREMENT; the benchmarks give explicit keys anyway). */
export async function emptyTables(db: Database, tables: string[]): Promise<void> {
  for (const table of tables) await exec(db, db.dialect === 'mysql' ? `TRUNCATE TABLE ${q(db.dialect, table)}` : `DELETE FROM ${q(db.dialect, table)}`);
  if (db.dialect === 'sqlite') await exec(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
}

const K = 1000;

/**
 * bench_numbers holds 1..n (at least): 1..1000 by one multi-row INSERT into bench_k, then
 * bench_k × bench_k by one INSERT ... SELECT. Workloads select `n` from it with `WHERE n <= N`.
 */
export async function ensureNumbers(db: Database, n: number): Promise<void> {
  const d = db.dialect;
  const int = d === 'mysql' ? 'BIGINT' : 'INTEGER';
  await exec(db, `CREATE TABLE IF NOT EXISTS bench_k (n ${int} NOT NULL PRIMARY KEY)`);
  await exec(db, `CREATE TABLE IF NOT EXISTS bench_numbers (n ${int} NOT NULL PRIMARY KEY)`);
  if ((await scalar(db, 'SELECT COUNT(*) FROM bench_k')) < K) {
    await exec(db, 'DELETE FROM bench_k');
    await exec(db, `INSERT INTO bench_k (n) VALUES ${Array.from({ length: K }, (_, i) => `(${i + 1})`).join(',')}`);
  }
  const have = await scalar(db, 'SELECT COALESCE(MAX(n), 0) FROM bench_numbers');
  if (have >= n) return;
  const blocks = Math.ceil(n / K);
  await exec(db, `INSERT INTO bench_numbers (n) SELECT (b.n - 1) * ${K} + a.n FROM bench_k a CROSS JOIN bench_k b WHERE b.n <= ${blocks} AND (b.n - 1) * ${K} + a.n > ${have}`);
}

/** `INSERT INTO table (columns) SELECT <exprs> FROM bench_numbers WHERE n BETWEEN from AND to` in one statement. */
export async function insertFromNumbers(db: Database, table: string, columns: Record<string, string>, from: number, to: number): Promise<number> {
  if (to < from) return 0;
  await ensureNumbers(db, to);
  const names = Object.keys(columns);
  const { affected } = await exec(
    db,
    `INSERT INTO ${q(db.dialect, table)} (${names.map((c) => q(db.dialect, c)).join(', ')}) ` +
      `SELECT ${names.map((c) => columns[c]).join(', ')} FROM bench_numbers WHERE n >= ${from} AND n <= ${to}`,
  );
  return affected;
}

/**
 * Members m1..mN: name, ACTIVE (or INACTIVE for every `inactiveEvery`-th), a phone and a
 * messenger uuid in meta as the seed keeps it.
 */
export async function insertMembers(db: Database, count: number, inactiveEvery = 0): Promise<void> {
  const d = db.dialect;
  await insertFromNumbers(
    db,
    'user',
    {
      user_id: concat(d, "'m'", 'n'),
      user_name: concat(d, "'회원'", 'n'),
      status: inactiveEvery ? `CASE WHEN n % ${inactiveEvery} = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END` : "'ACTIVE'",
      phone: concat(d, "'010-'", 'n'),
      meta: concat(d, `'{"uuid":"uuid-'`, 'n', `'"}'`),
      created_at: at(new Date('2026-01-01T00:00:00Z')),
    },
    1,
    count,
  );
}

/** SQL that keeps SQLite's file small between phases: the WAL is folded back after big writes. */
export async function settle(db: Database): Promise<void> {
  if (db.dialect === 'sqlite') await exec(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
}
