// A message to one member through the outbox (the `notification` table), written in the caller's
// transaction and sent by the notification jobs (main/pass/notify/sendStep.ts): every message the
// service writes for a member — a class moved or cancelled, a waitlist place turned into a booking
// or given up, a member deactivated — is made here, so all read '<name>님, …', go to the member's
// messenger id and carry the moment of the change. The sender's idempotency key is
// `<event>:<targetKey>`, so a target is told of one event once.
import { DateTime } from 'luxon';
import { fromDbTime, toDbTime } from '../batch/index.ts';
import { messengerUuid } from '../pass/jobs/sendNotificationBeforeClassJob.ts';
import type { NewNotification, NotificationEvent } from '../pass/schema.ts';
import type { HandlerContext } from './context.ts';
import type { Executor } from './tables.ts';

export interface NoticeMember {
  user_id: string;
  user_name: string | null;
  meta: string | null;
}

export interface Notice {
  to: NoticeMember;
  event: NotificationEvent;
  /** What the message is about (`booking:<seq>`, `waitlist:<seq>`, …): one message per event and target. */
  targetKey: string;
  bookingSeq: number | null;
  passSeq: number;
  /** The words after '<name>님, '. */
  words: string;
}

/** A class's (or any database time's) day and time in the gym's zone, as messages write it: 2026-12-07 19:00. */
export function dateTimeText(ctx: Pick<HandlerContext, 'timeZone'>, at: string): string {
  return DateTime.fromJSDate(fromDbTime(at), { zone: ctx.timeZone }).toFormat('yyyy-MM-dd HH:mm');
}

/** The outbox row for `notice`, not yet written. */
export function noticeRow(ctx: Pick<HandlerContext, 'now'>, notice: Notice): NewNotification {
  return {
    event: notice.event,
    target_key: notice.targetKey,
    booking_seq: notice.bookingSeq,
    pass_seq: notice.passSeq,
    user_id: notice.to.user_id,
    uuid: messengerUuid(notice.to.meta),
    text: `${notice.to.user_name ?? '회원'}님, ${notice.words}`,
    created_at: toDbTime(ctx.now),
  };
}

/** Each notice written to the outbox in `tx`, in order. How many were written. */
export async function tell(ctx: Pick<HandlerContext, 'now'>, tx: Executor, notices: readonly Notice[]): Promise<number> {
  for (const notice of notices) await tx.insertInto('notification').values(noticeRow(ctx, notice)).execute();
  return notices.length;
}
