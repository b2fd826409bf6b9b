// 수업과 예약 (issue 18, slice 3): classes on the calendar, booking a member into one with one of
// their passes (refused, with the reason, when the pass can't pay for it; the waitlist when the
// class is full), and cancelling (free until the cut-off, later a use taken under the policy),
// which moves the first waiting member in and tells them through the outbox. A class is changed or
// cancelled before it starts and before any member has checked in (a new time is told to everyone
// booked or waiting through the outbox; a cancelled class stays on the calendar, its bookings
// cancelled free, its waitlist emptied, everyone told through the outbox as well). Each change and its
// activity-log row commit in one transaction; the class row is locked first (MySQL: FOR UPDATE;
// SQLite has one writer), so two desks can't both take the last place.
import { getJosaPicker } from 'josa';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { DateTime } from 'luxon';
import { forUpdate, fromDbTime, toDbTime } from '../batch/index.ts';
import { bookingPolicy } from '../pass/bookingPolicy.ts';
import { BookingStatus, LIVE_BOOKING, NotificationEvent, PassStatus, UserStatus, type ClassWaitlistRemovedTable } from '../pass/schema.ts';
import { instant, iso, type HandlerContext } from './context.ts';
import type { BookingOutcome, CancelOutcome, ClassCancelled, ClassDetail, ClassUpdated, ClassView, ParsedInputOf, WaitlistRemovedView } from './contract.ts';
import { conflict, invalid, notFound, ServiceError } from './errors.ts';
import { packageForSale } from './packages.ts';
import { dateTimeText, tell } from './memberNotices.ts';
import { sameMemberId } from './members.ts';
import { num, type Executor, type ServiceTables } from './tables.ts';

/** The longest period one calendar call reads. */
const MAX_RANGE_DAYS = 62;
/** Bookings that take a place in the class (and, unless deducted yet, a use of their pass). */
const subject = getJosaPicker('은');

const classNotFound = (seq: number) => notFound({ ko: `수업 ${seq}`, en: `Class ${seq}` }, 'classSeq');

type ClassRow = { class_seq: number; title: string; instructor: string | null; started_at: string; ended_at: string; capacity: number; series_seq: number | null; cancelled_at: string | null };

async function classViews(db: Executor, rows: ClassRow[]): Promise<ClassView[]> {
  if (rows.length === 0) return [];
  const seqs = rows.map((r) => num(r.class_seq));
  const packages = await db.selectFrom('gym_class_package').select(['class_seq', 'package_seq']).where('class_seq', 'in', seqs).orderBy('package_seq').execute();
  const booked = await db
    .selectFrom('booking')
    .select((eb) => ['class_seq', eb.fn.countAll<number>().as('n')])
    .where('class_seq', 'in', seqs)
    .where('status', 'in', LIVE_BOOKING)
    .groupBy('class_seq')
    .execute();
  const waiting = await db
    .selectFrom('class_waitlist')
    .select((eb) => ['class_seq', eb.fn.countAll<number>().as('n')])
    .where('class_seq', 'in', seqs)
    .groupBy('class_seq')
    .execute();
  const count = (list: Array<{ class_seq: number | null; n: unknown }>, seq: number) => num(list.find((r) => num(r.class_seq) === seq)?.n);
  return rows.map((r) => {
    const seq = num(r.class_seq);
    return {
      classSeq: seq,
      title: r.title,
      instructor: r.instructor,
      startedAt: fromDbTime(r.started_at).toISOString(),
      endedAt: fromDbTime(r.ended_at).toISOString(),
      capacity: num(r.capacity),
      seriesSeq: r.series_seq === null ? null : num(r.series_seq),
      packageSeqs: packages.filter((p) => num(p.class_seq) === seq).map((p) => num(p.package_seq)),
      booked: count(booked, seq),
      waiting: count(waiting, seq),
      cancelledAt: iso(fromDbTime(r.cancelled_at)),
    };
  });
}

const classColumns = ['class_seq', 'title', 'instructor', 'started_at', 'ended_at', 'capacity', 'series_seq', 'cancelled_at'] as const;

export async function listClasses(ctx: HandlerContext, input: ParsedInputOf<'classes.list'>): Promise<ClassView[]> {
  const from = instant(ctx, 'from', input.from);
  const to = instant(ctx, 'to', input.to);
  if (to <= from) throw invalid('to', { ko: '끝은 시작보다 뒤여야 합니다', en: 'must be after from' });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw invalid('to', { ko: `한 번에 ${MAX_RANGE_DAYS}일까지 볼 수 있습니다`, en: `may be at most ${MAX_RANGE_DAYS} days after from` });
  }
  const rows = await ctx.db
    .selectFrom('gym_class')
    .select(classColumns)
    .where('started_at', '>=', toDbTime(from))
    .where('started_at', '<', toDbTime(to))
    .orderBy('started_at')
    .orderBy('class_seq')
    .limit(2000)
    .execute();
  return classViews(ctx.db, rows);
}

export async function classDetail(db: Executor, seq: number): Promise<ClassDetail> {
  const row = await db.selectFrom('gym_class').select(classColumns).where('class_seq', '=', seq).executeTakeFirst();
  if (!row) throw classNotFound(seq);
  const [view] = await classViews(db, [row]);
  const bookings = await db
    .selectFrom('booking')
    .leftJoin('user', 'user.user_id', 'booking.user_id')
    .select(['booking.booking_seq', 'booking.user_id', 'user.user_name', 'booking.pass_seq', 'booking.status', 'booking.attended', 'booking.attended_at', 'booking.used_pass', 'booking.cancelled_at'])
    .where('booking.class_seq', '=', seq)
    .orderBy('booking.booking_seq')
    .execute();
  const waitlist = await db
    .selectFrom('class_waitlist')
    .leftJoin('user', 'user.user_id', 'class_waitlist.user_id')
    .select(['class_waitlist.waitlist_seq', 'class_waitlist.user_id', 'user.user_name', 'class_waitlist.pass_seq', 'class_waitlist.created_at'])
    .where('class_waitlist.class_seq', '=', seq)
    .orderBy('class_waitlist.waitlist_seq')
    .execute();
  return {
    class: view!,
    bookings: bookings.map((b) => ({
      bookingSeq: num(b.booking_seq),
      userId: b.user_id,
      userName: b.user_name ?? null,
      passSeq: num(b.pass_seq),
      status: b.status,
      attended: num(b.attended) === 1,
      attendedAt: iso(fromDbTime(b.attended_at)),
      usedPass: num(b.used_pass) === 1,
      cancelledAt: iso(fromDbTime(b.cancelled_at)),
    })),
    waitlist: waitlist.map((w) => ({
      waitlistSeq: num(w.waitlist_seq),
      userId: w.user_id,
      userName: w.user_name ?? null,
      passSeq: num(w.pass_seq),
      createdAt: fromDbTime(w.created_at).toISOString(),
    })),
    removedFromWaitlist: await removedFromWaitlist(db, seq),
    cancelPolicy: await cancelPolicyOf(db),
  };
}

/** The part of the booking policy a booking's cancellation follows, as the class's detail tells it. */
async function cancelPolicyOf(db: Executor): Promise<ClassDetail['cancelPolicy']> {
  const policy = await bookingPolicy(db);
  return { cutoffMinutes: policy.cancelCutoffMinutes, lateCancelCountsAsUse: policy.lateCancelCountsAsUse };
}

export function getClass(ctx: HandlerContext, input: ParsedInputOf<'classes.get'>): Promise<ClassDetail> {
  return classDetail(ctx.db, input.classSeq);
}

