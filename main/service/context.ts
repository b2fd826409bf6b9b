// What every operation's handler is given: the runtime, the caller, the moment of the call,
// and the way to record what it changed.
import { parseDateTime, type Database, type JobOperator } from '../batch/index.ts';
import type { AuditAmendment, AuditRecord } from './audit.ts';
import { invalid } from './errors.ts';
import type { Session } from './staff.ts';
import type { Executor, ServiceDb } from './tables.ts';

export interface HandlerContext {
  database: Database;
  /**
   * the service's database: its transactions run again after a deadlock or a lock wait timeout
   * (transactions.ts), so a transaction's body touches the database only; a launch, a send or a
   * file comes before it or after its commit
   */
  db: ServiceDb;
  operator: JobOperator;
  /** null only for PUBLIC operations (sign-in) */
  session: Session | null;
  /** the staff member calling, for launchedBy and the activity log */
  actor: string;
  /** the network address of an HTTP caller (sign-in counts failures per address too) */
  address?: string;
  now: Date;
  timeZone: string;
  /** records a change; pass the transaction the change was made in, so both commit or neither */
  audit(record: Omit<AuditRecord, 'actor'>, tx?: Executor): Promise<void>;
  /** runs a launch recorded first (audit.ts auditedLaunch): no execution without its row */
  auditLaunch<T>(record: Omit<AuditRecord, 'actor'>, launch: () => Promise<T>, done: (launched: T) => AuditAmendment): Promise<T>;
}

/** A contract dateTime string as an instant; local times are read in the gym's time zone. */
export function instant(ctx: HandlerContext, field: string, text: string): Date {
  const date = parseDateTime(text, ctx.timeZone);
  if (!date) {
    throw invalid(field, { ko: '날짜와 시각이 올바르지 않습니다', en: 'is not a valid date and time' });
  }
  return date;
}

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
