// The pass domain's business tables as plain rows, keyed by what a row is about, so two
// databases that went through the same job (one uninterrupted, one killed and restarted) can be
// compared row by row. Left out are only the columns that legitimately differ between two runs:
// times taken from the wall clock while the job runs (the jobs themselves write their `now`
// parameter into modified_at/expired_at/created_at, so those stay in), send bookkeeping, where
// a report's file lives (its name and its bytes stay in), and the AUTO_INCREMENT numbers of rows
// a job inserts: InnoDB never hands back the numbers of a transaction that was rolled back (or
// of rows an INSERT IGNORE / ON DUPLICATE KEY UPDATE skipped), so after a kill on MySQL the same
// rows legitimately get higher numbers. Those rows are keyed by what they are about instead.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from '../../main/batch/index.ts';

export type Row = Record<string, unknown>;

export interface TableSpec {
  table: string;
  /** What the row is about: unique within the table, the same in both databases. */
  key(row: Row): string;
  /** Columns not compared. */
  omit?: readonly string[];
  /** Applied after `omit`, e.g. to replace a path by the file's name and contents. */
  normalize?(row: Row): Row;
}

/** A report's file as its name and a digest of its bytes, wherever the run wrote it. */
export function fileFingerprint(path: unknown): string {
  const file = String(path);
  if (!existsSync(file)) return `${basename(file)} (missing)`;
  return `${basename(file)} sha256:${createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)}`;
}

/** Wall-clock bookkeeping the notification sender and the statistics/report writers stamp. */
const WALL_CLOCK = ['created_at', 'modified_at'] as const;

export const BUSINESS_TABLES: readonly TableSpec[] = [
  { table: 'package', key: (r) => `${r.package_seq}` },
  { table: 'user', key: (r) => `${r.user_id}` },
  { table: 'user_group_mapping', key: (r) => `${r.user_group_id}/${r.user_id}` },
  { table: 'bulk_pass', key: (r) => `${r.bulk_pass_seq}` },
  // A pass a grant made is known by its grant and member (UNIQUE), and its number is not
  // compared (addPassesJob inserts those); any other pass is known by its number.
  {
    table: 'pass',
    key: (r) => (r.bulk_pass_seq === null ? `pass ${r.pass_seq}` : `grant ${r.bulk_pass_seq}/${r.user_id}`),
    normalize: ({ pass_seq, ...r }) => (r.bulk_pass_seq === null ? { pass_seq, ...r } : r),
  },
  { table: 'booking', key: (r) => `${r.booking_seq}` },
  {
    table: 'notification',
    key: (r) => `${r.event}:${r.target_key}`,
    // when it was sent, after how many tries and the last error depend on timing, not on the job
    omit: ['notification_seq', 'sent_at', 'attempts', 'last_error', ...WALL_CLOCK],
  },
  { table: 'statistics', key: (r) => `${r.statistics_at}`, omit: ['statistics_seq', ...WALL_CLOCK] },
  {
    table: 'report',
    key: (r) => `${r.kind}/${r.format}/${r.period_from}`,
    omit: ['report_seq', ...WALL_CLOCK],
    normalize: (r) => ({ ...r, file_path: fileFingerprint(r.file_path) }),
  },
];

/** Every table's rows by key, columns in a fixed order, values as comparable primitives. */
export type TableDump = Record<string, Map<string, Row>>;

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

export async function dumpTables(db: Database, specs: readonly TableSpec[] = BUSINESS_TABLES): Promise<TableDump> {
  const dump: TableDump = {};
  for (const spec of specs) {
    const rows = await db.kysely.selectFrom(spec.table).selectAll().execute();
    const byKey = new Map<string, Row>();
    for (const raw of rows as Row[]) {
      let row: Row = {};
      for (const column of Object.keys(raw).sort()) if (!spec.omit?.includes(column)) row[column] = plain(raw[column]);
      if (spec.normalize) row = spec.normalize(row);
      const key = spec.key(raw);
      if (byKey.has(key)) throw new Error(`${spec.table}: two rows with the key ${key}`);
      byKey.set(key, row);
    }
    dump[spec.table] = new Map([...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return dump;
}

const show = (row: Row) => JSON.stringify(row);

/**
 * How `actual` differs from `expected`, one line per missing, extra or different row (at most
 * `limit` lines per table, then a count): an empty list means equal.
 */
export function diffTables(expected: TableDump, actual: TableDump, limit = 10): string[] {
  const lines: string[] = [];
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const a = expected[table] ?? new Map<string, Row>();
    const b = actual[table] ?? new Map<string, Row>();
    const found: string[] = [];
    for (const [key, row] of a) {
      const other = b.get(key);
      if (!other) {
        found.push(`${table}[${key}] missing: expected ${show(row)}`);
        continue;
      }
      const columns = [...new Set([...Object.keys(row), ...Object.keys(other)])];
      const changed = columns.filter((c) => JSON.stringify(row[c] ?? null) !== JSON.stringify(other[c] ?? null));
      if (changed.length) found.push(`${table}[${key}] ${changed.map((c) => `${c}: expected ${JSON.stringify(row[c] ?? null)}, got ${JSON.stringify(other[c] ?? null)}`).join('; ')}`);
    }
    for (const [key, row] of b) if (!a.has(key)) found.push(`${table}[${key}] extra: ${show(row)}`);
    lines.push(...found.slice(0, limit));
    if (found.length > limit) lines.push(`${table}: ${found.length - limit} more differences`);
  }
  return lines;
}

/** Rows per table, for a one-line summary of what was compared. */
export function tableSizes(dump: TableDump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.size]));
}