/** One class, or the same weekday and wall-clock time for `repeatWeeks` weeks (in the gym's zone, so a DST change keeps 19:00). */
export async function createClasses(ctx: HandlerContext, input: ParsedInputOf<'classes.create'>): Promise<ClassView[]> {
  const startedAt = instant(ctx, 'startedAt', input.startedAt);
  const endedAt = instant(ctx, 'endedAt', input.endedAt);
  if (endedAt <= startedAt) throw invalid('endedAt', { ko: '끝나는 시각은 시작 시각보다 뒤여야 합니다', en: 'must be after startedAt' });
  refuseDayLong(startedAt, endedAt);
  // a weekly series is judged by its first class: the later ones are after it
  if (startedAt < ctx.now) throw pastStart(ctx, startedAt);
  const weeks = input.repeatWeeks ?? 1;
  const packageSeqs = [...new Set(input.packageSeqs)];
  return ctx.db.transaction().execute(async (tx) => {
    for (const [i, packageSeq] of packageSeqs.entries()) {
      await packageForSale(tx, packageSeq, `packageSeqs.${i}`);
    }
    const created: number[] = [];
    const start = DateTime.fromJSDate(startedAt, { zone: ctx.timeZone });
    const length = endedAt.getTime() - startedAt.getTime();
    for (let week = 0; week < weeks; week++) {
      const s = week === 0 ? startedAt : start.plus({ weeks: week }).toJSDate();
      const result = await tx
        .insertInto('gym_class')
        .values({
          title: input.title,
          instructor: input.instructor ? input.instructor : null,
          started_at: toDbTime(s),
          ended_at: toDbTime(new Date(s.getTime() + length)),
          capacity: input.capacity,
          series_seq: created[0] ?? null,
          created_at: toDbTime(ctx.now),
          modified_at: null,
        })
        .executeTakeFirst();
      const seq = num(result.insertId);
      created.push(seq);
      for (const packageSeq of packageSeqs) await tx.insertInto('gym_class_package').values({ class_seq: seq, package_seq: packageSeq, created_at: toDbTime(ctx.now) }).execute();
    }
    if (weeks > 1) await tx.updateTable('gym_class').set({ series_seq: created[0]! }).where('class_seq', '=', created[0]!).execute();
    await ctx.audit({ action: 'classes.create', target: `class:${created[0]}`, detail: { ...input, classSeqs: created } }, tx);
    const rows = await tx.selectFrom('gym_class').select(classColumns).where('class_seq', 'in', created).orderBy('started_at').execute();
    return classViews(tx, rows);
  });
}

/**
 * A class is shorter than a day. The class form has a day, a start time and an end time, an end
 * earlier than the start being on the next day (23:30–00:30): it can't say 24 hours or more (an
 * end 24 hours on reads as the start's own time, a class of no length), and no gym class lasts a
 * day, so the service refuses one too, and the form shows every class as it is.
 */
function refuseDayLong(startedAt: Date, endedAt: Date): void {
  if (endedAt.getTime() - startedAt.getTime() < 86_400_000) return;
  throw invalid('endedAt', { ko: '수업은 24시간보다 짧아야 합니다. 끝나는 시각을 확인하세요', en: 'a class must be shorter than 24 hours; check the end time' });
}

/** A class can't be put before now: the desk would book no one into it, and the jobs would settle it at once. */
const pastStart = (ctx: HandlerContext, startedAt: Date) => {
  const at = DateTime.fromJSDate(startedAt, { zone: ctx.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  const now = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  return invalid('startedAt', { ko: `이미 지난 시각입니다(${at}, 지금 ${now}). 지금 이후로 정하세요`, en: `${at} has already passed (it is ${now} now); choose a later start` });
};

const date = (ctx: HandlerContext, at: Date | string) => DateTime.fromJSDate(typeof at === 'string' ? fromDbTime(at) : at, { zone: ctx.timeZone }).toFormat('yyyy-MM-dd');
/**
 * Why `passSeq` can't pay for a class at `classStart`, in words; null when it can. A pass pays
 * when it is the member's, of a package the class takes, not expired, started by then and not
 * ended, and has a use left after the bookings it already pays for that are not deducted yet.
 */
async function passRefusal(
  ctx: HandlerContext,
  tx: Executor,
  cls: { class_seq: number; started_at: string },
  userId: string,
  passSeq: number,
): Promise<{ ko: string; en: string } | null> {
  const pass = await forUpdate(
    ctx.database.dialect,
    tx.selectFrom('pass').select(['pass_seq', 'user_id', 'package_seq', 'status', 'remaining_count', 'started_at', 'ended_at']).where('pass_seq', '=', passSeq),
  ).executeTakeFirst();
  if (!pass || !sameMemberId(pass.user_id, userId)) return { ko: `이용권 ${passSeq}${subject(String(passSeq))} 이 회원의 이용권이 아닙니다.`, en: `Pass ${passSeq} is not this member's.` };
  const allowed = await tx.selectFrom('gym_class_package').select('package_seq').where('class_seq', '=', cls.class_seq).where('package_seq', '=', pass.package_seq).executeTakeFirst();
  if (!allowed) return { ko: '이 이용권의 패키지로는 이 수업을 예약할 수 없습니다.', en: "This class can't be booked with this pass's package." };
  const classStart = fromDbTime(cls.started_at);
  if (pass.status === PassStatus.EXPIRED) return { ko: '만료된 이용권입니다.', en: 'The pass has expired.' };
  if (pass.status === PassStatus.CANCELLED) return { ko: '취소된 이용권입니다.', en: 'The pass was cancelled.' };
  if (fromDbTime(pass.started_at) > classStart) {
    return { ko: `이용권이 ${date(ctx, pass.started_at)}부터 쓸 수 있어 수업 날에는 아직 쓸 수 없습니다.`, en: `The pass starts on ${date(ctx, pass.started_at)}, after the class.` };
  }
  if (pass.ended_at !== null && fromDbTime(pass.ended_at) <= classStart) {
    // at the time of day it started: a pass from 09:00 ends at 09:00 of its last day
    const end = DateTime.fromJSDate(fromDbTime(pass.ended_at), { zone: ctx.timeZone });
    const midnight = end.hour === 0 && end.minute === 0;
    const classAt = DateTime.fromJSDate(classStart, { zone: ctx.timeZone }).toFormat('yyyy-MM-dd HH:mm');
    return {
      ko: `이용권이 ${end.toFormat(midnight ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:mm')}에 끝나 ${classAt} 수업에는 쓸 수 없습니다.`,
      en: `The pass ends ${midnight ? `on ${end.toFormat('yyyy-MM-dd')}` : `at ${end.toFormat('HH:mm')} on ${end.toFormat('yyyy-MM-dd')}`}, before the class at ${classAt}.`,
    };
  }
  if (pass.remaining_count !== null) {
    const pending = await tx
      .selectFrom('booking')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pass_seq', '=', passSeq)
      .where('status', 'in', LIVE_BOOKING)
      .where('used_pass', '=', 0)
      .executeTakeFirst();
    const uses = num(pass.remaining_count);
    const booked = num(pending?.n);
    // a pass used up before the nightly expiry has marked it: no uses, nothing holding them
    if (uses <= 0) return { ko: '이용권의 잔여 횟수가 없습니다.', en: 'The pass has no uses left.' };
    if (uses - booked <= 0) {
      return {
        ko: `이용권의 잔여 횟수(${uses}회)가 이미 예약된 수업 ${booked}개로 모두 잡혀 있습니다.`,
        en:
          uses === 1
            ? `The pass has 1 use left, taken by ${booked === 1 ? 'another booking' : `${booked} other bookings`} not deducted yet.`
            : `The pass has ${uses} uses left, all taken by ${booked} other bookings not deducted yet.`,
      };
    }
  }
  return null;
}

async function lockClass(ctx: HandlerContext, tx: Executor, seq: number) {
  const cls = await forUpdate(ctx.database.dialect, tx.selectFrom('gym_class').select(['class_seq', 'title', 'instructor', 'started_at', 'ended_at', 'capacity', 'cancelled_at']).where('class_seq', '=', seq)).executeTakeFirst();
  if (!cls) throw classNotFound(seq);
  return cls;
}

const liveBookings = async (tx: Executor, classSeq: number) =>
  num((await tx.selectFrom('booking').select((eb) => eb.fn.countAll<number>().as('n')).where('class_seq', '=', classSeq).where('status', 'in', LIVE_BOOKING).executeTakeFirst())?.n);

export async function book(ctx: HandlerContext, input: ParsedInputOf<'bookings.create'>): Promise<BookingOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const cls = await lockClass(ctx, tx, input.classSeq);
    refuseCancelled(ctx, cls, { ko: '예약할', en: 'booked' });
    if (fromDbTime(cls.started_at) <= ctx.now) {
      throw conflict({ ko: `수업이 ${dateTimeText(ctx, cls.started_at)}에 이미 시작해 예약할 수 없습니다.`, en: `The class started at ${dateTimeText(ctx, cls.started_at)}; it can't be booked any more.` });
    }
    // the member's row locked after the class's, before anything else is read (MySQL: FOR UPDATE):
    // two desks booking one member into two classes at once take turns, and the second's reads
    // below see the booking the first made
    const member = await forUpdate(ctx.database.dialect, tx.selectFrom('user').select(['user_id', 'user_name', 'status']).where('user_id', '=', input.userId)).executeTakeFirst();
    if (!member || !sameMemberId(member.user_id, input.userId)) throw notFound({ ko: `회원 ${input.userId}`, en: `Member ${input.userId}` }, 'userId');
    if (member.status !== UserStatus.ACTIVE) {
      throw conflict({ ko: `회원 ${member.user_name}(${member.user_id})${subject(member.user_id)} 휴면이라 예약할 수 없습니다.`, en: `Member ${member.user_name} (${member.user_id}) is inactive and can't book.` });
    }
    const already = await tx.selectFrom('booking').select('booking_seq').where('class_seq', '=', cls.class_seq).where('user_id', '=', member.user_id).where('status', 'in', LIVE_BOOKING).executeTakeFirst();
    const waiting = await tx.selectFrom('class_waitlist').select('waitlist_seq').where('class_seq', '=', cls.class_seq).where('user_id', '=', member.user_id).executeTakeFirst();
    if (already || waiting) {
      throw conflict({
        ko: `회원 ${member.user_name}(${member.user_id})${subject(member.user_id)} 이미 이 수업을 ${already ? '예약했습니다' : '대기 중입니다'}.`,
        en: `Member ${member.user_name} (${member.user_id}) is already ${already ? 'booked into' : 'waiting for'} this class.`,
      });
    }
    // one class at a time: its waitlist is refused too, as its place could never be taken while
    // the other booking stands (overlapping waitlists are not: whichever place comes first is taken)
    const clash = await overlappingBooking(tx, member.user_id, cls);
    if (clash) {
      const other = otherClass(ctx, clash);
      throw conflict({
        ko: `회원 ${member.user_name}(${member.user_id})${subject(member.user_id)} 이 수업과 시간이 겹치는 ${other.ko}에 이미 예약되어 있습니다. 이 수업을 예약하려면 먼저 그 예약을 취소하세요.`,
        en: `Member ${member.user_name} (${member.user_id}) is already booked into ${other.en}, which overlaps this class; cancel that booking first to book this one.`,
      });
    }
    const refusal = await passRefusal(ctx, tx, cls, member.user_id, input.passSeq);
    if (refusal) throw new ServiceError('CONFLICT', refusal, 'passSeq');
    if ((await liveBookings(tx, cls.class_seq)) >= num(cls.capacity)) {
      await tx.insertInto('class_waitlist').values({ class_seq: cls.class_seq, user_id: member.user_id, pass_seq: input.passSeq, created_at: toDbTime(ctx.now) }).execute();
      const position = num((await tx.selectFrom('class_waitlist').select((eb) => eb.fn.countAll<number>().as('n')).where('class_seq', '=', cls.class_seq).executeTakeFirst())?.n);
      await ctx.audit({ action: 'bookings.waitlist', target: `class:${cls.class_seq}`, detail: { ...input, position } }, tx);
      return { outcome: 'WAITLISTED', bookingSeq: null, waitlistPosition: position, detail: await classDetail(tx, cls.class_seq) };
    }
    const bookingSeq = await insertBooking(ctx, tx, cls, member.user_id, input.passSeq);
    await ctx.audit({ action: 'bookings.create', target: `booking:${bookingSeq}`, detail: { ...input, bookingSeq } }, tx);
    return { outcome: 'BOOKED', bookingSeq, waitlistPosition: null, detail: await classDetail(tx, cls.class_seq) };
  });
}

