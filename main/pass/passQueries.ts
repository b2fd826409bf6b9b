// SQL the pass jobs share. Each rule ("due to expire", "due to start", "due for deduction") is
// one condition that the reader uses to find candidates and the writer applies again inside
// its UPDATE, so a rerun, a restart or a change made meanwhile by someone else is harmless.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../batch/index.ts';
import { toDbTime } from '../batch/index.ts';
import { greatest, type Dialect } from '../batch/database/dialect.ts';
import { BookingStatus, PassStatus, type DbBool, type PassTables } from './schema.ts';

export type PassDb = Kysely<PassTables>;
export type PassTx = Transaction<PassTables>;

/** The domain tables, typed. */
export const passDb = (db: Database): PassDb => db.kysely as PassDb;
export const passTx = (tx: Transaction<any>): PassTx => tx as PassTx;

type PassEb = ExpressionBuilder<PassTables, 'pass'>;
type BookingEb = ExpressionBuilder<PassTables, 'booking'>;

/**
 * A pass's end has come or its uses have run out, whatever its status says. Never unknown:
 * ended_at NULL (never ends) and remaining_count NULL (unlimited) are false here, so NOT of it is
 * exact too.
 */
function spent(now: Date) {
  const at = toDbTime(now);
  return (eb: PassEb): Expression<SqlBool> =>
    eb.or([
      eb.and([eb('pass.ended_at', 'is not', null), eb('pass.ended_at', '<=', at)]),
      eb.and([eb('pass.remaining_count', 'is not', null), eb('pass.remaining_count', '=', 0)]),
    ]);
}

/** A pass still in use (READY or PROGRESSED) whose end has come or whose uses have run out. */
export function dueToExpire(now: Date) {
  return (eb: PassEb): Expression<SqlBool> => eb.and([eb('pass.status', 'in', [PassStatus.READY, PassStatus.PROGRESSED]), spent(now)(eb)]);
}

/**
 * A pass a member can use now or later (READY or PROGRESSED, not due to expire): exactly the
 * passes expirePassesJob leaves alone, so the desk counts, shows and offers the same passes before
 * the job has run as after it (any other pass is shown as expired).
 */
export function usablePass(now: Date) {
  return (eb: PassEb): Expression<SqlBool> => eb.and([eb('pass.status', 'in', [PassStatus.READY, PassStatus.PROGRESSED]), eb.not(spent(now)(eb))]);
}

/** A READY pass whose start has come and which is not due to expire instead. */
export function dueToStart(now: Date) {
  const at = toDbTime(now);
  return (eb: PassEb): Expression<SqlBool> =>
    eb.and([eb('pass.status', '=', PassStatus.READY), eb('pass.started_at', '<=', at), eb.not(spent(now)(eb))]);
}

/**
 * A booking whose class has ended, not cancelled, and whose use was not yet taken off its pass:
 * attended, or a no-show the policy deducted when its class was completed (no_show_free = 0, as
 * every seed booking).
 */
export function dueForDeduction(now: Date) {
  const at = toDbTime(now);
  return (eb: BookingEb): Expression<SqlBool> =>
    eb.and([
      eb('booking.status', '=', BookingStatus.COMPLETED),
      eb('booking.used_pass', '=', 0),
      eb('booking.ended_at', '<=', at),
      eb.or([eb('booking.attended', '=', 1), eb('booking.no_show_free', '=', 0)]),
    ]);
}

/** A booking of one of the gym's classes (not the seed's) whose class has ended and which is neither completed nor cancelled yet. */
export function dueForCompletion(now: Date) {
  const at = toDbTime(now);
  return (eb: BookingEb): Expression<SqlBool> =>
    eb.and([
      eb('booking.status', 'in', [BookingStatus.READY, BookingStatus.PROGRESSED]),
      eb('booking.used_pass', '=', 0),
      eb('booking.ended_at', '<=', at),
      eb('booking.class_seq', 'is not', null),
    ]);
}

/**
 * Completes the given bookings that are still due for completion, writing the no-show policy in
 * force on each: a member not marked attended is `no_show_free` when no-shows are not deducted.
 */
