// 출석 (issue 18, slice 4): the desk marks a booking attended (or takes the mark back), or a whole
// class at once; the check-in kiosk lets a member find themself by the last four digits of their
// phone, pick their masked name and check in to today's class. A member is attended from an hour
// before the class; the mark can change until usePassesJob has taken the class's use off the pass
// (the no-show policy reads it when the class is completed). Each change and its activity-log row
// commit in one transaction.
//
// The kiosk names a member by a handle, an HMAC of the member's id under a key this process drew
// at random: it reveals nothing, and it is good until the console restarts. Every kiosk call
// carries the four digits again and is answered only for a member those digits find.
import { createHmac, randomBytes } from 'node:crypto';
import { getJosaPicker } from 'josa';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { forUpdate, fromDbTime, toDbTime } from '../batch/index.ts';
import { usablePass } from '../pass/passQueries.ts';
import { BookingStatus, LIVE_BOOKING, PassStatus, UserStatus } from '../pass/schema.ts';
import { classDetail } from './classes.ts';
import { iso, type HandlerContext } from './context.ts';
import type { ClassDetail, KioskCheckIn, KioskMatch, KioskMember, ParsedInputOf } from './contract.ts';
import { conflict, notFound, ServiceError } from './errors.ts';
import { num, type Executor } from './tables.ts';

/** A member may be marked attended from this long before the class starts. */
export const ATTEND_FROM_MS = 60 * 60_000;
/** The most members one four-digit search shows the kiosk. */
const KIOSK_MATCHES = 10;
const subject = getJosaPicker('은');

/** The most asterisks a masked name shows: more would only tell a long name's length. */
const MASK_STARS = 3;

/**
 * 김민수 → 김*수, 이수 → 이*, 남궁민수 → 남**수, Kim → K*m, Alexandra Montgomery-Richardson →
 * A***n: the first and last character shown, at most three asterisks between them.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, MASK_STARS))}${chars.at(-1)}`;
}

const HANDLE_KEY = randomBytes(32);
const handleOf = (userId: string) => createHmac('sha256', HANDLE_KEY).update(userId).digest('hex').slice(0, 24);

type Booking = { booking_seq: number; class_seq: number | null; status: string; used_pass: number; attended: number; started_at: string; ended_at: string };

/** Why `booking` can't take an attendance mark now, in words; null when it can. */
function markRefusal(booking: Booking, now: Date, attended: boolean): { ko: string; en: string } | null {
  const seq = booking.booking_seq;
  if (booking.status === BookingStatus.CANCELLED) return { ko: `수업 예약 ${seq}${subject(String(seq))} 취소되었습니다.`, en: `Booking ${seq} is cancelled.` };
  if (num(booking.used_pass) === 1) {
    return { ko: `수업 예약 ${seq}의 이용권 차감이 이미 끝나 출석을 바꿀 수 없습니다.`, en: `Booking ${seq}'s use has been deducted already; its attendance can't change.` };
  }
  if (attended && fromDbTime(booking.started_at).getTime() - ATTEND_FROM_MS > now.getTime()) {
    return { ko: '수업 시작 1시간 전부터 출석할 수 있습니다.', en: 'Attendance opens an hour before the class starts.' };
  }
  return null;
}

const bookingColumns = ['booking_seq', 'class_seq', 'status', 'used_pass', 'attended', 'started_at', 'ended_at'] as const;

async function setAttended(tx: Executor, seqs: number[], attended: boolean, now: Date): Promise<void> {
  if (!seqs.length) return;
  await tx
    .updateTable('booking')
    .set({ attended: attended ? 1 : 0, attended_at: attended ? toDbTime(now) : null, modified_at: toDbTime(now) })
    .where('booking_seq', 'in', seqs)
    // a booking that holds its place and has not been settled with its pass yet may change its mark
    .where('used_pass', '=', 0)
    .where('status', 'in', LIVE_BOOKING)
    .execute();
}

