// 수업 전 알림 발송: (a) READY bookings starting within the next `minutesBefore` minutes get
// one BEFORE_CLASS notification row each for their start (the key names the booking and its
// start, insert-ignore on (event, target_key), so a booking never gets two for one start however
// often this runs, and a class moved to a new start gets one for it); (b) the unsent rows are sent
// on worker threads, except one written for a start the booking no longer has (its class moved
// before it went), which is withdrawn instead (deleted, never sent);
// (c) so are the WAITLIST_BOOKED rows a cancellation wrote when it moved a waiting member into
// a class (main/service/classes.ts), within a minute of it, (d) the CLASS_CANCELLED rows a
// class cancelled at the desk wrote for each member booked into it or waiting for it, and (e) the
// CLASS_MOVED rows a class given a new start or end at the desk wrote for the same members, one
// per move (sent before (c), so a waiting member moved in by that change hears of the move first).
// (f) So are the WAITLIST_REMOVED rows written for a waiting member taken off a class's waitlist
// because they could no longer move in (booked elsewhere at the time, or their pass no longer pays),
// and (g) the MEMBER_DEACTIVATED rows a member deactivated at the desk gets for each booking of a
// class still to come cancelled with them and each waitlist place given up (main/service/memberChanges.ts),
// and (h) the PASS_CANCELLED rows a pass cancelled at the desk wrote for each booking made with it
// and each waitlist place held with it (main/service/passCancel.ts).
import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import { DateTime } from 'luxon';
import { batchInsertWriter, chunkStep, dateTimeParam, defineJob, keysetReader, numberParam, toDbTime, fromDbTime, type Dialect, type ValuesOf } from '../../batch/index.ts';
import { sendNotificationsStep, sendParams } from '../notify/sendStep.ts';
import { BookingStatus, type NewNotification } from '../schema.ts';

const params = {
  now: dateTimeParam({ default: 'now' }),
  minutesBefore: numberParam({
    default: 10,
    integer: true,
    min: 1,
    max: 24 * 60,
    description: { ko: '수업 시작 몇 분 전까지 알릴지', en: 'Remind of classes starting within this many minutes' },
  }),
  ...sendParams,
};
type Params = ValuesOf<typeof params>;

type UpcomingBooking = {
  booking_seq: number;
  user_id: string;
  started_at: string;
  user_name: string | null;
  meta: string | null;
};

/** "홍길동님, 10분 후 09:00 수업이 시작됩니다." in the gym's time zone. */
export function beforeClassText(name: string | null, startsAt: Date, now: Date, timeZone: string): string {
  const who = `${name ?? '회원'}님`;
  const time = DateTime.fromJSDate(startsAt, { zone: timeZone }).toFormat('HH:mm');
  const minutes = Math.ceil((startsAt.getTime() - now.getTime()) / 60_000);
  return minutes >= 1 ? `${who}, ${minutes}분 후 ${time} 수업이 시작됩니다.` : `${who}, ${time} 수업이 곧 시작됩니다.`;
}

/**
 * The target key of a booking's reminder: the booking and the start it reminds of, so a member gets
 * one reminder per start, and one for a class's new start even when the old one was already sent
 * (the sender's idempotency key is built from it: a new start is a new message to the receiver).
 */
export function beforeClassKey(bookingSeq: number, startsAt: Date): string {
  return `booking:${bookingSeq}:at:${startsAt.toISOString()}`;
}

/** beforeClassKey in SQL, of the booking row in the query: the same text, to the millisecond. */
export function beforeClassKeyInSql(dialect: Dialect): RawBuilder<string> {
  return dialect === 'mysql'
    ? sql<string>`concat('booking:', booking.booking_seq, ':at:', date_format(booking.started_at, '%Y-%m-%dT%H:%i:%s.'), lpad(floor(microsecond(booking.started_at) / 1000), 3, '0'), 'Z')`
    : sql<string>`'booking:' || booking.booking_seq || ':at:' || strftime('%Y-%m-%dT%H:%M:%fZ', booking.started_at)`;
}

/**
 * A booking to remind: READY, starting within `minutesBefore` of `now`, and not reminded of this
 * start yet. One condition for the step's reader and the every-minute check of whether there is
 * work (the writer's insert-ignore on the key re-checks it), so a booking is read once per start,
 * not at every run of the ten minutes before it. A reminder under the key an older version wrote
 * ('booking:N') counts as the booking's: it is not written again under a new key (sent twice).
 */
function toRemind(dialect: Dialect, now: Date, minutesBefore: number) {
  return (eb: ExpressionBuilder<any, 'booking'>) =>
    eb.and([
      eb('booking.status', '=', 'READY'),
      eb('booking.started_at', '>=', toDbTime(now)),
      eb('booking.started_at', '<=', toDbTime(new Date(now.getTime() + minutesBefore * 60_000))),
      // one lookup of the unique (event, target_key) per key: MariaDB uses the index for each
      // equality, and for neither with the two keys in one IN (every reminder read per booking)
      ...[beforeClassKeyInSql(dialect), dialect === 'mysql' ? sql<string>`concat('booking:', booking.booking_seq)` : sql<string>`'booking:' || booking.booking_seq`].map((key) =>
        eb.not(eb.exists(eb.selectFrom('notification as earlier').select('earlier.notification_seq').where('earlier.event', '=', 'BEFORE_CLASS').where('earlier.target_key', '=', key))),
      ),
    ]);
}