async function insertBooking(ctx: HandlerContext, tx: Executor, cls: { class_seq: number; started_at: string; ended_at: string }, userId: string, passSeq: number): Promise<number> {
  const result = await tx
    .insertInto('booking')
    .values({
      pass_seq: passSeq,
      user_id: userId,
      status: BookingStatus.READY,
      started_at: cls.started_at,
      ended_at: cls.ended_at,
      cancelled_at: null,
      class_seq: num(cls.class_seq),
      created_at: toDbTime(ctx.now),
      modified_at: null,
    })
    .executeTakeFirst();
  return num(result.insertId);
}

export async function cancelBooking(ctx: HandlerContext, input: ParsedInputOf<'bookings.cancel'>): Promise<CancelOutcome> {
  const policy = await bookingPolicy(ctx.db);
  // the booking's class (which never changes) read before the transaction, so the transaction's
  // first plain read comes after its locks (MySQL's snapshot): the promotion below sees what
  // another desk committed meanwhile, a member booked elsewhere or a waiting member moved in
  const found = await ctx.db.selectFrom('booking').select(['booking_seq', 'class_seq']).where('booking_seq', '=', input.bookingSeq).executeTakeFirst();
  if (!found) throw notFound({ ko: `수업 예약 ${input.bookingSeq}`, en: `Booking ${input.bookingSeq}` }, 'bookingSeq');
  return ctx.db.transaction().execute(async (tx) => {
    // the class first, then the booking: the order every booking takes its locks in
    const cls = found.class_seq === null ? null : await lockClass(ctx, tx, num(found.class_seq));
    const booking = await forUpdate(
      ctx.database.dialect,
      tx.selectFrom('booking').select(['booking_seq', 'pass_seq', 'user_id', 'status', 'started_at']).where('booking_seq', '=', input.bookingSeq),
    ).executeTakeFirstOrThrow();
    if (booking.status !== BookingStatus.READY) {
      throw conflict({
        ko: booking.status === BookingStatus.CANCELLED ? `수업 예약 ${booking.booking_seq}${subject(String(booking.booking_seq))} 이미 취소되었습니다.` : `수업 예약 ${booking.booking_seq}의 수업이 이미 시작했거나 끝나 취소할 수 없습니다.`,
        en: booking.status === BookingStatus.CANCELLED ? `Booking ${booking.booking_seq} is already cancelled.` : `Booking ${booking.booking_seq}'s class has started or ended; it can't be cancelled.`,
      });
    }
    const start = fromDbTime(booking.started_at);
    if (start <= ctx.now) {
      throw conflict({ ko: `수업이 ${dateTimeText(ctx, booking.started_at)}에 이미 시작해 취소할 수 없습니다.`, en: `The class started at ${dateTimeText(ctx, booking.started_at)}; the booking can't be cancelled any more.` });
    }
    const late = ctx.now.getTime() > start.getTime() - policy.cancelCutoffMinutes * 60_000;
    const countedAsUse = late && policy.lateCancelCountsAsUse;
    await tx
      .updateTable('booking')
      .set({ status: BookingStatus.CANCELLED, cancelled_at: toDbTime(ctx.now), modified_at: toDbTime(ctx.now), ...(countedAsUse ? { used_pass: 1 } : {}) })
      .where('booking_seq', '=', booking.booking_seq)
      .execute();
    if (countedAsUse) {
      // as usePassesJob deducts: one use, never below 0, an unlimited pass untouched
      await tx
        .updateTable('pass')
        .set((eb) => ({ remaining_count: eb('remaining_count', '-', 1), modified_at: toDbTime(ctx.now) }))
        .where('pass_seq', '=', booking.pass_seq)
        .where('remaining_count', '>', 0)
        .execute();
    }
    const promoted = cls ? await promoteFirstWaiting(ctx, tx, cls) : null;
    await ctx.audit(
      {
        action: 'bookings.cancel',
        target: `booking:${booking.booking_seq}`,
        detail: { ...input, late, countedAsUse, ...(promoted ? { promoted } : {}), cutoffMinutes: policy.cancelCutoffMinutes },
      },
      tx,
    );
    return { bookingSeq: num(booking.booking_seq), late, countedAsUse, promoted, detail: cls ? await classDetail(tx, num(cls.class_seq)) : null };
  });
}

