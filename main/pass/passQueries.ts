// SQL the pass jobs share. Each rule ("due to expire", "due to start", "due for deduction") is
// one condition that the reader uses to find candidates and the writer applies again inside
// its UPDATE, so a rerun, a restart or a change made meanwhile by someone else is harmless.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../batch/index.ts';
import { toDbTime } from '../batch/index.ts';
import { greatest, type Dialect } from '../batch/database/dialect.ts';
import { BookingStatus, PassStatus, type PassTables } from './schema.ts';

export type PassDb = Kysely<PassTables>;
export type PassTx = Transaction<PassTables>;

/** The domain tables, typed. */
export const passDb = (db: Database): PassDb => db.kysely as PassDb;
export const passTx = (tx: Transaction<any>): PassTx => tx as PassTx;

type PassEb = ExpressionBuilder<PassTables, 'pass'>;
type BookingEb = ExpressionBuilder<PassTables, 'booking'>;

/** A pass still in use (READY or PROGRESSED) whose end has come or whose uses have run out. */
export function dueToExpire(now: Date) {
  const at = toDbTime(now);
  return (eb: PassEb): Expression<SqlBool> =>
    eb.and([
      eb('pass.status', 'in', [PassStatus.READY, PassStatus.PROGRESSED]),
      // ended_at NULL (never ends) and remaining_count NULL (unlimited) both compare as unknown: never due.
      eb.or([eb('pass.ended_at', '<=', at), eb('pass.remaining_count', '=', 0)]),
    ]);
}

/** A READY pass whose start has come and which is not due to expire instead. */
export function dueToStart(now: Date) {
  const at = toDbTime(now);
  return (eb: PassEb): Expression<SqlBool> =>
    eb.and([
      eb('pass.status', '=', PassStatus.READY),
      eb('pass.started_at', '<=', at),
      eb.or([eb('pass.ended_at', 'is', null), eb('pass.ended_at', '>', at)]),
      eb.or([eb('pass.remaining_count', 'is', null), eb('pass.remaining_count', '<>', 0)]),
    ]);
}

/** A booking whose class has ended, was attended or not but not cancelled, and whose use was not yet taken off its pass. */
export function dueForDeduction(now: Date) {
  const at = toDbTime(now);
  return (eb: BookingEb): Expression<SqlBool> =>
    eb.and([eb('booking.status', '=', BookingStatus.COMPLETED), eb('booking.used_pass', '=', 0), eb('booking.ended_at', '<=', at)]);
}

/**
 * Takes `uses` off a pass in SQL, never below 0 and never from an unlimited pass (NULL stays
 * NULL): the database does the arithmetic under the row's lock, so concurrent deductions add up.
 */
export async function deductUses(tx: PassTx, dialect: Dialect, passSeq: number, uses: number, now: Date): Promise<void> {
  await tx
    .updateTable('pass')
    .set({
      remaining_count: greatest(dialect, sql`${sql.ref('remaining_count')} - ${uses}`, 0),
      modified_at: toDbTime(now),
    })
    .where('pass_seq', '=', passSeq)
    .where('remaining_count', 'is not', null)
    .execute();
}

/** Whole days after `from`, as an instant (Seoul has no daylight saving, and UTC days are exact). */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 86_400_000);
}