export async function completeBookings(tx: PassTx, bookingSeqs: number[], now: Date, deductNoShows: boolean): Promise<void> {
  if (!bookingSeqs.length) return;
  await tx
    .updateTable('booking')
    .set({
      status: BookingStatus.COMPLETED,
      no_show_free: deductNoShows ? 0 : sql<DbBool>`CASE WHEN ${sql.ref('attended')} = 1 THEN 0 ELSE 1 END`,
      modified_at: toDbTime(now),
    })
    .where('booking_seq', 'in', bookingSeqs)
    .where(dueForCompletion(now))
    .execute();
}

/**
 * Marks the given bookings used, those of them still due for deduction, and returns the pass
 * of each one this call flipped (a booking flipped by someone else first is not returned), all
 * in the caller's transaction and under lock, so the caller deducts exactly what it flipped.
 * SQLite: one UPDATE ... RETURNING; being a write, it takes the file's write lock at once, so
 * no other writer can come between the choice and the flip. MySQL: SELECT ... FOR UPDATE of the
 * still-due rows (a locking read sees the latest committed version, so a booking another run
 * flipped and committed is not due any more), then one UPDATE of exactly those rows.
 */
export async function flipDueBookings(tx: PassTx, dialect: Dialect, bookingSeqs: number[], now: Date): Promise<number[]> {
  if (!bookingSeqs.length) return [];
  const seqs = [...bookingSeqs].sort((a, b) => a - b); // one lock order for everyone
  const flip = { used_pass: 1 as const, modified_at: toDbTime(now) };
  if (dialect === 'sqlite') {
    const flipped = await tx.updateTable('booking').set(flip).where('booking_seq', 'in', seqs).where(dueForDeduction(now)).returning('pass_seq').execute();
    return flipped.map((b) => Number(b.pass_seq));
  }
  const due = await tx
    .selectFrom('booking')
    .select(['booking_seq', 'pass_seq'])
    .where('booking_seq', 'in', seqs)
    .where(dueForDeduction(now))
    .orderBy('booking_seq')
    .forUpdate()
    .execute();
  if (!due.length) return [];
  const locked = due.map((b) => Number(b.booking_seq));
  const result = await tx.updateTable('booking').set(flip).where('booking_seq', 'in', locked).where('used_pass', '=', 0).executeTakeFirst();
  // The rows are locked since the SELECT: anything else means the lock did not hold.
  if (Number(result.numUpdatedRows) !== due.length) throw new Error(`flipped ${result.numUpdatedRows} of ${due.length} locked bookings`);
  return due.map((b) => Number(b.pass_seq));
}

/**
 * Takes uses off many passes in one UPDATE: `usesByPass` maps a pass to how many uses go, never
 * below 0 and never from an unlimited pass (NULL stays NULL). The database does the arithmetic
 * under the rows' locks, so concurrent deductions add up. Passes are
 * grouped by their count (CASE WHEN pass_seq IN (...) THEN k ...), so the statement stays short.
 */
export async function deductUsesFromPasses(tx: PassTx, dialect: Dialect, usesByPass: ReadonlyMap<number, number>, now: Date): Promise<void> {
  const passesByUses = new Map<number, number[]>();
  for (const [passSeq, uses] of usesByPass) {
    if (uses <= 0) continue;
    const group = passesByUses.get(uses) ?? [];
    group.push(passSeq);
    passesByUses.set(uses, group);
  }
  if (!passesByUses.size) return;
  const passSeqs = [...passesByUses.values()].flat().sort((a, b) => a - b);
  const uses = sql.join(
    [...passesByUses].map(([k, seqs]) => sql`WHEN ${sql.ref('pass_seq')} IN (${sql.join(seqs)}) THEN ${sql.lit(k)}`),
    sql` `,
  );
  await tx
    .updateTable('pass')
    .set({
      remaining_count: greatest(dialect, sql`${sql.ref('remaining_count')} - (CASE ${uses} ELSE 0 END)`, 0),
      modified_at: toDbTime(now),
    })
    .where('pass_seq', 'in', passSeqs)
    .where('remaining_count', 'is not', null)
    .execute();
}

/** Whole days after `from`, as an instant (Seoul has no daylight saving, and UTC days are exact). */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 86_400_000);
}