/**
 * The first waiting member who can move in is booked into the place just freed and told so
 * through the outbox (one notification per booking, sent with the class reminders). Those waiting
 * before them who can't any more (booked into another class at the same time, or their pass no
 * longer pays for this one) are not passed over at every place that opens: each is taken off the
 * list, told why and recorded (takeOffWaitlist). A member who is not active is passed over.
 */
export async function promoteFirstWaiting(
  ctx: HandlerContext,
  tx: Executor,
  cls: { class_seq: number; title: string; started_at: string; ended_at: string; capacity: number },
): Promise<{ userId: string; bookingSeq: number } | null> {
  const { waiting, member } = await lockWaiting(ctx, tx, cls.class_seq);
  if (waiting.length === 0 || (await liveBookings(tx, cls.class_seq)) >= num(cls.capacity)) return null;
  for (const w of waiting) {
    const m = member(w.user_id);
    if (!m || m.status !== UserStatus.ACTIVE) continue;
    const cannot = await whyCannotMoveIn(ctx, tx, cls, w);
    if (cannot) {
      await takeOffWaitlist(ctx, tx, cls, w, m, cannot);
      continue;
    }
    const bookingSeq = await insertBooking(ctx, tx, cls, w.user_id, num(w.pass_seq));
    await tx.deleteFrom('class_waitlist').where('waitlist_seq', '=', w.waitlist_seq).execute();
    await tell(ctx, tx, [
      {
        to: m,
        event: NotificationEvent.WAITLIST_BOOKED,
        targetKey: `booking:${bookingSeq}`,
        bookingSeq,
        passSeq: num(w.pass_seq),
        words: `대기하시던 ${dateTimeText(ctx, cls.started_at)} ${cls.title} 수업에 자리가 나 예약되었습니다.`,
      },
    ]);
    return { userId: w.user_id, bookingSeq };
  }
  return null;
}

type Waiting = { waitlist_seq: number; user_id: string; pass_seq: number; created_at: string };
/** Why a member was taken off a waitlist, as the class dialog and the activity log say it. */
export type Removal = { reason: ClassWaitlistRemovedTable['reason']; why: { ko: string; en: string } };

/**
 * The class's waitlist, first come first, and its members, their rows locked before anything else
 * is read (MySQL: FOR UPDATE, the waitlist after its class, the members in one statement in the
 * order of their ids, as a booking locks its member): a desk booking one of them elsewhere at the
 * same time waits, or has committed and is seen.
 */
async function lockWaiting(ctx: HandlerContext, tx: Executor, classSeq: number) {
  const waiting: Waiting[] = await forUpdate(
    ctx.database.dialect,
    tx.selectFrom('class_waitlist').select(['waitlist_seq', 'user_id', 'pass_seq', 'created_at']).where('class_seq', '=', classSeq).orderBy('waitlist_seq'),
  ).execute();
  const ids = [...new Set(waiting.map((w) => w.user_id))];
  const members = ids.length
    ? await forUpdate(ctx.database.dialect, tx.selectFrom('user').select(['user_id', 'user_name', 'status', 'meta']).where('user_id', 'in', ids).orderBy('user_id')).execute()
    : [];
  return { waiting, member: (userId: string) => members.find((m) => m.user_id === userId) };
}

/**
 * One member, one class at a time: a live booking (READY, PROGRESSED or COMPLETED) of another class
 * than `cls`, or a seed booking with none, at a time overlapping `cls`'s; a class ending as the
 * other starts does not overlap. The one condition for a booking (book), a waiting member moving in
 * (promoteFirstWaiting) and a class moved with members booked into it (updateClass).
 */
function overlapsClass(cls: { class_seq: number; started_at: string; ended_at: string }) {
  const [start, end] = [toDbTime(fromDbTime(cls.started_at)), toDbTime(fromDbTime(cls.ended_at))];
  return (eb: ExpressionBuilder<ServiceTables, 'booking'>): Expression<SqlBool> =>
    eb.and([
      eb('booking.status', 'in', LIVE_BOOKING),
      eb.or([eb('booking.class_seq', 'is', null), eb('booking.class_seq', '!=', num(cls.class_seq))]),
      eb('booking.started_at', '<', end),
      eb('booking.ended_at', '>', start),
    ]);
}

/** The member's booking overlapping `cls` (overlapsClass), the earliest; undefined when none. */
async function overlappingBooking(tx: Executor, userId: string, cls: { class_seq: number; started_at: string; ended_at: string }) {
  return tx
    .selectFrom('booking')
    .leftJoin('gym_class', 'gym_class.class_seq', 'booking.class_seq')
    .select(['booking.booking_seq', 'booking.started_at', 'booking.ended_at', 'gym_class.title'])
    .where('booking.user_id', '=', userId)
    .where(overlapsClass(cls))
    .orderBy('booking.started_at')
    .executeTakeFirst();
}

/** A class's time in the gym's zone: 2026-12-10 19:00–20:00 (the end's date too when it is another day). */
function timeSpan(ctx: HandlerContext, at: { started_at: string; ended_at: string }): string {
  const start = DateTime.fromJSDate(fromDbTime(at.started_at), { zone: ctx.timeZone });
  const end = DateTime.fromJSDate(fromDbTime(at.ended_at), { zone: ctx.timeZone });
  return `${start.toFormat('yyyy-MM-dd HH:mm')}–${end.toFormat(start.hasSame(end, 'day') ? 'HH:mm' : 'yyyy-MM-dd HH:mm')}`;
}

/** The other class in words: its title and when ('요가 기초' 2026-12-10 19:00–20:00). */
function otherClass(ctx: HandlerContext, other: { booking_seq: number; started_at: string; ended_at: string; title: string | null }): { ko: string; en: string } {
  const when = timeSpan(ctx, other);
  return other.title === null
    ? { ko: `수업 예약 ${other.booking_seq}(${when})`, en: `booking ${other.booking_seq} (${when})` }
    : { ko: `'${other.title}' 수업(${when})`, en: `'${other.title}' (${when})` };
}

/** Why a waiting member can't move into `cls` now: booked elsewhere at the time, or their pass no longer pays; null when they can. */
async function whyCannotMoveIn(ctx: HandlerContext, tx: Executor, cls: { class_seq: number; started_at: string; ended_at: string }, w: Waiting): Promise<Removal | null> {
  const clash = await overlappingBooking(tx, w.user_id, cls);
  if (clash) {
    const other = otherClass(ctx, clash);
    return { reason: 'OVERLAP', why: { ko: `시간이 겹치는 ${other.ko}에 예약되어 있습니다.`, en: `Booked into ${other.en}, which overlaps this class.` } };
  }
  const refusal = await passRefusal(ctx, tx, cls, w.user_id, num(w.pass_seq));
  return refusal ? { reason: 'PASS', why: refusal } : null;
}

/**
 * Takes one member off the waitlist and keeps why, for the class dialog (removedFromWaitlist):
 * here, and when a member is deactivated (memberChanges.ts, reason INACTIVE).
 */
