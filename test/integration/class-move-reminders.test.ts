// A class moved after its reminder was written, on both databases: the reminder ten minutes before
// a class (sendNotificationBeforeClassJob) names the start it reminds of in its key, so a reminder
// written for the old start and not yet sent when the class moves is withdrawn, never sent, and the
// booking gets its own reminder before the new start; one already sent stays sent, and the new start
// still gets one. A member gets at most one reminder per start, even when the class moves back, and a
// reminder written under the key an older version used ('booking:N') still counts as the booking's.
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { fromDbTime, toDbTime } from '../../main/batch/index.ts';
import { beforeClassKey, sendNotificationBeforeClassJob } from '../../main/pass/jobs/sendNotificationBeforeClassJob.ts';
import { startHttpSink, type HttpSink } from '../fixtures/httpSink.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('class reminders when a class moves', (backend) => {
  let h: ServiceHarness;
  let sink: HttpSink | undefined;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  /** a class's start: a whole minute half an hour or more ahead (the service refuses a past start), `slot` hours apart per test */
  const classAt = (slot: number) => Math.ceil((Date.now() + 30 * MINUTE) / MINUTE) * MINUTE + slot * 3 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const hhmm = (ms: number) => DateTime.fromMillis(ms, { zone: 'Asia/Seoul' }).toFormat('HH:mm');

  async function bookedMember(start: number) {
    const name = `알림 회원 ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName: name })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: iso(Date.now() - DAY), paymentMethod: 'CARD' });
    const [cls] = await h.service.call(desk(), 'classes.create', { title: `알림 수업 ${counter}`, startedAt: iso(start), endedAt: iso(start + HOUR), capacity: 5, packageSeqs: [1] });
    const booked = await h.service.call(desk(), 'bookings.create', { classSeq: cls!.classSeq, userId, passSeq: passes[0]!.passSeq });
    return { name, userId, classSeq: cls!.classSeq, bookingSeq: booked.bookingSeq! };
  }
  const move = (classSeq: number, start: number) => h.service.call(desk(), 'classes.update', { classSeq, startedAt: iso(start), endedAt: iso(start + HOUR) });
  /** the class reminders job as the schedule runs it, at `now` */
  async function run(now: number) {
    const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date(now), backoffMs: 0 }, { launchedBy: 'test' });
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
  }
  const reminders = async (bookingSeq: number) =>
    (await h.database.db.kysely.selectFrom('notification').select(['target_key', 'text', 'sent']).where('event', '=', 'BEFORE_CLASS').where('booking_seq', '=', bookingSeq).orderBy('notification_seq').execute()).map(
      (r) => ({ key: r.target_key, text: r.text, sent: Number(r.sent) }),
    );
  /** what the receiver took (2xx), reminders of this booking only, by idempotency key */
  const delivered = (bookingSeq: number) => [...sink!.delivered()].filter(([key]) => key.startsWith(`BEFORE_CLASS:booking:${bookingSeq}:`) || key === `BEFORE_CLASS:booking:${bookingSeq}`).map(([key, requests]) => [key, requests.length]);
  const key = (bookingSeq: number, start: number) => `booking:${bookingSeq}:at:${iso(start)}`;

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterEach(async () => {
    await h.database.db.kysely.deleteFrom('settings').where('setting_key', '=', 'notifier').execute();
    await sink?.close();
    sink = undefined;
  });
  afterAll(async () => {
    await h?.dispose();
  });

  async function withSink(failFraction = 0) {
    sink = await startHttpSink({ failFraction });
    await h.service.call(h.sessions.ADMIN, 'settings.update', { notifier: { kind: 'webhook', url: sink.url } });
  }

  it('a reminder written for the old start and not yet sent when the class moves an hour later is never sent, and the booking gets one reminder ten minutes before its new start', async () => {
    const start = classAt(0);
    const m = await bookedMember(start);
    await withSink(1); // the relay is down: the reminder is written, not sent
    await run(start - 10 * MINUTE);
    expect(await reminders(m.bookingSeq)).toEqual([{ key: key(m.bookingSeq, start), text: `${m.name}님, 10분 후 ${hhmm(start)} 수업이 시작됩니다.`, sent: 0 }]);

    sink!.failFraction = 0; // the relay is back, and the class moves an hour later
    await move(m.classSeq, start + HOUR);
    // the next run, still before the old start: the old reminder is withdrawn, not sent
    await run(start - 9 * MINUTE);
    expect(await reminders(m.bookingSeq)).toEqual([]);
    expect(delivered(m.bookingSeq)).toEqual([]);
    // ten minutes before the new start: its own reminder, sent once
    await run(start + 50 * MINUTE);
    await run(start + 51 * MINUTE);
    expect(await reminders(m.bookingSeq)).toEqual([{ key: key(m.bookingSeq, start + HOUR), text: `${m.name}님, 10분 후 ${hhmm(start + HOUR)} 수업이 시작됩니다.`, sent: 1 }]);
    expect(delivered(m.bookingSeq)).toEqual([[`BEFORE_CLASS:${key(m.bookingSeq, start + HOUR)}`, 1]]);
  });

  it('a reminder already sent for the old start stays sent, one for the new start still comes, and moving the class back to the old start sends no second reminder for it', async () => {
    const start = classAt(1);
    const m = await bookedMember(start);
    await withSink();
    await run(start - 10 * MINUTE);
    await move(m.classSeq, start + HOUR);
    await run(start + 50 * MINUTE);
    expect(await reminders(m.bookingSeq)).toEqual([
      { key: key(m.bookingSeq, start), text: `${m.name}님, 10분 후 ${hhmm(start)} 수업이 시작됩니다.`, sent: 1 },
      { key: key(m.bookingSeq, start + HOUR), text: `${m.name}님, 10분 후 ${hhmm(start + HOUR)} 수업이 시작됩니다.`, sent: 1 },
    ]);

    // back to the old start: it was reminded of once already
    await move(m.classSeq, start);
    await run(start - 5 * MINUTE);
    expect((await reminders(m.bookingSeq)).map((r) => [r.key, r.sent])).toEqual([
      [key(m.bookingSeq, start), 1],
      [key(m.bookingSeq, start + HOUR), 1],
    ]);
    expect(delivered(m.bookingSeq)).toEqual([
      [`BEFORE_CLASS:${key(m.bookingSeq, start)}`, 1],
      [`BEFORE_CLASS:${key(m.bookingSeq, start + HOUR)}`, 1],
    ]);
  });

  it("a reminder written under the key an older version used ('booking:N') is still the booking's reminder: none is written again under the new key", async () => {
    const start = classAt(2);
    const m = await bookedMember(start);
    await h.database.db.kysely
      .insertInto('notification')
      .values({ event: 'BEFORE_CLASS', target_key: `booking:${m.bookingSeq}`, booking_seq: m.bookingSeq, user_id: m.userId, text: `${m.name}님, 10분 후 ${hhmm(start)} 수업이 시작됩니다.`, sent: 1, sent_at: toDbTime(new Date()), attempts: 1 })
      .execute();
    await withSink();
    await run(start - 8 * MINUTE);
    expect((await reminders(m.bookingSeq)).map((r) => [r.key, r.sent])).toEqual([[`booking:${m.bookingSeq}`, 1]]);
    expect(delivered(m.bookingSeq)).toEqual([]);
  });

  /** the class reminders job's read and write counts of its reminder-writing step, as the schedule runs it at `now` */
  async function counts(now: number) {
    const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date(now), backoffMs: 0 }, { launchedBy: 'test' });
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
    const step = (await h.operator.repository.stepExecutions(execution.id)).find((s) => s.stepName === 'createBeforeClassNotificationsStep')!;
    return [step.readCount, step.writeCount];
  }
  const hasWork = (now: number) => sendNotificationBeforeClassJob.hasWork!(h.database.db, { now: new Date(now), minutesBefore: 10, maxAttempts: 5, backoffMs: 0 });

  it('a booking is read once per start: the runs of the ten minutes after its reminder read and write nothing, and the every-minute check finds no work, until the class moves', async () => {
    const start = classAt(3);
    const m = await bookedMember(start);
    await withSink();
    expect(await hasWork(start - 10 * MINUTE)).toBe(true);
    expect(await counts(start - 10 * MINUTE)).toEqual([1, 1]);
    // the next minutes: nothing to read (the schedule records them as skipped, no execution)
    expect(await hasWork(start - 9 * MINUTE)).toBe(false);
    expect(await counts(start - 9 * MINUTE)).toEqual([0, 0]);
    expect(await counts(start - MINUTE)).toEqual([0, 0]);
    // moved ten minutes later: the new start is to be reminded of, once
    await move(m.classSeq, start + 10 * MINUTE);
    expect(await hasWork(start)).toBe(true);
    expect(await counts(start)).toEqual([1, 1]);
    expect(await counts(start + MINUTE)).toEqual([0, 0]);
    expect((await reminders(m.bookingSeq)).map((r) => [r.key, r.sent])).toEqual([
      [key(m.bookingSeq, start), 1],
      [key(m.bookingSeq, start + 10 * MINUTE), 1],
    ]);
  });

  it('the reader knows a reminder by the same key the writer gives it, for a start with and without milliseconds', async () => {
    const m = await bookedMember(classAt(4));
    for (const startedAt of ['2031-03-04 05:06:07.089', '2031-03-04 05:06:07', '2031-12-31 23:59:59.999']) {
      await h.database.db.kysely.updateTable('booking').set({ started_at: startedAt }).where('booking_seq', '=', m.bookingSeq).execute();
      await h.database.db.kysely.deleteFrom('notification').where('booking_seq', '=', m.bookingSeq).execute();
      const now = fromDbTime(startedAt).getTime() - 5 * MINUTE;
      expect(await hasWork(now), startedAt).toBe(true);
      await h.database.db.kysely
        .insertInto('notification')
        .values({ event: 'BEFORE_CLASS', target_key: beforeClassKey(m.bookingSeq, fromDbTime(startedAt)), booking_seq: m.bookingSeq, user_id: m.userId, text: 'x', sent: 1, sent_at: toDbTime(new Date()), attempts: 1 })
        .execute();
      expect(await hasWork(now), startedAt).toBe(false);
    }
  });

  it('a reminder written for a booking cancelled before it was sent is withdrawn, never sent', async () => {
    const start = classAt(5);
    const m = await bookedMember(start);
    await withSink(1); // the relay is down: the reminder is written, not sent
    await run(start - 10 * MINUTE);
    expect((await reminders(m.bookingSeq)).map((r) => r.sent)).toEqual([0]);
    sink!.failFraction = 0;
    // cancelled (late: the cutoff counts it as a use, as the desk would) before the relay is back
    await h.service.call(desk(), 'bookings.cancel', { bookingSeq: m.bookingSeq });
    await run(start - 9 * MINUTE);
    expect(await reminders(m.bookingSeq)).toEqual([]);
    expect(delivered(m.bookingSeq)).toEqual([]);
  });
});
