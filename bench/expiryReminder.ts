// sendExpiryReminderJob on N passes in use that end within the next 3 days (every 10th with one
// use left too, so it gets two reminders: N + N/10 messages), plus N/10 passes ending next month
// (not due), to a local sink that answers after 20 ms. Limit: two INSERT ... SELECTs (ENDING,
// LAST_USE), every row sent with the job's in-flight count, one UPDATE marking them sent. Loop:
// per reminder, INSERT it, send it, UPDATE it sent. Goal: as for the class reminders, ≥ 1,000 sends/s.
import { sendExpiryReminderJob } from '../main/pass/jobs/sendExpiryReminderJob.ts';
import { webhookNotifier } from '../main/pass/notify/webhookNotifier.ts';
import { DATA_NOW, passBenchmark, type RunContext } from './passBench.ts';
import { at, concat, emptyTables, exec, insertFromNumbers, insertMembers, jsonText, plusSeconds, q, settle, type Target } from './passData.ts';
import { notificationWorkerFile } from '../main/pass/notify/sendStep.ts';
import { checkSent, inFlightNote, inFlightSeconds, sendAllAtOnce, sinkForJobs, type Sink } from './sends.ts';

const HOUR = 3_600_000;
const DAYS = 3;
let sink: Sink;

const messages = (n: number) => n + Math.floor(n / 10);

async function prepare({ db, size }: RunContext): Promise<number> {
  await sink?.reset();
  const d = db.dialect;
  await emptyTables(db, ['notification', 'pass', 'package', 'user']);
  await insertMembers(db, size);
  await exec(db, `INSERT INTO package (package_seq, package_name, count, period, created_at) VALUES (1, '헬스 30회', 30, 90, ${at(DATA_NOW)})`);
  const columns = (ends: string, remaining: string) => ({
    pass_seq: 'n',
    package_seq: '1',
    user_id: concat(d, "'m'", `1 + (n - 1) % ${size}`),
    status: "'PROGRESSED'",
    remaining_count: remaining,
    started_at: at(new Date(DATA_NOW.getTime() - 80 * 24 * HOUR)),
    ended_at: ends,
    created_at: at(new Date(DATA_NOW.getTime() - 80 * 24 * HOUR)),
  });
  // due: ends 1 to 71 hours from now; every 10th has one use left as well
  await insertFromNumbers(db, 'pass', columns(plusSeconds(d, DATA_NOW, '3600 + (n % 70) * 3600'), 'CASE WHEN n % 10 = 0 THEN 1 ELSE 5 END'), 1, size);
  await insertFromNumbers(db, 'pass', columns(plusSeconds(d, DATA_NOW, `${30 * 24 * 3600} + n`), '5'), size + 1, size + Math.floor(size / 10));
  await settle(db);
  return messages(size);
}

export default passBenchmark({
  name: 'expiryReminder',
  description: 'sendExpiryReminderJob: N passes ending within 3 days (N + N/10 reminders) to a local sink answering after 20 ms (goal ≥ 1,000 sends/s)',
  job: sendExpiryReminderJob,
  sizes: { small: 400, default: 2_000, full: 20_000 },
  sample: { small: 50, default: 200, full: 200 },
  goal: { perSecondAtLeast: 1_000 },
  workload: (n) =>
    `${n.toLocaleString('en-US')} passes ending within ${DAYS} days, ${Math.floor(n / 10).toLocaleString('en-US')} of them with one use left (${messages(n).toLocaleString('en-US')} reminders), sink answers after 20 ms`,
  async setup() {
    const made = await sinkForJobs();
    sink = made.sink;
    return made.teardown;
  },
  prepare,
  params: ({ now }) => ({ now, days: DAYS, maxAttempts: 5, backoffMs: 500 }),
  check: ({ db }, items) => checkSent(db, sink, 'EXPIRY_REMINDER', items),
  limitText: 'INSERT INTO notification ... SELECT for ENDING and for LAST_USE; send all with the same notifier and in-flight count; one UPDATE marking them sent',
  async limit({ db, now }) {
    const d = db.dialect;
    const horizon = at(new Date(now.getTime() + DAYS * 24 * HOUR));
    const insert = (tx: Target, reason: string, where: string) =>
      exec(
        tx,
        `INSERT INTO notification (event, target_key, pass_seq, user_id, uuid, text, created_at) ` +
          `SELECT 'EXPIRY_REMINDER', ${concat(d, "'pass:'", 'p.pass_seq', `':${reason}'`)}, p.pass_seq, p.user_id, ${jsonText(d, 'u.meta', 'uuid')}, ` +
          `${concat(d, 'u.user_name', `'님, 이용권이 곧 종료됩니다.'`)}, ${at(now)} ` +
          `FROM pass p LEFT JOIN ${q(d, 'user')} u ON u.user_id = p.user_id WHERE p.status IN ('READY', 'PROGRESSED') AND ${where}`,
      );
    await db.kysely.transaction().execute(async (tx) => {
      await insert(tx, 'ENDING', `p.ended_at > ${at(now)} AND p.ended_at <= ${horizon}`);
      await insert(tx, 'LAST_USE', 'p.remaining_count = 1');
    });
    await sendAllAtOnce(db, sink, 'EXPIRY_REMINDER', now);
  },
  async loop({ db, now }, sample) {
    const d = db.dialect;
    const horizon = at(new Date(now.getTime() + DAYS * 24 * HOUR));
    const { rows } = await exec<{ pass_seq: number; user_id: string; user_name: string; phone: string | null; remaining_count: number | null; ended_at: string }>(
      db,
      `SELECT p.pass_seq, p.user_id, p.remaining_count, p.ended_at, u.user_name, u.phone FROM pass p LEFT JOIN ${q(d, 'user')} u ON u.user_id = p.user_id ` +
        `WHERE p.status IN ('READY', 'PROGRESSED') AND ((p.ended_at > ${at(now)} AND p.ended_at <= ${horizon}) OR p.remaining_count = 1) ORDER BY p.pass_seq LIMIT ${sample}`,
    );
    const notifier = webhookNotifier({ url: sink.url });
    let sent = 0;
    for (const p of rows) {
      const reasons = [...(p.ended_at ? ['ENDING'] : []), ...(Number(p.remaining_count) === 1 ? ['LAST_USE'] : [])];
      for (const reason of reasons) {
        const key = `pass:${Number(p.pass_seq)}:${reason}`;
        const text = `${p.user_name}님, 이용권이 곧 종료됩니다.`;
        await exec(db, `INSERT INTO notification (event, target_key, pass_seq, user_id, text, created_at) VALUES ('EXPIRY_REMINDER', '${key}', ${Number(p.pass_seq)}, '${p.user_id}', '${text}', ${at(now)})`);
        await notifier.send({ idempotencyKey: `EXPIRY_REMINDER:${key}`, event: 'EXPIRY_REMINDER', userId: p.user_id, phone: p.phone, text });
        await exec(db, `UPDATE notification SET sent = 1, sent_at = ${at(now)}, attempts = 1 WHERE event = 'EXPIRY_REMINDER' AND target_key = '${key}'`);
        sent++;
      }
    }
    await sink.reset();
    return sent;
  },
  workerFile: notificationWorkerFile,
  baseline: (items) => inFlightSeconds(items),
  note: (_ctx, m) => inFlightNote(m.items, m.seconds, m.limitSeconds),
});