export async function recordRemoval(ctx: HandlerContext, tx: Executor, classSeq: number, w: Waiting, removal: Removal): Promise<void> {
  await tx.deleteFrom('class_waitlist').where('waitlist_seq', '=', w.waitlist_seq).execute();
  await tx
    .insertInto('class_waitlist_removed')
    .values({
      class_seq: classSeq,
      user_id: w.user_id,
      pass_seq: num(w.pass_seq),
      waited_since: toDbTime(fromDbTime(w.created_at)),
      reason: removal.reason,
      reason_ko: removal.why.ko.slice(0, 500),
      reason_en: removal.why.en.slice(0, 500),
      created_at: toDbTime(ctx.now),
    })
    .execute();
}

/**
 * A waiting member who could no longer move in, taken off the list for good rather than passed
 * over at every place that opens: recorded for the class dialog, told why through the outbox
 * (WAITLIST_REMOVED, one per waitlist place, sent with the class reminders) and audited
 * (waitlist.takenOff, on the class, beside the change that found it).
 */
async function takeOffWaitlist(
  ctx: HandlerContext,
  tx: Executor,
  cls: { class_seq: number; title: string; started_at: string },
  w: Waiting,
  member: { user_name: string; meta: string | null },
  removal: Removal,
): Promise<void> {
  await recordRemoval(ctx, tx, num(cls.class_seq), w, removal);
  await tell(ctx, tx, [
    {
      to: { user_id: w.user_id, ...member },
      event: NotificationEvent.WAITLIST_REMOVED,
      targetKey: `waitlist:${w.waitlist_seq}`,
      bookingSeq: null,
      passSeq: num(w.pass_seq),
      words: `대기하시던 ${dateTimeText(ctx, cls.started_at)} ${cls.title} 수업에 예약해 드릴 수 없어 대기 명단에서 제외되었습니다. ${removal.why.ko}`,
    },
  ]);
  await ctx.audit(
    { action: 'waitlist.takenOff', target: `class:${cls.class_seq}`, detail: { classSeq: num(cls.class_seq), waitlistSeq: num(w.waitlist_seq), userId: w.user_id, passSeq: num(w.pass_seq), reason: removal.reason, why: removal.why } },
    tx,
  );
}

/**
 * After a class is changed: each waiting member whose pass is of a package the class no longer
 * takes is taken off the list now and told why, as when a place opens and they can't move in,
 * rather than waiting on for a place they could never take. (Refusing the edit instead, as for a
 * booking, would only make the desk take them off one by one, and no one would tell them.)
 */
async function takeOffWaitingWithoutPackage(ctx: HandlerContext, tx: Executor, cls: { class_seq: number; title: string; started_at: string }): Promise<void> {
  const stranded = await tx
    .selectFrom('class_waitlist')
    .innerJoin('pass', 'pass.pass_seq', 'class_waitlist.pass_seq')
    .leftJoin('package', 'package.package_seq', 'pass.package_seq')
    .leftJoin('gym_class_package', (join) => join.onRef('gym_class_package.package_seq', '=', 'pass.package_seq').on('gym_class_package.class_seq', '=', num(cls.class_seq)))
    .select(['class_waitlist.waitlist_seq', 'package.package_name'])
    .where('class_waitlist.class_seq', '=', num(cls.class_seq))
    .where('gym_class_package.package_seq', 'is', null)
    .execute();
  if (stranded.length === 0) return;
  const { waiting, member } = await lockWaiting(ctx, tx, num(cls.class_seq));
  for (const w of waiting) {
    const s = stranded.find((x) => num(x.waitlist_seq) === num(w.waitlist_seq));
    const m = member(w.user_id);
    if (!s || !m) continue;
    const name = s.package_name ?? '?';
    await takeOffWaitlist(ctx, tx, cls, w, m, {
      reason: 'PASS',
      why: { ko: `이 수업에서 이용권의 패키지 '${name}'${subject(name)} 빠져 그 이용권으로는 예약할 수 없습니다.`, en: `The class no longer takes '${name}' passes, the package of the pass they waited with.` },
    });
  }
}

/**
 * The members taken off the class's waitlist, and why, first taken first; each `told` when the
 * outbox holds the message written with its removal (same member, pass and moment; the removal
 * record keeps no waitlist key), read rather than guessed from the reason, since deactivations
 * were not always told.
 */
async function removedFromWaitlist(db: Executor, classSeq: number): Promise<WaitlistRemovedView[]> {
  const rows = await db
    .selectFrom('class_waitlist_removed as r')
    .leftJoin('user', 'user.user_id', 'r.user_id')
    .select(['r.user_id', 'user.user_name', 'r.pass_seq', 'r.reason', 'r.reason_ko', 'r.reason_en', 'r.waited_since', 'r.created_at'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('notification as n')
            .select('n.notification_seq')
            .whereRef('n.user_id', '=', 'r.user_id')
            .whereRef('n.pass_seq', '=', 'r.pass_seq')
            .whereRef('n.created_at', '=', 'r.created_at')
            .where('n.event', 'in', [NotificationEvent.WAITLIST_REMOVED, NotificationEvent.MEMBER_DEACTIVATED, NotificationEvent.PASS_CANCELLED])
            .where('n.target_key', 'like', 'waitlist:%'),
        )
        .as('told'),
    )
    .where('r.class_seq', '=', classSeq)
    .orderBy('r.removed_seq')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    userName: r.user_name ?? null,
    passSeq: num(r.pass_seq),
    reason: r.reason,
    why: { ko: r.reason_ko, en: r.reason_en },
    waitedSince: fromDbTime(r.waited_since).toISOString(),
    removedAt: fromDbTime(r.created_at).toISOString(),
    told: Number(r.told) === 1,
  }));
}

/**
 * One member taken off a class's waitlist at the desk (they asked, or won't come), before the class
 * starts. No place opens, so no one moves in; the member is not sent a notification (the desk is
 * talking to them, as when it cancels a booking). Recorded for the class dialog and audited.
 */
export async function removeFromWaitlist(ctx: HandlerContext, input: ParsedInputOf<'waitlist.remove'>): Promise<ClassDetail> {
  return ctx.db.transaction().execute(async (tx) => {
    const cls = await lockClass(ctx, tx, input.classSeq);
    refuseCancelled(ctx, cls, { ko: '대기 명단을 바꿀', en: 'changed' });
    refuseStarted(ctx, cls, { ko: '대기 명단을 바꿀', en: 'changed' });
    const w = await forUpdate(
      ctx.database.dialect,
      tx.selectFrom('class_waitlist').select(['waitlist_seq', 'class_seq', 'user_id', 'pass_seq', 'created_at']).where('waitlist_seq', '=', input.waitlistSeq),
    ).executeTakeFirst();
    if (!w || num(w.class_seq) !== num(cls.class_seq)) {
      throw notFound({ ko: `수업 ${cls.class_seq}의 대기 ${input.waitlistSeq}`, en: `Waitlist place ${input.waitlistSeq} of class ${cls.class_seq}` }, 'waitlistSeq');
    }
    const position = num((await tx.selectFrom('class_waitlist').select((eb) => eb.fn.countAll<number>().as('n')).where('class_seq', '=', cls.class_seq).where('waitlist_seq', '<=', w.waitlist_seq).executeTakeFirst())?.n);
    await recordRemoval(ctx, tx, num(cls.class_seq), w, { reason: 'DESK', why: { ko: '프런트에서 대기 명단에서 뺐습니다.', en: 'Taken off at the desk.' } });
    await ctx.audit({ action: 'waitlist.remove', target: `class:${cls.class_seq}`, detail: { ...input, userId: w.user_id, passSeq: num(w.pass_seq), position } }, tx);
    return classDetail(tx, num(cls.class_seq));
  });
}

/** The class was cancelled: it stays on the calendar as it was, and takes nothing more. */
function refuseCancelled(ctx: HandlerContext, cls: { cancelled_at: string | null }, what: { ko: string; en: string }): void {
  if (cls.cancelled_at === null) return;
  const at = dateTimeText(ctx, cls.cancelled_at);
  throw conflict({ ko: `수업이 ${at}에 취소되어 ${what.ko} 수 없습니다.`, en: `The class was cancelled at ${at}; it can't be ${what.en}.` });
}

