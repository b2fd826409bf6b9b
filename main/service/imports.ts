// 회원 가져오기 at the desk: a file from the old program is uploaded into the data folder's
// imports folder (a size limit, .csv or .xlsx only, its name cleaned), its first rows and column
// mapping are shown before anything is written, then importMembersJob runs on it, first as a
// dry run, then for real; its progress, counts, first problems and rejects file are read here,
// where the front desk may read them (executions.get is a manager's).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DateTime } from 'luxon';
import { dataFolder, type Database } from '../batch/index.ts';
import { countCsvLines, headerProblem, MEMBER_FIELDS, openMemberFile, type FileRecord } from '../pass/imports/memberFile.ts';
import { checkRow } from '../pass/imports/memberRows.ts';
import { IMPORT_JOB, IMPORT_STEP, ImportContext, loadLookups, type ImportProblem } from '../pass/jobs/importMembersJob.ts';
import type { HandlerContext } from './context.ts';
import type { ExecutionSummary, ImportPreview, ImportRejects, ImportStatus, ImportUpload, ParsedInputOf } from './contract.ts';
import { invalid, notFound } from './errors.ts';
import { executionSummary, getExecution } from './executions.ts';

/** The largest file an upload takes (bytes): a 100,000-member CSV is about 8 MB. */
export const IMPORT_UPLOAD_LIMIT = 20 * 1024 * 1024;
/** Rows the preview shows. */
export const PREVIEW_ROWS = 10;

/** Where uploaded member files go: `imports` in the data folder. */
export function importsFolder(): string {
  return join(dataFolder(), 'imports');
}

/**
 * A file name that can't leave the imports folder or surprise a file system: letters (any
 * script), digits, space, '.', '_', '-' and '(' ')' kept, anything else '_', at most 80
 * characters before its extension. Undefined when no .csv or .xlsx name is left.
 */
export function cleanFileName(name: string): string | undefined {
  const base = basename(name.normalize('NFC').replace(/\\/g, '/')).trim();
  const ext = /\.(csv|xlsx)$/i.exec(base)?.[0]?.toLowerCase();
  if (!ext) return undefined;
  const stem = base
    .slice(0, -ext.length)
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 80)
    .trim();
  return `${stem || 'members'}${ext}`;
}

/** The uploaded file a `fileName` names, refused unless it is one (no folders, no other kinds). */
function uploadedFile(fileName: string): string {
  if (cleanFileName(fileName) !== fileName) {
    throw invalid('fileName', { ko: '가져오기 폴더에 올린 파일의 이름이어야 합니다', en: 'must be the name of a file uploaded to the imports folder' });
  }
  const path = join(importsFolder(), fileName);
  try {
    if (statSync(path).isFile()) return path;
  } catch {
    // below
  }
  throw notFound({ ko: `가져올 파일 ${fileName}`, en: `The file to import ${fileName}` }, 'fileName');
}

export async function uploadImport(ctx: HandlerContext, input: ParsedInputOf<'imports.upload'>): Promise<ImportUpload> {
  const clean = cleanFileName(input.fileName);
  if (!clean) throw invalid('fileName', { ko: '.csv 또는 .xlsx 파일만 가져올 수 있습니다', en: 'only .csv and .xlsx files can be imported' });
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length === 0) throw invalid('contentBase64', { ko: '파일이 비어 있습니다', en: 'the file is empty' });
  if (bytes.length > IMPORT_UPLOAD_LIMIT) {
    throw invalid('contentBase64', { ko: `파일이 ${IMPORT_UPLOAD_LIMIT / 1024 / 1024}MB보다 큽니다`, en: `the file is larger than ${IMPORT_UPLOAD_LIMIT / 1024 / 1024} MB` });
  }
  if (clean.endsWith('.xlsx') && bytes.subarray(0, 4).toString('binary') !== 'PK\u0003\u0004') {
    throw invalid('contentBase64', { ko: '엑셀(.xlsx) 파일이 아닙니다', en: 'is not an Excel (.xlsx) file' });
  }
  const folder = importsFolder();
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // The moment first, so the names sort by upload; a few random letters, so the same name uploaded twice is two files.
  const fileName = `${DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).toFormat('yyyyMMdd-HHmmss')}-${randomBytes(2).toString('hex')}-${clean}`;
  const path = join(folder, fileName);
  const temp = join(folder, `.${fileName}.tmp`);
  writeFileSync(temp, bytes, { mode: 0o600 });
  renameSync(temp, path);
  await ctx.audit({ action: 'imports.upload', target: `import:${fileName}`, detail: { fileName, sizeBytes: bytes.length } });
  return { fileName, sizeBytes: bytes.length };
}

