// What goes with a member or with one of their passes: deactivating a member (memberChanges.ts)
// and cancelling a pass (passCancel.ts) cancel the bookings still to come that they hold, without
// taking a use, give up their places on the waitlists of classes still to come, tell the member of
// each through the outbox and move the first waiting member into each place freed, as a
// cancellation at the desk does; all in the caller's transaction.
//
// Locks as every booking does: the classes first (by class_seq), then the member's bookings. A
// booking another desk commits meanwhile in a class not locked is found by the locking read of the
// bookings (which sees the latest committed rows): the transaction is rolled back and done again,
// that class now locked first (`retryWhenBookedMeanwhile`).
import { forUpdate, fromDbTime } from '../batch/index.ts';
import type { NotificationEvent } from '../pass/schema.ts';
import { cancelWithoutUse, promoteFirstWaiting, recordRemoval, type Removal } from './classes.ts';
import type { HandlerContext } from './context.ts';
import { conflict } from './errors.ts';
import { dateTimeText, tell } from './memberNotices.ts';
import { upcomingBookingsOf, upcomingWaitsOf } from './members.ts';
import { num, type Executor } from './tables.ts';

/** A member's bookings and waitlist places still to come, or those made with one pass of theirs. */
export interface ReleaseScope {
  userId: string;
  passSeq?: number;
}

/** Why they go: the waitlist's record, the message's event and its words for a booking and for a waitlist place ("… 수업"). */
export interface ReleaseWhy {
  removal: Removal;
  event: NotificationEvent;
  booking: (what: string) => string;
  waiting: (what: string) => string;
}

export type ClassToFree = { class_seq: number; title: string; started_at: string; ended_at: string; capacity: number; cancelled_at: string | null };

/** A booking found after locking the classes found before, in a class not locked: start over. */
class BookedMeanwhile extends Error {}
/** Starting over when a booking comes in meanwhile (MySQL; SQLite has one writer, so never). */
const ATTEMPTS = 5;

/** `change` in a transaction of its own, done again (at most five times) when a booking came in meanwhile; `gaveUp` says what was not done. */
export async function retryWhenBookedMeanwhile<T>(ctx: HandlerContext, change: (tx: Executor) => Promise<T>, gaveUp: { ko: string; en: string }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(change);
    } catch (error) {
      if (!(error instanceof BookedMeanwhile)) throw error;
      if (attempt >= ATTEMPTS) throw conflict(gaveUp);
    }
  }
}

const bookingsIn = (tx: Executor, scope: ReleaseScope, now: Date) => {
  const q = upcomingBookingsOf(tx, scope.userId, now);
  return scope.passSeq === undefined ? q : q.where('booking.pass_seq', '=', scope.passSeq);
};

const waitsIn = (tx: Executor, scope: ReleaseScope, now: Date) => {
  const q = upcomingWaitsOf(tx, scope.userId, now);
  return scope.passSeq === undefined ? q : q.where('class_waitlist.pass_seq', '=', scope.passSeq);
};

/** The classes of the bookings and waitlist places in `scope` still to come, locked in class_seq order. */
export async function lockClassesToFree(ctx: HandlerContext, tx: Executor, scope: ReleaseScope): Promise<Map<number, ClassToFree>> {
  const booked = await bookingsIn(tx, scope, ctx.now).select('booking.class_seq').where('booking.class_seq', 'is not', null).execute();
  const waiting = await waitsIn(tx, scope, ctx.now).select('class_waitlist.class_seq').execute();
  const seqs = [...new Set([...booked, ...waiting].map((r) => num(r.class_seq)))].sort((a, b) => a - b);
  const classes = new Map<number, ClassToFree>();
  for (const seq of seqs) {
    const cls = await forUpdate(ctx.database.dialect, tx.selectFrom('gym_class').select(['class_seq', 'title', 'started_at', 'ended_at', 'capacity', 'cancelled_at']).where('class_seq', '=', seq)).executeTakeFirst();
    if (cls) classes.set(seq, cls);
  }
  return classes;
}

/**
 * The bookings in `scope` still to come cancelled without taking a use (used_pass stays 0, the pass
 * untouched), their waitlist places taken off (each recorded for the class dialog), the member told
 * of each (one `why.event` row per booking or place, keyed `booking:<seq>` / `waitlist:<seq>`, as a
 * class cancellation's: a booking is cancelled and a place given up only once, so never told twice),
 * and into each place freed the first waiting member moved (and told). `classes` are those locked
 * by lockClassesToFree.
 */
