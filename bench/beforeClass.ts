// sendNotificationBeforeClassJob on N READY bookings of N members starting in the next 1–9
// minutes (plus N/10 starting tomorrow, not due), to a local sink that answers after 20 ms.
// Limit: one INSERT ... SELECT of the notification rows, then every row sent by the same webhook
// notifier with as many in flight as the job can have, then one UPDATE marking them sent.
// Loop: per booking, INSERT its notification, send it, UPDATE it sent, one at a time.
// Goal (issue 6): ≥ 1,000 sends/s (the limit is in-flight ÷ 20 ms).
import { beforeClassKeyInSql, sendNotificationBeforeClassJob } from '../main/pass/jobs/sendNotificationBeforeClassJob.ts';
import { webhookNotifier } from '../main/pass/notify/webhookNotifier.ts';
import { DATA_NOW, passBenchmark, type RunContext } from './passBench.ts';
import { at, concat, emptyTables, exec, insertFromNumbers, insertMembers, jsonText, plusSeconds, q, settle } from './passData.ts';
import { notificationWorkerFile } from '../main/pass/notify/sendStep.ts';
import { checkSent, inFlightNote, inFlightSeconds, sendAllAtOnce, sinkForJobs, type Sink } from './sends.ts';

const HOUR = 3_600_000;
let sink: Sink;
/** The job's key of a booking's reminder ('booking:N:at:<start>'), as SQL over the `booking` table: limit and loop write the rows the job writes. */
const reminderKey = (db: RunContext['db']): string => beforeClassKeyInSql(db.dialect).compile(db.kysely).sql;

async function prepare({ db, size }: RunContext): Promise<number> {
  await sink?.reset();
  const d = db.dialect;
  await emptyTables(db, ['notification', 'booking', 'user']);
  await insertMembers(db, size);
  const starts = (base: Date) => plusSeconds(d, base, '60 + n % 480');
  const columns = (base: Date, status: string) => ({
    booking_seq: 'n',
    pass_seq: 'n',
    user_id: concat(d, "'m'", `1 + (n - 1) % ${size}`),
    status,
    started_at: starts(base),
    ended_at: plusSeconds(d, base, `3660 + n % 480`),
    created_at: at(new Date(DATA_NOW.getTime() - 24 * HOUR)),
  });
  await insertFromNumbers(db, 'booking', columns(DATA_NOW, "'READY'"), 1, size);
  await insertFromNumbers(db, 'booking', columns(new Date(DATA_NOW.getTime() + 24 * HOUR), "'READY'"), size + 1, size + Math.floor(size / 10));
  await settle(db);
  return size;
}

export default passBenchmark({
  name: 'beforeClass',
  description: 'sendNotificationBeforeClassJob: N class reminders to a local sink answering after 20 ms (goal ≥ 1,000 sends/s)',
  job: sendNotificationBeforeClassJob,
  sizes: { small: 400, default: 2_000, full: 20_000 },
  sample: { small: 50, default: 200, full: 200 },
  goal: { perSecondAtLeast: 1_000 },
  workload: (n) => `${n.toLocaleString('en-US')} classes starting in 1–9 minutes (+${Math.floor(n / 10).toLocaleString('en-US')} tomorrow), sink answers after 20 ms`,
  async setup() {
    const made = await sinkForJobs();
    sink = made.sink;
    return made.teardown;
  },
  prepare,
  // the job's `now` is DATA_NOW plus a few seconds: every class still starts 50 s or more after it
  params: ({ now }) => ({ now, minutesBefore: 10, maxAttempts: 5, backoffMs: 500 }),
  check: ({ db }, items) => checkSent(db, sink, 'BEFORE_CLASS', items),
  limitText: 'INSERT INTO notification ... SELECT the bookings due; send all with the same notifier and in-flight count; one UPDATE marking them sent',
  async limit({ db, now }) {
    const d = db.dialect;
    await exec(
      db,
      `INSERT INTO notification (event, target_key, booking_seq, user_id, uuid, text, created_at) ` +
        `SELECT 'BEFORE_CLASS', ${reminderKey(db)}, booking.booking_seq, booking.user_id, ${jsonText(d, 'u.meta', 'uuid')}, ` +
        `${concat(d, 'u.user_name', `'님, 곧 수업이 시작됩니다.'`)}, ${at(now)} ` +
        `FROM booking LEFT JOIN ${q(d, 'user')} u ON u.user_id = booking.user_id ` +
        `WHERE booking.status = 'READY' AND booking.started_at >= ${at(now)} AND booking.started_at <= ${at(new Date(now.getTime() + 10 * 60_000))}`,
    );
    await sendAllAtOnce(db, sink, 'BEFORE_CLASS', now);
  },
  async loop({ db, now }, sample) {
    const d = db.dialect;
    const { rows } = await exec<{ booking_seq: number; target_key: string; user_id: string; user_name: string; meta: string | null; phone: string | null }>(
      db,
      `SELECT booking.booking_seq, ${reminderKey(db)} AS target_key, booking.user_id, u.user_name, u.meta, u.phone FROM booking LEFT JOIN ${q(d, 'user')} u ON u.user_id = booking.user_id ` +
        `WHERE booking.status = 'READY' AND booking.started_at >= ${at(now)} AND booking.started_at <= ${at(new Date(now.getTime() + 10 * 60_000))} ORDER BY booking.booking_seq LIMIT ${sample}`,
    );
    const notifier = webhookNotifier({ url: sink.url });
    for (const b of rows) {
      const text = `${b.user_name}님, 곧 수업이 시작됩니다.`;
      await exec(
        db,
        `INSERT INTO notification (event, target_key, booking_seq, user_id, text, created_at) VALUES ('BEFORE_CLASS', '${b.target_key}', ${Number(b.booking_seq)}, '${b.user_id}', '${text.replace(/'/g, "''")}', ${at(now)})`,
      );
      await notifier.send({ idempotencyKey: `BEFORE_CLASS:${b.target_key}`, event: 'BEFORE_CLASS', userId: b.user_id, phone: b.phone, text });
      await exec(db, `UPDATE notification SET sent = 1, sent_at = ${at(now)}, attempts = 1 WHERE event = 'BEFORE_CLASS' AND target_key = '${b.target_key}'`);
    }
    await sink.reset();
    return rows.length;
  },
  workerFile: notificationWorkerFile,
  baseline: (items) => inFlightSeconds(items),
  note: (_ctx, m) => inFlightNote(m.items, m.seconds, m.limitSeconds),
});