/** The class has started (or ended): nothing of it can change any more. */
function refuseStarted(ctx: HandlerContext, cls: { started_at: string; ended_at: string }, what: { ko: string; en: string }): void {
  if (fromDbTime(cls.started_at) > ctx.now) return;
  const ended = fromDbTime(cls.ended_at) <= ctx.now;
  const at = dateTimeText(ctx, ended ? cls.ended_at : cls.started_at);
  throw conflict(
    ended
      ? { ko: `수업이 ${at}에 이미 끝나 ${what.ko} 수 없습니다.`, en: `The class ended at ${at}; it can't be ${what.en}.` }
      : { ko: `수업이 ${at}에 이미 시작해 ${what.ko} 수 없습니다.`, en: `The class started at ${at}; it can't be ${what.en} any more.` },
  );
}

/**
 * A member has checked in (from an hour before the class, main/service/attendance.ts): the class
 * is under way at the desk, so it keeps its time and is not cancelled. A new title, instructor,
 * capacity or packages still may be given: they move no one who came.
 */
async function refuseCheckedIn(tx: Executor, classSeq: number, change: 'move' | 'cancel'): Promise<void> {
  const row = await tx
    .selectFrom('booking')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('class_seq', '=', classSeq)
    .where('status', 'in', LIVE_BOOKING)
    .where('attended', '=', 1)
    .executeTakeFirst();
  const n = num(row?.n);
  if (n === 0) return;
  const came = n === 1 ? '1 member has already checked in' : `${n} members have already checked in`;
  const mistake = { ko: '출석을 잘못 표시했다면 먼저 출석을 취소하세요', en: 'if the attendance was marked by mistake, take the mark back first' };
  if (change === 'move') {
    throw new ServiceError(
      'CONFLICT',
      {
        ko: `회원 ${n}명이 이미 출석해 수업 시각을 바꿀 수 없습니다. 새 시각에는 수업을 새로 만들어 예약하거나, ${mistake.ko}.`,
        en: `${came}, so the class's time can't be changed. Schedule a new class at the new time and book members into it instead, or, ${mistake.en}.`,
      },
      'startedAt',
    );
  }
  throw conflict({
    ko: `회원 ${n}명이 이미 출석해 수업을 취소할 수 없습니다. 오지 않는 회원의 예약만 취소하거나, ${mistake.ko}.`,
    en: `${came}, so the class can't be cancelled. Cancel the bookings of the members who won't come instead, or, ${mistake.en}.`,
  });
}

const towards = getJosaPicker('으로');

type Booked = { booking_seq: number; user_id: string; pass_seq: number };
type Waits = { waitlist_seq: number; user_id: string; pass_seq: number };

/**
 * A change of a class told to each member booked into it or waiting for it: one outbox row per
 * booking and waitlist place (`event`, keyed by `key`), '<name>님, ' and `text`'s words for a
 * booked or a waiting member, in the change's transaction. How many rows were written.
 */
async function tellClassMembers(
  ctx: HandlerContext,
  tx: Executor,
  event: NotificationEvent,
  people: { bookings: Booked[]; waiting: Waits[] },
  key: { booking: (seq: number) => string; waitlist: (seq: number) => string },
  text: { booked: string; waiting: string },
): Promise<number> {
  const { bookings, waiting } = people;
  const ids = [...new Set([...bookings, ...waiting].map((x) => x.user_id))];
  if (!ids.length) return 0;
  const members = await tx.selectFrom('user').select(['user_id', 'user_name', 'meta']).where('user_id', 'in', ids).execute();
  const member = (userId: string) => members.find((m) => m.user_id === userId) ?? { user_id: userId, user_name: null, meta: null };
  return tell(ctx, tx, [
    ...bookings.map((b) => ({ to: member(b.user_id), event, targetKey: key.booking(num(b.booking_seq)), bookingSeq: num(b.booking_seq), passSeq: num(b.pass_seq), words: text.booked })),
    ...waiting.map((w) => ({ to: member(w.user_id), event, targetKey: key.waitlist(num(w.waitlist_seq)), bookingSeq: null, passSeq: num(w.pass_seq), words: text.waiting })),
  ]);
}

/**
 * The class moved (a new start or end): every member booked or waiting is told through the outbox,
 * one CLASS_MOVED row per booking or waitlist place, naming the old and the new time, sent by the
 * class reminders job. Each move is its own message: the target key names the move's moment (the
 * outbox keeps one row per event and target, and the sender's idempotency key is built from it), a
 * millisecond on while a move of the same class already took that moment, so a second move is
 * neither dropped as a repeat of the first nor written twice.
 */
async function tellMoved(ctx: HandlerContext, tx: Executor, cls: { class_seq: number; title: string; started_at: string; ended_at: string }, startedAt: Date, endedAt: Date): Promise<number> {
  const bookings = await tx.selectFrom('booking').select(['booking_seq', 'user_id', 'pass_seq']).where('class_seq', '=', cls.class_seq).where('status', 'in', LIVE_BOOKING).orderBy('booking_seq').execute();
  const waiting = await tx.selectFrom('class_waitlist').select(['waitlist_seq', 'user_id', 'pass_seq']).where('class_seq', '=', cls.class_seq).orderBy('waitlist_seq').execute();
  if (bookings.length + waiting.length === 0) return 0;
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: ctx.timeZone });
  const span = (start: Date, end: Date) => `${local(start).toFormat('yyyy-MM-dd HH:mm')}~${local(end).toFormat('HH:mm')}`;
  const from = span(fromDbTime(cls.started_at), fromDbTime(cls.ended_at));
  const to = span(startedAt, endedAt);
  const moved = `${from} ${cls.title} 수업이 ${to}${towards(to)} 바뀌었습니다.`;
  let moment = ctx.now.getTime();
  const keys = (at: number) => {
    const stamp = new Date(at).toISOString();
    return { booking: (seq: number) => `booking:${seq}:moved:${stamp}`, waitlist: (seq: number) => `waitlist:${seq}:moved:${stamp}` };
  };
  const taken = async (at: number) => {
    const key = keys(at);
    const all = [...bookings.map((b) => key.booking(num(b.booking_seq))), ...waiting.map((w) => key.waitlist(num(w.waitlist_seq)))];
    for (let i = 0; i < all.length; i += 500) {
      const found = await tx.selectFrom('notification').select('notification_seq').where('event', '=', NotificationEvent.CLASS_MOVED).where('target_key', 'in', all.slice(i, i + 500)).limit(1).executeTakeFirst();
      if (found) return true;
    }
    return false;
  };
  while (await taken(moment)) moment++;
  return tellClassMembers(ctx, tx, NotificationEvent.CLASS_MOVED, { bookings, waiting }, keys(moment), { booked: `예약하신 ${moved}`, waiting: `대기하시던 ${moved} 대기 순서는 그대로입니다.` });
}

/** The members booked into the class (live bookings), and all of them with those waiting for it. */
async function membersOf(db: Executor, classSeq: number): Promise<{ booked: string[]; all: string[] }> {
  const booked = await db.selectFrom('booking').select('user_id').where('class_seq', '=', classSeq).where('status', 'in', LIVE_BOOKING).execute();
  const waiting = await db.selectFrom('class_waitlist').select('user_id').where('class_seq', '=', classSeq).execute();
  return { booked: [...new Set(booked.map((b) => b.user_id))], all: [...new Set([...booked, ...waiting].map((r) => r.user_id))] };
}

/**
 * A member booked into or waiting for the class after its members were read for the change and
 * before its lock: not locked, so the change starts over with them.
 * Not a FOR UPDATE read of the class's bookings instead: it would lock the index gap after them,
 * where another desk's booking of one of these members into the next class goes, and the two
 * would wait for each other.
 */
