// 알림 (the Notifications screen): the outbox the notification jobs write and send
// (main/pass/notify/sendStep.ts), read by member, dates and status, newest first by key; and a
// failed one sent again by hand, exactly as the send step would send it: the same text and the
// same idempotency key (`<event>:<target_key>`), so a receiver that drops repeats shows it once.
import { sql } from 'kysely';
import { fromDbTime, toDbTime } from '../batch/index.ts';
import { configuredNotifierSettings, notifierFromSettings } from '../pass/notify/fromEnv.ts';
import type { NotificationEvent } from '../pass/schema.ts';
import { instant, iso, type HandlerContext } from './context.ts';
import type { NotificationPage, NotificationResend, NotificationStatus, NotificationView, ParsedInputOf } from './contract.ts';
import { conflict, notFound } from './errors.ts';
import { decodeCursor, encodeCursor } from './members.ts';
import { num, type Executor } from './tables.ts';

const columns = [
  'n.notification_seq',
  'n.event',
  'n.user_id',
  'u.user_name',
  'u.phone',
  'n.text',
  'n.sent',
  'n.attempts',
  'n.last_error',
  'n.created_at',
  'n.sent_at',
  'n.target_key',
] as const;

type Row = {
  notification_seq: number;
  event: string;
  user_id: string;
  user_name: string | null;
  phone: string | null;
  text: string;
  sent: unknown;
  attempts: unknown;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  target_key: string;
};

/** SENT once delivered; FAILED once a send was tried and not delivered (the jobs may still retry it); PENDING before any try. */
function statusOf(row: Pick<Row, 'sent' | 'attempts'>): NotificationStatus {
  if (num(row.sent) === 1) return 'SENT';
  return num(row.attempts) > 0 ? 'FAILED' : 'PENDING';
}

function view(row: Row): NotificationView {
  return {
    notificationSeq: num(row.notification_seq),
    event: row.event,
    userId: row.user_id,
    userName: row.user_name ?? null,
    text: row.text,
    status: statusOf(row),
    attempts: num(row.attempts),
    lastError: row.last_error,
    createdAt: fromDbTime(row.created_at).toISOString(),
    sentAt: iso(fromDbTime(row.sent_at)),
    idempotencyKey: `${row.event}:${row.target_key}`,
  };
}

const selectRows = (db: Executor) => db.selectFrom('notification as n').leftJoin('user as u', 'u.user_id', 'n.user_id').select(columns);

export async function listNotifications(ctx: HandlerContext, input: ParsedInputOf<'notifications.list'>): Promise<NotificationPage> {
  const pageSize = input.pageSize ?? 50;
  let query = selectRows(ctx.db);
  if (input.userId !== undefined) query = query.where('n.user_id', '=', input.userId);
  if (input.from !== undefined) query = query.where('n.created_at', '>=', toDbTime(instant(ctx, 'from', input.from)));
  if (input.to !== undefined) query = query.where('n.created_at', '<', toDbTime(instant(ctx, 'to', input.to)));
  if (input.status === 'SENT') query = query.where('n.sent', '=', 1);
  else if (input.status === 'PENDING') query = query.where('n.sent', '=', 0).where('n.attempts', '=', 0);
  else if (input.status === 'FAILED') query = query.where('n.sent', '=', 0).where('n.attempts', '>', 0);
  if (input.after !== undefined) {
    const [seq] = decodeCursor<[number]>(input.after, ['number']);
    query = query.where('n.notification_seq', '<', seq);
  }
  const rows = (await query.orderBy('n.notification_seq', 'desc').limit(pageSize + 1).execute()) as Row[];
  const items = rows.slice(0, pageSize).map(view);
  const last = items.at(-1);
  return { items, next: rows.length > pageSize && last ? encodeCursor([last.notificationSeq]) : null };
}

async function readOne(db: Executor, notificationSeq: number): Promise<Row> {
  const row = (await selectRows(db).where('n.notification_seq', '=', notificationSeq).executeTakeFirst()) as Row | undefined;
  if (!row) throw notFound({ ko: `알림 ${notificationSeq}`, en: `Notification ${notificationSeq}` }, 'notificationSeq');
  return row;
}

export async function resendNotification(ctx: HandlerContext, input: ParsedInputOf<'notifications.resend'>): Promise<NotificationResend> {
  const row = await readOne(ctx.db, input.notificationSeq);
  const status = statusOf(row);
  if (status === 'SENT') {
    throw conflict({ ko: `알림 ${input.notificationSeq}번은 이미 보냈습니다. 다시 보내지 않았습니다.`, en: `Notification ${input.notificationSeq} was delivered already; it was not sent again.` });
  }
  if (status === 'PENDING') {
    throw conflict({
      ko: `알림 ${input.notificationSeq}번은 아직 보내 보지 않았습니다. 다음 알림 발송 작업이 보냅니다.`,
      en: `Notification ${input.notificationSeq} has not been tried yet; the next run of its sending job sends it.`,
    });
  }
  const key = `${row.event}:${row.target_key}`;
  // What the jobs' next send uses (the notifier saved on the Settings screen, else the environment's); one send, not rate-limited.
  const settings = await configuredNotifierSettings(ctx.db);
  let error: string | null = null;
  try {
    await notifierFromSettings({ ...settings, ratePerSecond: undefined }).send({
      idempotencyKey: key,
      event: row.event as NotificationEvent,
      userId: row.user_id,
      phone: row.phone,
      text: row.text,
    });
  } catch (e) {
    error = String((e as Error)?.message ?? e).slice(0, 1000);
  }
  const now = toDbTime(ctx.now);
  const updated = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('notification')
      .set(error === null ? { sent: 1, sent_at: now, attempts: sql`attempts + 1`, modified_at: now } : { attempts: sql`attempts + 1`, last_error: error, modified_at: now })
      .where('notification_seq', '=', input.notificationSeq)
      .execute();
    await ctx.audit({ action: 'notifications.resend', target: `notification:${input.notificationSeq}`, detail: { idempotencyKey: key, sent: error === null, error } }, tx);
    return readOne(tx, input.notificationSeq);
  });
  return {
    notification: view(updated),
    sent: error === null,
    error: error === null ? null : { ko: `알림을 보내지 못했습니다: ${error}`, en: `The notification was not delivered: ${error}` },
  };
}