/**
 * A reminder written for a start its booking no longer has (the class was moved before it was
 * sent), or for a booking since cancelled: withdrawn, never sent. A key from before keys named
 * the start ('booking:N') can't be told moved, only cancelled; otherwise it is sent as it always was.
 */
export function reminderOutdated(row: { target_key: string; booking_started_at: string | null; booking_status: string | null }): boolean {
  if (row.booking_status === BookingStatus.CANCELLED) return true;
  const at = /^booking:\d+:at:(.+)$/.exec(row.target_key)?.[1];
  if (at === undefined || row.booking_started_at === null) return false;
  return Date.parse(at) !== fromDbTime(row.booking_started_at).getTime();
}

/** The member's messenger uuid from user.meta ({"uuid": ...}), as the seed keeps it. */
export function messengerUuid(meta: string | null): string | null {
  if (!meta) return null;
  try {
    const uuid = (JSON.parse(meta) as { uuid?: unknown })?.uuid;
    return typeof uuid === 'string' && uuid ? uuid.slice(0, 64) : null;
  } catch {
    return null;
  }
}

export const sendNotificationBeforeClassJob = defineJob({
  name: 'sendNotificationBeforeClassJob',
  title: { ko: '수업 전 알림 발송', en: 'Send class reminders' },
  params,
  // Fired every minute: a fire with no class about to start and nothing left to send is recorded
  // as skipped, not run as an empty execution. The same conditions as the two steps' readers.
  hasWork: async (db, params) => {
    const upcoming = await db.kysely.selectFrom('booking').select('booking.booking_seq').where(toRemind(db.dialect, params.now, params.minutesBefore)).limit(1).executeTakeFirst();
    if (upcoming) return true;
    const unsent = await db.kysely
      .selectFrom('notification')
      .select('notification_seq')
      .where('event', 'in', ['BEFORE_CLASS', 'CLASS_MOVED', 'WAITLIST_BOOKED', 'CLASS_CANCELLED', 'WAITLIST_REMOVED', 'MEMBER_DEACTIVATED', 'PASS_CANCELLED'])
      .where('sent', '=', 0)
      .where('attempts', '<', params.maxAttempts)
      .limit(1)
      .executeTakeFirst();
    return unsent !== undefined;
  },
  steps: [
    chunkStep<Params, UpcomingBooking, UpcomingBooking>({
      name: 'createBeforeClassNotificationsStep',
      title: { ko: '수업 전 알림 만들기', en: 'Create class reminders' },
      chunkSize: 500,
      reader: ({ db, params }) =>
        keysetReader<UpcomingBooking>({
          db: db.kysely,
          query: (k) =>
            k
              .selectFrom('booking')
              .leftJoin('user', 'user.user_id', 'booking.user_id')
              .select(['booking.booking_seq', 'booking.user_id', 'booking.started_at', 'user.user_name', 'user.meta'])
              .where(toRemind(db.dialect, params.now, params.minutesBefore)),
          key: 'booking_seq',
          keyColumn: 'booking.booking_seq',
          count: true,
        }),
      writer: ({ db, params, timeZone }) =>
        batchInsertWriter<UpcomingBooking>({
          table: 'notification',
          dialect: db.dialect,
          ignoreDuplicates: true,
          row: (b): NewNotification => ({
            event: 'BEFORE_CLASS',
            target_key: beforeClassKey(Number(b.booking_seq), fromDbTime(b.started_at)),
            booking_seq: Number(b.booking_seq),
            user_id: b.user_id,
            uuid: messengerUuid(b.meta),
            text: beforeClassText(b.user_name, fromDbTime(b.started_at), params.now, timeZone),
          }),
        }),
    }),
    sendNotificationsStep({ name: 'sendBeforeClassNotificationsStep', title: { ko: '수업 전 알림 보내기', en: 'Send class reminders' }, event: 'BEFORE_CLASS', outdated: reminderOutdated }),
    // a few a day: one partition
    sendNotificationsStep({ name: 'sendClassMovedNotificationsStep', title: { ko: '수업 시간 변경 알림 보내기', en: 'Tell members a class has a new time' }, event: 'CLASS_MOVED', gridSize: 1 }),
    sendNotificationsStep({ name: 'sendWaitlistNotificationsStep', title: { ko: '대기 예약 확정 알림 보내기', en: 'Tell waiting members they are booked' }, event: 'WAITLIST_BOOKED', gridSize: 1 }),
    sendNotificationsStep({ name: 'sendWaitlistRemovedNotificationsStep', title: { ko: '대기 명단 제외 알림 보내기', en: 'Tell members they were taken off a waitlist' }, event: 'WAITLIST_REMOVED', gridSize: 1 }),
    sendNotificationsStep({ name: 'sendClassCancelledNotificationsStep', title: { ko: '수업 취소 알림 보내기', en: 'Tell members a class is cancelled' }, event: 'CLASS_CANCELLED', gridSize: 1 }),
    sendNotificationsStep({ name: 'sendMemberDeactivatedNotificationsStep', title: { ko: '휴면 처리 예약 취소 알림 보내기', en: 'Tell deactivated members their bookings are cancelled' }, event: 'MEMBER_DEACTIVATED', gridSize: 1 }),
    sendNotificationsStep({ name: 'sendPassCancelledNotificationsStep', title: { ko: '이용권 취소 예약 취소 알림 보내기', en: 'Tell members their bookings went with a cancelled pass' }, event: 'PASS_CANCELLED', gridSize: 1 }),
  ],
});