export async function previewImport(ctx: HandlerContext, input: ParsedInputOf<'imports.preview'>): Promise<ImportPreview> {
  const path = uploadedFile(input.fileName);
  const file = await openMemberFile(path).catch(() => {
    throw invalid('fileName', { ko: '파일을 읽을 수 없습니다', en: 'the file cannot be read' });
  });
  try {
    const records: FileRecord[] = [];
    while (records.length < PREVIEW_ROWS) {
      const next = await file.records.next();
      if (next.done) break;
      records.push(next.value);
    }
    const problem = headerProblem(file.mapping) ?? null;
    const lookups = problem ? null : await loadLookups(ctx.database as Database);
    return {
      fileName: input.fileName,
      format: file.format,
      encoding: file.encoding ?? null,
      header: file.header,
      mapping: MEMBER_FIELDS.map((field) => {
        const column = file.mapping[field];
        return { field, column: column ?? null, header: column === undefined ? null : (file.header[column] ?? null) };
      }),
      problem,
      rows: records.map((record) => {
        const outcome = lookups ? checkRow(record, file.mapping, lookups, ctx.timeZone) : null;
        return { row: record.row, cells: record.cells, problem: outcome && !outcome.ok ? outcome.reason : null };
      }),
      rowEstimate: file.format === 'csv' ? await countCsvLines(path) : null,
    };
  } finally {
    await file.close().catch(() => undefined);
  }
}

export async function startImport(ctx: HandlerContext, input: ParsedInputOf<'imports.start'>): Promise<ExecutionSummary> {
  const path = uploadedFile(input.fileName);
  const detail = { fileName: input.fileName, dryRun: input.dryRun };
  const launched = await ctx.auditLaunch(
    { action: 'imports.start', target: `import:${input.fileName}`, detail },
    () => ctx.operator.start(IMPORT_JOB, { file: path, dryRun: input.dryRun, language: input.language ?? 'ko', now: ctx.now }, { launchedBy: ctx.actor, now: ctx.now }),
    (l) => ({ target: `execution:${l.execution.id}`, detail: { ...detail, executionId: l.execution.id } }),
  );
  return executionSummary(launched.execution);
}

/** An import's execution as the desk sees it; any other execution is not found here. */
async function importExecution(ctx: HandlerContext, id: number) {
  const refused = () => notFound({ ko: `회원 가져오기 실행 #${id}`, en: `Member import #${id}` }, 'id');
  const detail = await getExecution(ctx, { id }).catch((error: unknown) => {
    throw (error as { code?: string }).code === 'NOT_FOUND' ? refused() : error;
  });
  if (detail.jobName !== IMPORT_JOB) throw refused();
  const step = detail.steps.find((s) => s.stepName === IMPORT_STEP) ?? null;
  return { detail, step };
}

export async function importStatus(ctx: HandlerContext, input: ParsedInputOf<'imports.status'>): Promise<ImportStatus> {
  const { detail, step } = await importExecution(ctx, input.id);
  const context = step?.executionContext ?? {};
  const count = (key: string) => Number(context[key] ?? 0);
  const rejectsPath = typeof context[ImportContext.rejectsFile] === 'string' ? (context[ImportContext.rejectsFile] as string) : null;
  // The server's folders are not the desk's business: the file by its name only.
  const { steps: _steps, executionContext: _context, lineage: _lineage, failure: _failure, ...summary } = detail;
  const { file: _file, ...parameters } = detail.parameters;
  return {
    execution: { ...summary, parameters },
    fileName: basename(String(detail.parameters.file ?? '')),
    dryRun: detail.parameters.dryRun === true,
    failure: detail.failure ?? null,
    step: step && {
      status: step.status,
      read: step.readCount,
      written: step.writeCount,
      skipped: step.readSkipCount + step.processSkipCount + step.writeSkipCount,
      blank: step.filterCount,
      commits: step.commitCount,
    },
    created: count(ImportContext.created),
    matched: count(ImportContext.matched),
    passesAdded: count(ImportContext.passesAdded),
    groupsAdded: count(ImportContext.groupsAdded),
    problems: ((context[ImportContext.problems] as ImportProblem[] | undefined) ?? []).map((p) => ({ row: p.row, message: { ko: p.ko, en: p.en } })),
    rejectedRows: count('rejects.rows'),
    rejectsFile: rejectsPath && detail.status === 'COMPLETED' && count('rejects.rows') > 0 ? basename(rejectsPath) : null,
  };
}

/** The rejects file of a completed import, as text (UTF-8, no BOM), to save and fix. */
export async function importRejects(ctx: HandlerContext, input: ParsedInputOf<'imports.rejects'>): Promise<ImportRejects> {
  const status = await importStatus(ctx, input);
  if (!status.rejectsFile) throw notFound({ ko: `회원 가져오기 #${input.id}의 거부 파일`, en: `The rejects file of member import #${input.id}` }, 'id');
  // The path the job recorded (the desk's answer above carries its name only).
  const full = await ctx.operator.repository.stepExecutions(input.id);
  const path = String(full.find((s) => s.stepName === IMPORT_STEP)!.executionContext[ImportContext.rejectsFile]);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    throw notFound({ ko: `거부 파일 ${status.rejectsFile} (옮겨졌거나 지워졌습니다)`, en: `The rejects file ${status.rejectsFile} (moved or deleted)` }, 'id');
  }
  return { fileName: status.rejectsFile, rows: status.rejectedRows, text };
}
