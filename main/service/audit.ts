// The activity log: one row per change a person made, with who, what and when. Written in the
// same transaction as the change where the change is ours (a bulk grant, a staff account), and
// just after it where the engine commits the change itself (a launch, a stop).
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

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '***' : scrub(v)]));
  }
  return value;
}

export async function writeAudit(db: Executor, record: AuditRecord, at = new Date()): Promise<void> {
  let detail = record.detail === undefined ? null : JSON.stringify(scrub(record.detail));
  if (detail && detail.length > 60_000) detail = JSON.stringify({ truncated: detail.slice(0, 60_000) });
  await db
    .insertInto('audit_log')
    .values({
      at: toDbTime(at),
      actor: record.actor.slice(0, 50),
      action: record.action.slice(0, 50),
      target: record.target?.slice(0, 100) ?? null,
      detail,
    })
    .execute();
}
