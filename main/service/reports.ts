// 보고서 and 작업 기록: the report files makeStatisticsJob recorded, and the activity log.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { fromDbTime } from '../batch/index.ts';
import type { HandlerContext } from './context.ts';
import type { AuditEntry, Paged, ParsedInputOf, ReportFile, ReportView } from './contract.ts';
import { notFound } from './errors.ts';
import { num } from './tables.ts';

export async function listReports(ctx: HandlerContext, input: ParsedInputOf<'reports.list'>): Promise<ReportView[]> {
  let query = ctx.db.selectFrom('report').selectAll().orderBy('period_from', 'desc').orderBy('report_seq', 'desc').limit(500);
  if (input.kind) query = query.where('kind', '=', input.kind);
  const rows = await query.execute();
  return rows.map((r) => ({
    reportSeq: num(r.report_seq),
    kind: r.kind,
    format: r.format,
    periodFrom: fromDbTime(r.period_from).toISOString(),
    periodTo: fromDbTime(r.period_to).toISOString(),
    fileName: basename(r.file_path),
    rowCount: num(r.row_count),
    sizeBytes: num(r.size_bytes),
    createdAt: fromDbTime(r.created_at).toISOString(),
  }));
}

/** Where a report's file is; only paths the report job recorded are ever handed out. */
export async function reportFile(ctx: HandlerContext, input: ParsedInputOf<'reports.file'>): Promise<ReportFile> {
  const row = await ctx.db.selectFrom('report').select(['report_seq', 'file_path', 'size_bytes']).where('report_seq', '=', input.id).executeTakeFirst();
  if (!row) throw notFound({ ko: `보고서 ${input.id}`, en: `Report ${input.id}` }, 'id');
  let exists = false;
  let sizeBytes = num(row.size_bytes);
  try {
    const stat = statSync(row.file_path);
    exists = stat.isFile();
    sizeBytes = stat.size;
  } catch {
    // moved or deleted since: say so rather than fail
  }
  // The folder is the server's business: only an admin is told it. The transports that stream
  // the file (HTTP download, the desktop's preview and open) take it from reportFilePath, which
  // no JSON answer or IPC message carries (a symbol key: JSON and structuredClone leave it out).
  const file: ReportFile = { reportSeq: num(row.report_seq), path: ctx.session?.role === 'ADMIN' ? row.file_path : null, fileName: basename(row.file_path), sizeBytes, exists };
  Object.defineProperty(file, FILE_PATH, { value: row.file_path, enumerable: false });
  return file;
}

const FILE_PATH = Symbol('reportFilePath');

/** The file a reports.file answer names, for the transport that streams it; never sent to a screen. */
export function reportFilePath(file: ReportFile): string {
  return (file as unknown as Record<symbol, string | undefined>)[FILE_PATH] ?? file.path ?? '';
}

export async function listAudit(ctx: HandlerContext, input: ParsedInputOf<'audit.list'>): Promise<Paged<AuditEntry>> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 50;
  let query = ctx.db.selectFrom('audit_log');
  if (input.actor) query = query.where('actor', '=', input.actor);
  if (input.action) query = query.where('action', '=', input.action);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await query
    .selectAll()
    .orderBy('audit_seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: num(total?.n),
    page,
    pageSize,
    items: rows.map((r) => ({
      auditSeq: num(r.audit_seq),
      at: fromDbTime(r.at).toISOString(),
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: parseDetail(r.detail),
    })),
  };
}

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