export async function releaseUpcoming(ctx: HandlerContext, tx: Executor, scope: ReleaseScope, classes: Map<number, ClassToFree>, why: ReleaseWhy) {
  const bookings = await forUpdate(
    ctx.database.dialect,
    bookingsIn(tx, scope, ctx.now).select(['booking.booking_seq', 'booking.class_seq', 'booking.pass_seq', 'booking.started_at']).orderBy('booking.booking_seq'),
  ).execute();
  if (bookings.some((b) => b.class_seq !== null && !classes.has(num(b.class_seq)))) throw new BookedMeanwhile();
  const waiting = await waitsIn(tx, scope, ctx.now)
    .select(['class_waitlist.waitlist_seq', 'class_waitlist.class_seq', 'class_waitlist.user_id', 'class_waitlist.pass_seq', 'class_waitlist.created_at', 'gym_class.title', 'gym_class.started_at'])
    .orderBy('class_waitlist.waitlist_seq')
    .execute();
  await cancelWithoutUse(tx, bookings.map((b) => num(b.booking_seq)), ctx.now);
  for (const w of waiting) await recordRemoval(ctx, tx, num(w.class_seq), w, why.removal);
  const notified = await tellReleased(ctx, tx, scope.userId, why, {
    bookings: bookings.map((b) => {
      const cls = b.class_seq === null ? undefined : classes.get(num(b.class_seq));
      return { bookingSeq: num(b.booking_seq), passSeq: num(b.pass_seq), title: cls?.title ?? null, startedAt: cls?.started_at ?? b.started_at };
    }),
    waiting: waiting.map((w) => ({ waitlistSeq: num(w.waitlist_seq), passSeq: num(w.pass_seq), title: w.title, startedAt: w.started_at })),
  });
  const promoted: Array<{ classSeq: number; userId: string; bookingSeq: number }> = [];
  for (const b of bookings) {
    const cls = b.class_seq === null ? undefined : classes.get(num(b.class_seq));
    if (!cls || cls.cancelled_at !== null) continue;
    const next = await promoteFirstWaiting(ctx, tx, cls);
    if (next) promoted.push({ classSeq: num(cls.class_seq), ...next });
  }
  return {
    bookings: bookings.map((b) => ({ bookingSeq: num(b.booking_seq), classSeq: b.class_seq === null ? null : num(b.class_seq), startedAt: fromDbTime(b.started_at).toISOString() })),
    waitlist: waiting.map((w) => ({ waitlistSeq: num(w.waitlist_seq), classSeq: num(w.class_seq) })),
    promoted,
    notified,
  };
}

/** One outbox row per booking cancelled and waitlist place given up, so that no one comes to a class they are no longer booked into. How many were written. */
async function tellReleased(
  ctx: HandlerContext,
  tx: Executor,
  userId: string,
  why: ReleaseWhy,
  released: {
    bookings: Array<{ bookingSeq: number; passSeq: number; title: string | null; startedAt: string }>;
    waiting: Array<{ waitlistSeq: number; passSeq: number; title: string; startedAt: string }>;
  },
): Promise<number> {
  if (released.bookings.length + released.waiting.length === 0) return 0;
  const member = (await tx.selectFrom('user').select(['user_id', 'user_name', 'meta']).where('user_id', '=', userId).executeTakeFirst()) ?? { user_id: userId, user_name: null, meta: null };
  // a seed booking has no class, so no title: its time alone
  const what = (x: { title: string | null; startedAt: string }) => `${dateTimeText(ctx, x.startedAt)}${x.title === null ? '' : ` ${x.title}`} 수업`;
  const event = why.event;
  return tell(ctx, tx, [
    ...released.bookings.map((b) => ({ to: member, event, targetKey: `booking:${b.bookingSeq}`, bookingSeq: b.bookingSeq, passSeq: b.passSeq, words: why.booking(what(b)) })),
    ...released.waiting.map((w) => ({ to: member, event, targetKey: `waitlist:${w.waitlistSeq}`, bookingSeq: null, passSeq: w.passSeq, words: why.waiting(what(w)) })),
  ]);
}