/** The class row first, then the booking: the lock order every booking change takes. */
async function lockedBooking(ctx: HandlerContext, tx: Executor, bookingSeq: number): Promise<Booking> {
  const found = await tx.selectFrom('booking').select('class_seq').where('booking_seq', '=', bookingSeq).executeTakeFirst();
  if (!found || found.class_seq === null) throw notFound({ ko: `수업 예약 ${bookingSeq}`, en: `Class booking ${bookingSeq}` }, 'bookingSeq');
  await forUpdate(ctx.database.dialect, tx.selectFrom('gym_class').select('class_seq').where('class_seq', '=', num(found.class_seq))).execute();
  return forUpdate(ctx.database.dialect, tx.selectFrom('booking').select(bookingColumns).where('booking_seq', '=', bookingSeq)).executeTakeFirstOrThrow() as Promise<Booking>;
}

export async function markAttended(ctx: HandlerContext, input: ParsedInputOf<'bookings.markAttended'>): Promise<ClassDetail> {
  return ctx.db.transaction().execute(async (tx) => {
    const booking = await lockedBooking(ctx, tx, input.bookingSeq);
    const refusal = markRefusal(booking, ctx.now, input.attended);
    if (refusal) throw conflict(refusal);
    await setAttended(tx, [num(booking.booking_seq)], input.attended, ctx.now);
    await ctx.audit({ action: 'bookings.markAttended', target: `booking:${booking.booking_seq}`, detail: input }, tx);
    return classDetail(tx, num(booking.class_seq));
  });
}

export async function markAllAttended(ctx: HandlerContext, input: ParsedInputOf<'classes.markAllAttended'>): Promise<ClassDetail> {
  return ctx.db.transaction().execute(async (tx) => {
    const cls = await forUpdate(ctx.database.dialect, tx.selectFrom('gym_class').select(['class_seq', 'started_at']).where('class_seq', '=', input.classSeq)).executeTakeFirst();
    if (!cls) throw notFound({ ko: `수업 ${input.classSeq}`, en: `Class ${input.classSeq}` }, 'classSeq');
    if (fromDbTime(cls.started_at).getTime() - ATTEND_FROM_MS > ctx.now.getTime()) {
      throw conflict({ ko: '수업 시작 1시간 전부터 출석할 수 있습니다.', en: 'Attendance opens an hour before the class starts.' });
    }
    const open = await tx
      .selectFrom('booking')
      .select('booking_seq')
      .where('class_seq', '=', input.classSeq)
      .where('status', 'in', LIVE_BOOKING)
      .where('used_pass', '=', 0)
      .where('attended', '=', 0)
      .execute();
    const seqs = open.map((b) => num(b.booking_seq));
    await setAttended(tx, seqs, true, ctx.now);
    await ctx.audit({ action: 'classes.markAllAttended', target: `class:${input.classSeq}`, detail: { ...input, bookingSeqs: seqs } }, tx);
    return classDetail(tx, input.classSeq);
  });
}

// ---- the kiosk ---------------------------------------------------------------------------------

type KioskCandidate = { user_id: string; user_name: string };

/** Active members whose phone ends in the four digits, in name order: the only members a kiosk call can reach. */
async function candidates(db: Executor, phoneLast4: string): Promise<KioskCandidate[]> {
  const digits = sql<string>`REPLACE(REPLACE(${sql.ref('user.phone')}, '-', ''), ' ', '')`;
  return db
    .selectFrom('user')
    .select(['user.user_id', 'user.user_name'])
    .where('user.status', '=', UserStatus.ACTIVE)
    .where(sql<boolean>`${digits} LIKE ${`%${phoneLast4}`}`)
    .orderBy('user.user_name')
    .orderBy('user.user_id')
    .limit(KIOSK_MATCHES)
    .execute();
}