class JoinedMeanwhile extends Error {
  constructor(readonly members: string[]) {
    super('a member joined the class meanwhile');
  }
}
const UPDATE_ATTEMPTS = 5;

/** How many members a refusal names before it says how many more. */
const NAMED = 5;

/**
 * A class moved to `to` while members booked into it hold a live booking in another class at an
 * overlapping time (overlapsClass, as a booking is refused): refused, naming each and that class
 * with its time. Members waiting are not asked about: a place on a waitlist holds nothing, and one
 * who can't move in when a place opens is taken off then and told (promoteFirstWaiting).
 */
async function refuseOverlapping(ctx: HandlerContext, tx: Executor, userIds: string[], to: { class_seq: number; started_at: string; ended_at: string }): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await tx
    .selectFrom('booking')
    .leftJoin('gym_class', 'gym_class.class_seq', 'booking.class_seq')
    .leftJoin('user', 'user.user_id', 'booking.user_id')
    .select(['booking.user_id', 'user.user_name', 'booking.booking_seq', 'booking.started_at', 'booking.ended_at', 'gym_class.title'])
    .where('booking.user_id', 'in', userIds)
    .where(overlapsClass(to))
    .orderBy('booking.user_id')
    .orderBy('booking.started_at')
    .execute();
  // each member once, with the earliest booking in the way
  const clashes = rows.filter((r, i) => rows.findIndex((x) => x.user_id === r.user_id) === i);
  if (clashes.length === 0) return;
  const shown = clashes.slice(0, NAMED).map((c) => ({ name: `${c.user_name ?? c.user_id}`, id: c.user_id, other: otherClass(ctx, c) }));
  const more = clashes.length - shown.length;
  const when = timeSpan(ctx, to);
  const ko = shown.map((c) => `회원 ${c.name}(${c.id})${subject(c.id)} ${c.other.ko}에`).join(', ') + (more ? ` (외 ${more}명)` : '');
  const each = shown.map((c, i) => (i === 0 ? `Member ${c.name} (${c.id}) is already booked into ${c.other.en}` : `member ${c.name} (${c.id}) into ${c.other.en}`));
  const en = (each.length === 1 ? each[0]! : `${each.slice(0, -1).join(', ')} and ${each.at(-1)!}`) + (more ? ` (and ${more} more)` : '');
  throw new ServiceError(
    'CONFLICT',
    {
      ko: `${ko} 이미 예약되어 있어, 새 시각(${when})과 겹쳐 수업 시각을 바꿀 수 없습니다. 먼저 회원마다 겹치는 두 예약 중 하나(이 수업이나 그 수업)를 취소하세요.`,
      en: `${en}, which ${clashes.length === 1 ? 'overlaps' : 'overlap'} the new time (${when}), so the class's time can't be changed; cancel one of the two overlapping bookings (in this class or the other) first${clashes.length === 1 ? '' : ', for each member'}.`,
    },
    'startedAt',
  );
}

/**
 * One class changed before it starts (not the rest of its series). Its bookings keep their
 * places: the capacity can't go below them, a package a booking pays with can't be taken off,
 * and a new time is refused while a booked member's pass would not cover it, while a booked member
 * is booked into another class at an overlapping time, or once a member has checked in; the
 * bookings follow the class's new times, and every member booked or waiting then
 * is told of the new time through the outbox (CLASS_MOVED), as a cancellation tells them. A
 * capacity raised moves waiting members in, as a cancellation does.
 *
 * Locks as a booking does: the class first, then the members booked or waiting (in the order of
 * their ids), and only then reads. Who they are is read before the transaction (as cancelBooking
 * reads its class), so that its first plain read comes after their locks (MySQL's snapshot) and sees
 * a booking another desk committed for one of them meanwhile; a member who joined the class between
 * that read and the class's lock starts the change over, them locked too.
 */
export async function updateClass(ctx: HandlerContext, input: ParsedInputOf<'classes.update'>): Promise<ClassUpdated> {
  let members = (await membersOf(ctx.db, input.classSeq)).all;
  for (let attempt = 1; ; attempt++) {
    try {
      return await changeClass(ctx, input, members);
    } catch (error) {
      if (!(error instanceof JoinedMeanwhile)) throw error;
      if (attempt >= UPDATE_ATTEMPTS) {
        throw conflict({ ko: '이 수업의 예약이 계속 바뀌고 있어 수업을 바꾸지 못했습니다. 잠시 뒤 다시 하세요.', en: "This class's bookings kept changing, so it was not changed. Try again in a moment." });
      }
      members = error.members;
    }
  }
}

