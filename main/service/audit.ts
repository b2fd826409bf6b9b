// The activity log: one row per change a person made, with who, what and when. Written in the
// same transaction as the change where the change is ours (a bulk grant, a staff account). A
// launch (the engine commits the execution itself) is written before it (auditedLaunch), so no
// execution exists without its row: a launch the engine then refuses changed nothing, and its
// row is removed, as every refusal writes nothing; a process that dies in between leaves a row
// for a launch that never began, the safe side. A stop or abandon is recorded just after it.
import { toDbTime } from '../batch/index.ts';
import type { Executor } from './tables.ts';

export interface AuditRecord {
  actor: string;
  action: string;
  target?: string | null;
  detail?: unknown;
}

/** Keys never written to the log, whatever operation they come with. */
const SECRET_KEYS = new Set(['password', 'token']);

/** A URL's password (user:password@) and its secret-looking query values (?key=, token=, sig=, ...). */
const URL_PASSWORD = /(\/\/[^:/@\s]*):[^@/\s]*@/g;
const SECRET_QUERY = /([?&;][^=&#\s]*(?:key|token|secret|password|passwd|pwd|sig|signature|auth|credential)[^=&#\s]*=)[^&#\s"']*/gi;

/** `text` with every secret a URL in it carries masked: what the log keeps of a webhook's address. */
export function maskUrlSecrets(text: string): string {
  if (!text.includes('//') && !text.includes('=')) return text;
  return text.replace(URL_PASSWORD, '$1:***@').replace(SECRET_QUERY, '$1***');
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlSecrets(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '***' : scrub(v)]));
  }
  return value;
}

/** The detail as the JSON the column holds: secrets out, at most about 60,000 characters. */
function detailText(value: unknown): string | null {
  let detail = value === undefined ? null : JSON.stringify(scrub(value));
  if (detail && detail.length > 60_000) detail = JSON.stringify({ truncated: detail.slice(0, 60_000) });
  return detail;
}

export async function writeAudit(db: Executor, record: AuditRecord, at = new Date()): Promise<void> {
  await insertAudit(db, record, at);
}

/** Writes one row; answers its audit_seq. */
async function insertAudit(db: Executor, record: AuditRecord, at: Date): Promise<number> {
  const result = await db
    .insertInto('audit_log')
    .values({
      at: toDbTime(at),
      actor: record.actor.slice(0, 50),
      action: record.action.slice(0, 50),
      target: record.target?.slice(0, 100) ?? null,
      detail: detailText(record.detail),
    })
    .executeTakeFirst();
  return Number(result.insertId);
}

/** What a launch's row says once the engine has answered: the execution it made. */
export interface AuditAmendment {
  target?: string | null;
  detail?: unknown;
}

async function amendAudit(db: Executor, seq: number, change: AuditAmendment): Promise<void> {
  await db
    .updateTable('audit_log')
    .set({
      ...(change.target !== undefined ? { target: change.target?.slice(0, 100) ?? null } : {}),
      ...(change.detail !== undefined ? { detail: detailText(change.detail) } : {}),
    })
    .where('audit_seq', '=', seq)
    .execute();
}

/**
 * Records a launch before it happens: the row first (who, which job, with what), then
 * `launch`; a refusal removes the row again and is rethrown; a launch that happened gets
 * `done`'s target and detail (the execution's id). A failure to amend is not the launch's: the
 * execution runs, and its row already says who started what.
 */
export async function auditedLaunch<T>(db: Executor, record: AuditRecord, at: Date, launch: () => Promise<T>, done: (launched: T) => AuditAmendment): Promise<T> {
  const seq = await insertAudit(db, record, at);
  let launched: T;
  try {
    launched = await launch();
  } catch (error) {
    await db.deleteFrom('audit_log').where('audit_seq', '=', seq).execute().catch(() => undefined);
    throw error;
  }
  await amendAudit(db, seq, done(launched)).catch(() => undefined);
  return launched;
}