// The kiosk's refusals are read by a member at the kiosk: plain words and where to ask, never a
// booking number or a field's name. A handle the digits no longer find (the member deactivated
// or their phone changed at the desk meanwhile, the console restarted) and a booking that is not
// theirs today (cancelled or moved meanwhile, someone else's, made up) are "not found" alike.
const noSuchMember = () =>
  new ServiceError(
    'NOT_FOUND',
    { ko: '회원 정보를 찾을 수 없습니다. 처음으로 돌아가 다시 해 보시거나 안내 데스크에 문의해 주세요.', en: 'We couldn’t find your details. Start over and try again, or ask at the front desk.' },
    'member',
  );
const noSuchBooking = () =>
  new ServiceError(
    'NOT_FOUND',
    { ko: '오늘 이 수업의 예약을 찾을 수 없습니다. 취소되었거나 다른 날로 옮겨졌을 수 있으니 안내 데스크에 문의해 주세요.', en: 'We couldn’t find this booking for today. It may have been cancelled or moved to another day; please ask at the front desk.' },
    'bookingSeq',
  );

async function kioskMember(ctx: HandlerContext, db: Executor, input: { phoneLast4: string; member: string }): Promise<KioskMember & { userId: string }> {
  const found = (await candidates(db, input.phoneLast4)).find((c) => handleOf(c.user_id) === input.member);
  if (!found) throw noSuchMember();
  const passes = await db
    .selectFrom('pass')
    .leftJoin('package', 'package.package_seq', 'pass.package_seq')
    .select(['pass.package_seq', 'package.package_name', 'pass.remaining_count', 'pass.started_at', 'pass.ended_at'])
    .where('pass.user_id', '=', found.user_id)
    .where(usablePass(ctx.now))
    .orderBy('pass.pass_seq')
    .execute();
  // no usable pass: the member's own latest one tells them why (ended, or no use left)
  const last =
    passes.length > 0
      ? undefined
      : await db
          .selectFrom('pass')
          .leftJoin('package', 'package.package_seq', 'pass.package_seq')
          .select(['pass.package_seq', 'package.package_name', 'pass.remaining_count', 'pass.ended_at'])
          .where('pass.user_id', '=', found.user_id)
          // a pass cancelled at the desk is not one the member holds: their latest other one says why
          .where('pass.status', '!=', PassStatus.CANCELLED)
          .orderBy('pass.started_at', 'desc')
          .orderBy('pass.pass_seq', 'desc')
          .limit(1)
          .executeTakeFirst();
  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).startOf('day');
  const bookings = await db
    .selectFrom('booking')
    .innerJoin('gym_class', 'gym_class.class_seq', 'booking.class_seq')
    .select(['booking.booking_seq', 'gym_class.title', 'booking.started_at', 'booking.ended_at', 'booking.attended', 'booking.status', 'booking.used_pass'])
    .where('booking.user_id', '=', found.user_id)
    .where('booking.status', '<>', BookingStatus.CANCELLED)
    .where('booking.started_at', '>=', toDbTime(today.toJSDate()))
    .where('booking.started_at', '<', toDbTime(today.plus({ days: 1 }).toJSDate()))
    .orderBy('booking.started_at')
    .execute();
  const now = ctx.now.getTime();
  return {
    userId: found.user_id,
    member: input.member,
    maskedName: maskName(found.user_name),
    timeZone: ctx.timeZone,
    passes: passes.map((p) => ({
      packageName: p.package_name ?? `#${p.package_seq}`,
      remainingCount: p.remaining_count === null ? null : num(p.remaining_count),
      startedAt: fromDbTime(p.started_at).toISOString(),
      endedAt: iso(fromDbTime(p.ended_at)),
    })),
    lastPass: last
      ? {
          packageName: last.package_name ?? `#${last.package_seq}`,
          endedAt: iso(fromDbTime(last.ended_at)),
          usedUp: last.remaining_count !== null && num(last.remaining_count) === 0,
        }
      : null,
    bookings: bookings.map((b) => {
      const attended = num(b.attended) === 1;
      const start = fromDbTime(b.started_at).getTime();
      const end = fromDbTime(b.ended_at).getTime();
      return {
        bookingSeq: num(b.booking_seq),
        classTitle: b.title,
        startedAt: new Date(start).toISOString(),
        endedAt: new Date(end).toISOString(),
        attended,
        canCheckIn: !attended && num(b.used_pass) === 0 && b.status !== BookingStatus.COMPLETED && kioskOpen(start, end, now),
      };
    }),
  };
}