async function changeClass(ctx: HandlerContext, input: ParsedInputOf<'classes.update'>, locking: string[]): Promise<ClassUpdated> {
  return ctx.db.transaction().execute(async (tx) => {
    const cls = await lockClass(ctx, tx, input.classSeq);
    refuseCancelled(ctx, cls, { ko: '바꿀', en: 'changed' });
    refuseStarted(ctx, cls, { ko: '바꿀', en: 'changed' });
    const startedAt = input.startedAt === undefined ? fromDbTime(cls.started_at) : instant(ctx, 'startedAt', input.startedAt);
    const endedAt = input.endedAt === undefined ? fromDbTime(cls.ended_at) : instant(ctx, 'endedAt', input.endedAt);
    if (input.startedAt !== undefined && startedAt < ctx.now) throw pastStart(ctx, startedAt);
    if (endedAt <= startedAt) throw invalid('endedAt', { ko: '끝나는 시각은 시작 시각보다 뒤여야 합니다', en: 'must be after startedAt' });
    // a new time only: a class made before the rule keeps its other changes
    if (input.startedAt !== undefined || input.endedAt !== undefined) refuseDayLong(startedAt, endedAt);
    // the members booked or waiting locked after the class, before anything is read (as a booking
    // locks its member): a desk booking one of them into another class meanwhile waits for this
    // change, or has committed and is seen by the overlap check below
    if (locking.length) await forUpdate(ctx.database.dialect, tx.selectFrom('user').select('user_id').where('user_id', 'in', locking).orderBy('user_id')).execute();
    const members = await membersOf(tx, cls.class_seq);
    const joined = members.all.filter((id) => !locking.includes(id));
    if (joined.length) throw new JoinedMeanwhile([...locking, ...joined]);
    const bookedMembers = members.booked;
    const booked = await liveBookings(tx, cls.class_seq);
    if (input.capacity !== undefined && input.capacity < booked) {
      throw invalid('capacity', {
        ko: `이미 ${booked}명이 예약해 정원을 ${booked}명보다 줄일 수 없습니다. 먼저 예약을 취소하세요`,
        en: `${booked} members are already booked, so the capacity can't be less than ${booked}; cancel bookings first`,
      });
    }
    const beforePackages = (await tx.selectFrom('gym_class_package').select('package_seq').where('class_seq', '=', cls.class_seq).orderBy('package_seq').execute()).map((p) => num(p.package_seq));
    const packageSeqs = input.packageSeqs === undefined ? null : [...new Set(input.packageSeqs)];
    if (packageSeqs) {
      for (const [i, packageSeq] of packageSeqs.entries()) {
        await packageForSale(tx, packageSeq, `packageSeqs.${i}`, beforePackages.includes(packageSeq));
      }
      const paying = await tx
        .selectFrom('booking')
        .innerJoin('pass', 'pass.pass_seq', 'booking.pass_seq')
        .innerJoin('package', 'package.package_seq', 'pass.package_seq')
        .select((eb) => ['package.package_name', eb.fn.countAll<number>().as('n')])
        .where('booking.class_seq', '=', cls.class_seq)
        .where('booking.status', 'in', LIVE_BOOKING)
        .where('pass.package_seq', 'not in', packageSeqs)
        .groupBy('package.package_name')
        .orderBy('package.package_name')
        .executeTakeFirst();
      if (paying) {
        throw invalid('packageSeqs', {
          ko: `${num(paying.n)}명이 '${paying.package_name}' 이용권으로 예약해 이 패키지를 뺄 수 없습니다. 먼저 예약을 취소하세요`,
          en: `${num(paying.n)} booked members pay with '${paying.package_name}' passes, so that package can't be taken off; cancel their bookings first`,
        });
      }
    }
    const moved = startedAt.getTime() !== fromDbTime(cls.started_at).getTime() || endedAt.getTime() !== fromDbTime(cls.ended_at).getTime();
    if (moved) {
      await refuseCheckedIn(tx, cls.class_seq, 'move');
      const stranded = await tx
        .selectFrom('booking')
        .innerJoin('pass', 'pass.pass_seq', 'booking.pass_seq')
        .leftJoin('user', 'user.user_id', 'booking.user_id')
        .select(['booking.user_id', 'user.user_name'])
        .where('booking.class_seq', '=', cls.class_seq)
        .where('booking.status', 'in', LIVE_BOOKING)
        .where((eb) => eb.or([eb('pass.started_at', '>', toDbTime(startedAt)), eb('pass.ended_at', '<=', toDbTime(startedAt))]))
        .orderBy('booking.booking_seq')
        .execute();
      if (stranded.length > 0) {
        const names = stranded.map((b) => `${b.user_name ?? b.user_id}(${b.user_id})`).join(', ');
        const at = DateTime.fromJSDate(startedAt, { zone: ctx.timeZone }).toFormat('yyyy-MM-dd HH:mm');
        throw new ServiceError(
          'CONFLICT',
          { ko: `예약한 회원 ${names}의 이용권으로는 ${at} 수업에 올 수 없어 시각을 바꿀 수 없습니다. 먼저 예약을 취소하세요.`, en: `The passes of ${names}, booked into this class, can't pay for it at ${at}; cancel their bookings first.` },
          'startedAt',
        );
      }
      await refuseOverlapping(ctx, tx, bookedMembers, { class_seq: cls.class_seq, started_at: toDbTime(startedAt), ended_at: toDbTime(endedAt) });
    }
    const title = input.title ?? cls.title;
    const capacity = input.capacity ?? num(cls.capacity);
    await tx
      .updateTable('gym_class')
      .set({
        title,
        instructor: input.instructor === undefined ? cls.instructor : input.instructor || null,
        started_at: toDbTime(startedAt),
        ended_at: toDbTime(endedAt),
        capacity,
        modified_at: toDbTime(ctx.now),
      })
      .where('class_seq', '=', cls.class_seq)
      .execute();
    if (moved) {
      await tx
        .updateTable('booking')
        .set({ started_at: toDbTime(startedAt), ended_at: toDbTime(endedAt), modified_at: toDbTime(ctx.now) })
        .where('class_seq', '=', cls.class_seq)
        .where('status', 'in', LIVE_BOOKING)
        .execute();
    }
    // before anyone moves in from the waitlist: those booked or waiting at the old time are told
    const notified = moved ? await tellMoved(ctx, tx, cls, startedAt, endedAt) : 0;
    if (packageSeqs) {
      await tx.deleteFrom('gym_class_package').where('class_seq', '=', cls.class_seq).execute();
      for (const packageSeq of packageSeqs) await tx.insertInto('gym_class_package').values({ class_seq: cls.class_seq, package_seq: packageSeq, created_at: toDbTime(ctx.now) }).execute();
    }
    // more places: the waiting move in, first come first in, each told as after a cancellation
    const now = { class_seq: cls.class_seq, title, started_at: toDbTime(startedAt), ended_at: toDbTime(endedAt), capacity };
    await takeOffWaitingWithoutPackage(ctx, tx, now);
    const promoted: Array<{ userId: string; bookingSeq: number }> = [];
    for (let next = await promoteFirstWaiting(ctx, tx, now); next; next = await promoteFirstWaiting(ctx, tx, now)) promoted.push(next);
    const before = {
      title: cls.title,
      instructor: cls.instructor,
      startedAt: fromDbTime(cls.started_at).toISOString(),
      endedAt: fromDbTime(cls.ended_at).toISOString(),
      capacity: num(cls.capacity),
      packageSeqs: beforePackages,
    };
    await ctx.audit({ action: 'classes.update', target: `class:${cls.class_seq}`, detail: { ...input, before, ...(promoted.length ? { promoted } : {}), notified } }, tx);
    return { ...(await classDetail(tx, num(cls.class_seq))), notified };
  });
}

/**
 * Bookings cancelled by the gym (a class cancelled, a member deactivated), not by the member: no
 * use is taken, whatever the cut-off (used_pass stays as it is, 0 before the class; the pass is
 * not touched).
 */
export async function cancelWithoutUse(tx: Executor, bookingSeqs: number[], at: Date): Promise<void> {
  if (!bookingSeqs.length) return;
  await tx.updateTable('booking').set({ status: BookingStatus.CANCELLED, cancelled_at: toDbTime(at), modified_at: toDbTime(at) }).where('booking_seq', 'in', bookingSeqs).execute();
}

/**
 * A class cancelled before it starts: every live booking is cancelled without taking a use (the
 * gym cancelled, not the member), the waitlist is emptied, and each member booked or waiting is
 * told through the outbox (CLASS_CANCELLED, one per booking or waitlist place, sent by the class
 * reminders job as it sends WAITLIST_BOOKED). The class stays on the calendar, shown cancelled.
 * Refused once a member has checked in: they came, so the class goes on.
 */
export async function cancelClass(ctx: HandlerContext, input: ParsedInputOf<'classes.cancel'>): Promise<ClassCancelled> {
  return ctx.db.transaction().execute(async (tx) => {
    // the class first, then its bookings: the order every booking takes its locks in
    const cls = await lockClass(ctx, tx, input.classSeq);
    refuseCancelled(ctx, cls, { ko: '다시 취소할', en: 'cancelled again' });
    refuseStarted(ctx, cls, { ko: '취소할', en: 'cancelled' });
    await refuseCheckedIn(tx, cls.class_seq, 'cancel');
    const at = dateTimeText(ctx, cls.started_at);
    const bookings = await forUpdate(
      ctx.database.dialect,
      tx
        .selectFrom('booking')
        .select(['booking_seq', 'user_id', 'pass_seq'])
        .where('class_seq', '=', cls.class_seq)
        .where('status', 'in', LIVE_BOOKING)
        .orderBy('booking_seq'),
    ).execute();
    const waiting = await tx.selectFrom('class_waitlist').select(['waitlist_seq', 'user_id', 'pass_seq']).where('class_seq', '=', cls.class_seq).orderBy('waitlist_seq').execute();
    const now = toDbTime(ctx.now);
    await cancelWithoutUse(tx, bookings.map((b) => num(b.booking_seq)), ctx.now);
    if (waiting.length) await tx.deleteFrom('class_waitlist').where('class_seq', '=', cls.class_seq).execute();
    const notified = await tellClassMembers(
      ctx,
      tx,
      NotificationEvent.CLASS_CANCELLED,
      { bookings, waiting },
      { booking: (seq) => `booking:${seq}`, waitlist: (seq) => `waitlist:${seq}` },
      { booked: `예약하신 ${at} ${cls.title} 수업이 취소되었습니다. 이용권은 차감되지 않습니다.`, waiting: `대기하시던 ${at} ${cls.title} 수업이 취소되었습니다.` },
    );
    await tx.updateTable('gym_class').set({ cancelled_at: now, modified_at: now }).where('class_seq', '=', cls.class_seq).execute();
    await ctx.audit(
      {
        action: 'classes.cancel',
        target: `class:${cls.class_seq}`,
        detail: { ...input, bookingSeqs: bookings.map((b) => num(b.booking_seq)), waitlist: waiting.map((w) => w.user_id), notified },
      },
      tx,
    );
    return { bookingsCancelled: bookings.length, waitlistCleared: waiting.length, notified, detail: await classDetail(tx, num(cls.class_seq)) };
  });
}
