// Where reports go and how one is made: CSV lines to a temp name, renamed to the real name,
// then recorded in `report` (upserted on kind, period and format) in the caller's
// transaction. A report that failed halfway never has its real name and is never listed.
import { lstatSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Transaction } from 'kysely';
import { csvFileWriter, defaultDatabaseUrl, resolveFolder, toDbTime, type Dialect } from '../../batch/index.ts';
import type { ReportFormat, ReportKind } from '../schema.ts';

/** The `reportDir` parameter (relative: in the data folder), else PASS_REPORT_DIR, else <data dir>/reports. */
export function reportDirectory(param?: string): string {
  if (param?.trim()) return resolveFolder(param);
  if (process.env.PASS_REPORT_DIR?.trim()) return process.env.PASS_REPORT_DIR.trim();
  const dataDir = dirname(defaultDatabaseUrl().slice('sqlite:'.length));
  return join(dataDir, 'reports');
}

export interface ReportTable {
  header: string[];
  /** the data rows, counted in report.row_count */
  rows: unknown[][];
  /** a closing line such as the totals, not counted */
  footer?: unknown[];
}

export interface WrittenReport {
  kind: ReportKind;
  format: ReportFormat;
  periodFrom: Date;
  periodTo: Date;
  filePath: string;
  rowCount: number;
  sizeBytes: number;
}

/**
 * Writes `table` as UTF-8 CSV with a BOM (Excel then shows Korean) to `<path>.<tag>.tmp`,
 * renames it to `path`, and records it. `tag` keeps two executions writing the same report
 * from sharing a temp file.
 */
export async function writeCsvReport(
  tx: Transaction<any>,
  dialect: Dialect,
  report: { kind: ReportKind; periodFrom: Date; periodTo: Date; path: string; tag: string | number },
  table: ReportTable,
): Promise<WrittenReport> {
  const writer = csvFileWriter<unknown[]>({ path: report.path, tempPath: `${report.path}.${report.tag}.tmp`, header: table.header, row: (r) => r });
  removeStaleTempFiles(report.path);
  try {
    await writer.open!({});
    await writer.write(table.footer ? [...table.rows, table.footer] : table.rows, tx);
    writer.update!({});
    await writer.complete!();
  } catch (error) {
    await writer.close?.();
    try {
      unlinkSync(writer.tempPath);
    } catch {
      // never created
    }
    // Say which file: "no space left on device" alone does not tell staff which disk is full.
    throw new Error(`Could not write the ${report.kind.toLowerCase()} report ${report.path}: ${(error as Error).message ?? error}`, { cause: error });
  }
  const written: WrittenReport = {
    kind: report.kind,
    format: 'CSV',
    periodFrom: report.periodFrom,
    periodTo: report.periodTo,
    filePath: report.path,
    rowCount: table.rows.length,
    sizeBytes: statSync(report.path).size,
  };
  await recordReport(tx, dialect, written);
  return written;
}

export async function recordReport(tx: Transaction<any>, dialect: Dialect, r: WrittenReport): Promise<void> {
  const now = toDbTime(new Date());
  const row = {
    kind: r.kind,
    period_from: toDbTime(r.periodFrom),
    period_to: toDbTime(r.periodTo),
    file_path: r.filePath,
    format: r.format,
    row_count: r.rowCount,
    size_bytes: r.sizeBytes,
    created_at: now,
    modified_at: now,
  };
  const update = { period_to: row.period_to, file_path: row.file_path, row_count: row.row_count, size_bytes: row.size_bytes, modified_at: now };
  const insert = tx.insertInto('report').values(row);
  if (dialect === 'mysql') await insert.onDuplicateKeyUpdate(update).execute();
  else await insert.onConflict((oc) => oc.columns(['kind', 'period_from', 'format']).doUpdateSet(update)).execute();
}

/**
 * Temp files of this report left by an execution that was killed before its rename. Each
 * execution writes its own temp name, so a restart would never reuse them; one older than ten
 * minutes belongs to no live writer.
 */
function removeStaleTempFiles(path: string): void {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const file = join(folder, name);
    try {
      if (Date.now() - lstatSync(file).mtimeMs > 10 * 60_000) unlinkSync(file);
    } catch {
      // gone already, or not ours to remove
    }
  }
}