/** The kiosk takes check-ins from an hour before the class until it ends. */
const kioskOpen = (start: number, end: number, now: number) => now >= start - ATTEND_FROM_MS && now < end;

const publicView = ({ userId: _userId, ...view }: KioskMember & { userId: string }): KioskMember => view;

/**
 * How many searches one kiosk account may make in a minute: a member types four digits once or
 * twice, and the 10,000 combinations are not to be walked through from a kiosk (or its token).
 */
export const KIOSK_FINDS_PER_MINUTE = 60;
const recentFinds = new Map<string, number[]>();

function countFind(ctx: HandlerContext): void {
  const key = ctx.session?.username ?? '';
  const now = ctx.now.getTime();
  const recent = (recentFinds.get(key) ?? []).filter((at) => at > now - 60_000);
  if (recent.length >= KIOSK_FINDS_PER_MINUTE) {
    throw new ServiceError('TOO_MANY_REQUESTS', { ko: '검색이 너무 많습니다. 1분 뒤에 다시 해 주세요.', en: 'Too many searches. Please try again in a minute.' });
  }
  recent.push(now);
  recentFinds.set(key, recent);
}

export async function kioskFind(ctx: HandlerContext, input: ParsedInputOf<'kiosk.find'>): Promise<KioskMatch[]> {
  countFind(ctx);
  return (await candidates(ctx.db, input.phoneLast4)).map((c) => ({ member: handleOf(c.user_id), maskedName: maskName(c.user_name) }));
}

export async function kioskShow(ctx: HandlerContext, input: ParsedInputOf<'kiosk.member'>): Promise<KioskMember> {
  return publicView(await kioskMember(ctx, ctx.db, input));
}

/** Checks the member in to one of today's bookings, from an hour before its class until it ends. */
export async function kioskCheckIn(ctx: HandlerContext, input: ParsedInputOf<'kiosk.checkIn'>): Promise<KioskCheckIn> {
  return ctx.db.transaction().execute(async (tx) => {
    const member = await kioskMember(ctx, tx, input);
    const shown = member.bookings.find((b) => b.bookingSeq === input.bookingSeq);
    // another member's booking, or not today's: the same answer as one that does not exist
    if (!shown) throw noSuchBooking();
    // decided on the locked row: another tap of the same button may have checked it in meanwhile
    const booking = await lockedBooking(ctx, tx, input.bookingSeq);
    if (num(booking.attended) === 1) throw conflict({ ko: `${shown.classTitle} 수업에 이미 출석했습니다.`, en: `You have already checked in to ${shown.classTitle}.` });
    if (!kioskOpen(fromDbTime(booking.started_at).getTime(), fromDbTime(booking.ended_at).getTime(), ctx.now.getTime())) {
      throw conflict({ ko: '출석은 수업 시작 1시간 전부터 수업이 끝날 때까지 할 수 있습니다.', en: 'Check-in opens an hour before the class and closes when it ends.' });
    }
    const refusal = markRefusal(booking, ctx.now, true);
    if (refusal) throw conflict(refusal);
    await setAttended(tx, [input.bookingSeq], true, ctx.now);
    await ctx.audit({ action: 'kiosk.checkIn', target: `booking:${input.bookingSeq}`, detail: { bookingSeq: input.bookingSeq, userId: member.userId } }, tx);
    // the view read above, with this check-in in it
    Object.assign(shown, { attended: true, canCheckIn: false });
    return { bookingSeq: input.bookingSeq, classTitle: shown.classTitle, member: publicView(member) };
  });
}
