// The notification outbox on both databases: class reminders and expiry reminders written once
// per target, sent from worker threads to a local webhook sink that fails some requests, every
// one delivered under its one key; a sink that never answers leaves rows unsent with their
// error. Plus the notifiers themselves.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { JobOperator, toDbTime, type JobExecution } from '../../main/batch/index.ts';
import { sendExpiryReminderJob } from '../../main/pass/jobs/sendExpiryReminderJob.ts';
import { sendNotificationBeforeClassJob } from '../../main/pass/jobs/sendNotificationBeforeClassJob.ts';
import { desktopNotifier } from '../../main/pass/notify/desktopNotifier.ts';
import { notifierFromEnv, notifierSettingsFromEnv } from '../../main/pass/notify/fromEnv.ts';
import { logFileNotifier } from '../../main/pass/notify/logFileNotifier.ts';
import type { NotificationMessage } from '../../main/pass/notify/notifier.ts';
import { rateLimited } from '../../main/pass/notify/rateLimited.ts';
import { webhookNotifier } from '../../main/pass/notify/webhookNotifier.ts';
import { startHttpSink, type HttpSink } from '../fixtures/httpSink.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2026-01-05 08:50 in Seoul */
const NOW = new Date('2026-01-04T23:50:00.000Z');
const at = (ms: number) => toDbTime(new Date(NOW.getTime() + ms));
/** a class reminder's target key: the booking and the start it reminds of */
const reminderKey = (bookingSeq: number, startsIn: number) => `booking:${bookingSeq}:at:${new Date(NOW.getTime() + startsIn).toISOString()}`;
/** How many class reminders the load test sends (the acceptance's 20,000 unless told otherwise). */
const LOAD = Number(process.env.PASS_TEST_NOTIFICATIONS ?? 20_000);

const message = (over: Partial<NotificationMessage> = {}): NotificationMessage => ({
  idempotencyKey: 'BEFORE_CLASS:booking:1',
  event: 'BEFORE_CLASS',
  userId: 'u1',
  phone: '010-1234-5678',
  text: '홍길동님, 10분 후 09:00 수업이 시작됩니다.',
  ...over,
});

describeEachBackend('notification jobs', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator | undefined;
  let sink: HttpSink | undefined;
  beforeEach(async () => {
    t = await freshDatabase(backend);
  });
  afterEach(async () => {
    await operator?.close();
    operator = undefined;
    await sink?.close();
    sink = undefined;
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    await t.dispose();
  });

  /** Points the worker threads (they inherit this environment when the pool starts) at a sink. */
  async function withSink(options: { failFraction?: number } = {}) {
    sink = await startHttpSink(options);
    process.env.PASS_NOTIFIER_WEBHOOK_URL = sink.url;
    operator = new JobOperator({ database: t.db, jobs: [sendNotificationBeforeClassJob, sendExpiryReminderJob] });
    return sink;
  }

  // Sorted here: MySQL's collation and SQLite's byte order disagree on ':' against digits.
  const notifications = async () =>
    (
      await t.db.kysely
        .selectFrom('notification')
        .select(['event', 'target_key', 'user_id', 'booking_seq', 'pass_seq', 'text', 'sent', 'attempts', 'last_error', 'uuid'])
        .execute()
    ).sort((a, b) => (a.target_key < b.target_key ? -1 : 1));

  const steps = (e: JobExecution) => operator!.repository.stepExecutions(e.id);

  async function addUsers(count: number) {
    const rows = Array.from({ length: count }, (_, i) => ({
      user_id: `u${i + 1}`,
      user_name: i === 0 ? '홍길동' : `회원${i + 1}`,
      status: 'ACTIVE',
      phone: `010-0000-${String(i + 1).padStart(4, '0')}`,
      meta: i === 0 ? '{"uuid":"kakao-uuid-1"}' : null,
    }));
    for (let i = 0; i < rows.length; i += 500) await t.db.kysely.insertInto('user').values(rows.slice(i, i + 500)).execute();
  }

  async function addBookings(rows: Array<{ booking_seq: number; user_id: string; status?: string; startsIn: number }>) {
    const values = rows.map((r) => ({
      booking_seq: r.booking_seq,
      pass_seq: 1,
      user_id: r.user_id,
      status: r.status ?? 'READY',
      started_at: at(r.startsIn),
      ended_at: at(r.startsIn + 50 * MINUTE),
    }));
    for (let i = 0; i < values.length; i += 500) await t.db.kysely.insertInto('booking').values(values.slice(i, i + 500)).execute();
  }

  test(`${LOAD.toLocaleString('en')} class reminders against a sink failing 10% of requests: each delivered exactly once, under its one key`, async () => {
    await addUsers(500);
    await addBookings(Array.from({ length: LOAD }, (_, i) => ({ booking_seq: i + 1, user_id: `u${(i % 500) + 1}`, startsIn: (1 + (i % 9)) * MINUTE })));
    await withSink({ failFraction: 0.1 });
    const started = Date.now();
    const execution = await operator!.run('sendNotificationBeforeClassJob', { now: NOW, maxAttempts: 9, backoffMs: 5 });
    const seconds = (Date.now() - started) / 1000;
    expect(execution.status).toBe('COMPLETED');
    // A run tries a row 3 times (odds 1e-3 at 10% failure that all three fail); the rest is
    // picked up by the next run, as the every-minute schedule would. Two more runs at most.
    const unsentAfterFirst = Number((await t.db.kysely.selectFrom('notification').select((eb) => eb.fn.countAll().as('n')).where('sent', '=', 0).executeTakeFirst())!.n);
    let runs = 1;
    for (; runs < 3; runs++) {
      const unsent = await t.db.kysely.selectFrom('notification').select('notification_seq').where('sent', '=', 0).limit(1).execute();
      if (!unsent.length) break;
      const next = await operator!.run('sendNotificationBeforeClassJob', { now: new Date(NOW.getTime() + runs * 1000), maxAttempts: 9, backoffMs: 5 });
      expect(next.status).toBe('COMPLETED');
    }
    console.log(
      `[${backend}] ${LOAD} notifications written and sent in ${seconds.toFixed(1)} s (${unsentAfterFirst} left for the next run; ${runs} runs); ${sink!.requests.length} requests`,
    );

    const rows = await notifications();
    expect(rows).toHaveLength(LOAD);
    expect(rows.every((r) => Number(r.sent) === 1)).toBe(true);
    const keys = new Set(rows.map((r) => `${r.event}:${r.target_key}`));
    expect(keys.size).toBe(LOAD);

    const delivered = sink!.delivered();
    // every notification delivered, under its own key and no other; none twice
    expect([...delivered.keys()].sort()).toEqual([...keys].sort());
    expect([...delivered.values()].every((requests) => requests.length === 1)).toBe(true);
    for (const [key, [request]] of delivered) expect(request!.body.idempotencyKey).toBe(key);
    // the failures were real, and retried
    const failed = sink!.requests.filter((r) => r.status !== 200).length;
    expect(failed).toBeGreaterThan(LOAD * 0.05);
    expect(sink!.requests.length).toBe(LOAD + failed);
    const attempts = rows.reduce((sum, r) => sum + Number(r.attempts), 0);
    expect(attempts).toBe(sink!.requests.length);

    const all = await steps(execution);
    const partitions = all.filter((s) => s.stepName.startsWith('sendBeforeClassNotificationsStep:partition'));
    expect(partitions.length).toBe(4);
    expect(partitions.every((p) => p.status === 'COMPLETED')).toBe(true);
    expect(partitions.reduce((sum, p) => sum + p.writeCount, 0)).toBe(LOAD);
    expect(all.find((s) => s.stepName === 'createBeforeClassNotificationsStep')).toMatchObject({ readCount: LOAD, writeCount: LOAD });
  });

  /** The send partitions' chunk commits, as the console's live progress receives them. */
  function sendCommits() {
    const commits: Array<{ step: string; written: number; sinkRequests: number }> = [];
    const manager: number[] = [];
    const unsubscribe = operator!.events.subscribe((event) => {
      if (event.type !== 'chunk-committed') return;
      if (event.step.stepName.includes(':partition')) commits.push({ step: event.step.stepName, written: event.step.writeCount, sinkRequests: sink!.requests.length });
      else if (event.step.stepName === 'sendBeforeClassNotificationsStep') manager.push(event.step.writeCount);
    });
    return { commits, manager, unsubscribe };
  }

  test('with a slow webhook the live counts move as messages go out: each partition commits its sends a few at a time, not all at the end', async () => {
    await addUsers(400);
    await addBookings(Array.from({ length: 400 }, (_, i) => ({ booking_seq: i + 1, user_id: `u${i + 1}`, startsIn: 5 * MINUTE })));
    await withSink();
    sink!.delayMs = 500;
    const { commits, manager, unsubscribe } = sendCommits();
    const execution = await operator!.run('sendNotificationBeforeClassJob', { now: NOW });
    unsubscribe();
    expect(execution.status).toBe('COMPLETED');
    const partitions = (await steps(execution)).filter((s) => s.stepName.includes(':partition'));
    expect(partitions.reduce((sum, p) => sum + p.writeCount, 0)).toBe(400);
    for (const partition of partitions) {
      const own = commits.filter((c) => c.step === partition.stepName);
      // several commits, the first one well before the partition's last send
      expect(own.length).toBeGreaterThan(1);
      expect(own[0]!.written).toBeLessThan(partition.writeCount);
      expect(partition.commitCount).toBeGreaterThan(1);
    }
    expect(commits[0]!.sinkRequests).toBeLessThan(400);
    // the partitioned step itself counts its partitions' sends so far, on every partition commit
    expect(manager.length).toBeGreaterThanOrEqual(commits.length);
    expect(manager[0]).toBeLessThan(400);
    expect(manager).toEqual([...manager].sort((a, b) => a - b));
    expect(manager.at(-1)).toBe(400);
  });

  test('a stop lands between sends, not after the whole chunk: what was sent is marked sent, and the restart sends only the rest, each once', async () => {
    await addUsers(2000);
    await addBookings(Array.from({ length: 2000 }, (_, i) => ({ booking_seq: i + 1, user_id: `u${i + 1}`, startsIn: 5 * MINUTE })));
    await withSink();
    sink!.delayMs = 200;
    const launched = await operator!.start('sendNotificationBeforeClassJob', { now: NOW });
    while (sink!.requests.length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await operator!.stop(launched.execution.id);
    const stopped = await launched.done;
    expect(stopped.status).toBe('STOPPED');
    // 2,000 waiting in four partitions of 500 on two threads: a stop at the end of a chunk of
    // 400 would have let 800 go out first
    expect(sink!.requests.length).toBeLessThan(400);
    const marked = (await notifications()).filter((r) => Number(r.sent) === 1).map((r) => `${r.event}:${r.target_key}`).sort();
    expect(marked).toEqual([...sink!.delivered().keys()].sort());

    const restarted = await operator!.restart(stopped.id).then((l) => l.done);
    expect(restarted.status).toBe('COMPLETED');
    const rows = await notifications();
    expect(rows.every((r) => Number(r.sent) === 1)).toBe(true);
    const delivered = sink!.delivered();
    expect(delivered.size).toBe(2000);
    expect([...delivered.values()].every((requests) => requests.length === 1)).toBe(true);
  });

  test('class reminders: READY bookings starting within the window, one row per booking however often the job runs', async () => {
    await addUsers(3);
    await addBookings([
      { booking_seq: 1, user_id: 'u1', startsIn: 10 * MINUTE }, // 09:00, the window's last instant
      { booking_seq: 2, user_id: 'u2', startsIn: 0 }, // starts right now
      { booking_seq: 3, user_id: 'u3', startsIn: 10 * MINUTE + 1 }, // just outside
      { booking_seq: 4, user_id: 'u3', startsIn: -1 }, // already started
      { booking_seq: 5, user_id: 'u2', startsIn: 5 * MINUTE, status: 'CANCELLED' },
      { booking_seq: 6, user_id: 'nobody', startsIn: 5 * MINUTE + 30_000 }, // no member row
    ]);
    await withSink();
    const first = await operator!.run('sendNotificationBeforeClassJob', { now: NOW });
    expect(first.status).toBe('COMPLETED');
    const [k1, k2, k3, k6] = [reminderKey(1, 10 * MINUTE), reminderKey(2, 0), reminderKey(3, 10 * MINUTE + 1), reminderKey(6, 5 * MINUTE + 30_000)];
    const expected = [
      { target_key: k1, booking_seq: 1, user_id: 'u1', uuid: 'kakao-uuid-1', text: '홍길동님, 10분 후 09:00 수업이 시작됩니다.' },
      { target_key: k2, booking_seq: 2, user_id: 'u2', uuid: null, text: '회원2님, 08:50 수업이 곧 시작됩니다.' },
      { target_key: k6, booking_seq: 6, user_id: 'nobody', uuid: null, text: '회원님, 6분 후 08:55 수업이 시작됩니다.' },
    ];
    const shape = (rows: Awaited<ReturnType<typeof notifications>>) =>
      rows.map((r) => ({ target_key: r.target_key, booking_seq: Number(r.booking_seq), user_id: r.user_id, uuid: r.uuid, text: r.text, sent: Number(r.sent), attempts: Number(r.attempts) }));
    expect(shape(await notifications())).toEqual(expected.map((e) => ({ ...e, sent: 1, attempts: 1 })));
    expect(sink!.requests.map((r) => r.key).sort()).toEqual([`BEFORE_CLASS:${k1}`, `BEFORE_CLASS:${k2}`, `BEFORE_CLASS:${k6}`]);
    expect(k1).toBe('booking:1:at:2026-01-05T00:00:00.000Z');
    expect(sink!.requests.find((r) => r.key === `BEFORE_CLASS:${k1}`)!.body).toEqual({
      idempotencyKey: `BEFORE_CLASS:${k1}`,
      event: 'BEFORE_CLASS',
      userId: 'u1',
      phone: '010-0000-0001',
      text: '홍길동님, 10분 후 09:00 수업이 시작됩니다.',
    });

    // A minute later (a new instance): bookings 1 and 6 are still in the window, reminded of
    // already: not read again, no second row, nothing resent; booking 3 has come into the window
    // and is the one booking read, and gets its one row.
    const later = await operator!.run('sendNotificationBeforeClassJob', { now: new Date(NOW.getTime() + MINUTE) });
    expect(later.status).toBe('COMPLETED');
    const [create] = await steps(later);
    expect(create).toMatchObject({ stepName: 'createBeforeClassNotificationsStep', readCount: 1, writeCount: 1 });
    const withThree = [...expected, { target_key: k3, booking_seq: 3, user_id: 'u3', uuid: null, text: '회원3님, 10분 후 09:00 수업이 시작됩니다.' }].sort((a, b) =>
      a.target_key < b.target_key ? -1 : 1,
    );
    expect(shape(await notifications())).toEqual(withThree.map((e) => ({ ...e, sent: 1, attempts: 1 })));
    expect(sink!.requests.map((r) => r.key).sort()).toEqual([`BEFORE_CLASS:${k1}`, `BEFORE_CLASS:${k2}`, `BEFORE_CLASS:${k3}`, `BEFORE_CLASS:${k6}`]);

    // Once more a few seconds on: the same bookings, nothing new.
    const again = await operator!.run('sendNotificationBeforeClassJob', { now: new Date(NOW.getTime() + MINUTE + 5_000) });
    expect(again.status).toBe('COMPLETED');
    expect(shape(await notifications())).toEqual(withThree.map((e) => ({ ...e, sent: 1, attempts: 1 })));
    expect(sink!.requests).toHaveLength(4);
  });

  test('a sink that always fails: rows stay unsent with their attempts and last error, and the next run leaves them be', async () => {
    await addUsers(2);
    await addBookings([
      { booking_seq: 1, user_id: 'u1', startsIn: 5 * MINUTE },
      { booking_seq: 2, user_id: 'u2', startsIn: 6 * MINUTE },
    ]);
    await withSink({ failFraction: 1 });
    const execution = await operator!.run('sendNotificationBeforeClassJob', { now: NOW, maxAttempts: 3, backoffMs: 1 });
    expect(execution.status).toBe('COMPLETED');
    const rows = await notifications();
    expect(rows.map((r) => ({ sent: Number(r.sent), attempts: Number(r.attempts) }))).toEqual([
      { sent: 0, attempts: 3 },
      { sent: 0, attempts: 3 },
    ]);
    for (const r of rows) expect(r.last_error).toMatch(/answered 503 Service Unavailable: try later/);
    expect(sink!.requests).toHaveLength(6);
    expect(new Set(sink!.requests.map((r) => r.key))).toEqual(new Set([`BEFORE_CLASS:${reminderKey(1, 5 * MINUTE)}`, `BEFORE_CLASS:${reminderKey(2, 6 * MINUTE)}`]));

    const again = await operator!.run('sendNotificationBeforeClassJob', { now: new Date(NOW.getTime() + MINUTE), maxAttempts: 3, backoffMs: 1 });
    expect(again.status).toBe('COMPLETED');
    expect(sink!.requests).toHaveLength(6);
    expect((await notifications()).map((r) => Number(r.attempts))).toEqual([3, 3]);

    // With a larger budget and the relay back, the next run delivers them.
    sink!.failFraction = 0;
    const recovered = await operator!.run('sendNotificationBeforeClassJob', { now: new Date(NOW.getTime() + 2 * MINUTE), maxAttempts: 5, backoffMs: 1 });
    expect(recovered.status).toBe('COMPLETED');
    expect((await notifications()).map((r) => ({ sent: Number(r.sent), attempts: Number(r.attempts) }))).toEqual([
      { sent: 1, attempts: 4 },
      { sent: 1, attempts: 4 },
    ]);
  });

  test('expiry reminders: exact rows, once per pass and reason; a second run adds nothing', async () => {
    await addUsers(3);
    await t.db.kysely
      .insertInto('package')
      .values([
        { package_seq: 1, package_name: 'PT 10회 / 60일', count: 10, period: 60 },
        { package_seq: 2, package_name: '3개월 헬스 무제한', count: null, period: 90 },
      ])
      .execute();
    const pass = (pass_seq: number, status: string, remaining_count: number | null, endsIn: number | null, package_seq = 1, user_id = 'u1') => ({
      pass_seq,
      package_seq,
      user_id,
      status,
      remaining_count,
      started_at: at(-30 * DAY),
      ended_at: endsIn === null ? null : at(endsIn),
    });
    await t.db.kysely
      .insertInto('pass')
      .values([
        pass(1, 'PROGRESSED', 5, 2 * DAY), // ENDING
        pass(2, 'READY', 3, 3 * DAY, 1, 'u2'), // ENDING, the window's last instant
        pass(3, 'PROGRESSED', 5, 3 * DAY + 1), // nothing: just outside
        pass(4, 'PROGRESSED', 1, 30 * DAY, 1, 'u2'), // LAST_USE
        pass(5, 'PROGRESSED', 1, DAY, 1, 'u3'), // both
        pass(6, 'EXPIRED', 1, DAY), // nothing: expired
        pass(7, 'PROGRESSED', null, null, 2), // nothing: unlimited, never ends
        pass(8, 'PROGRESSED', 4, 0), // nothing: ended exactly now
        pass(9, 'PROGRESSED', null, DAY, 2, 'u3'), // ENDING, unlimited uses
        pass(10, 'PROGRESSED', 1, null, 1, 'u3'), // LAST_USE, no end
        pass(11, 'PROGRESSED', 0, DAY), // ENDING (no uses left, but still ending)
      ])
      .execute();
    await withSink();
    const first = await operator!.run('sendExpiryReminderJob', { now: NOW });
    expect(first.status).toBe('COMPLETED');
    const expected: Array<[string, string, string]> = [
      ['pass:1:ENDING', 'u1', '홍길동님, [PT 10회 / 60일] 이용권이 2026년 1월 7일(수) 08:50에 종료됩니다. 잔여 횟수: 5회.'],
      ['pass:10:LAST_USE', 'u3', '회원3님, [PT 10회 / 60일] 이용권의 잔여 횟수가 1회 남았습니다. 기간 제한 없이 사용할 수 있습니다.'],
      ['pass:11:ENDING', 'u1', '홍길동님, [PT 10회 / 60일] 이용권이 2026년 1월 6일(화) 08:50에 종료됩니다. 잔여 횟수: 0회.'],
      ['pass:2:ENDING', 'u2', '회원2님, [PT 10회 / 60일] 이용권이 2026년 1월 8일(목) 08:50에 종료됩니다. 잔여 횟수: 3회.'],
      ['pass:4:LAST_USE', 'u2', '회원2님, [PT 10회 / 60일] 이용권의 잔여 횟수가 1회 남았습니다. 2026년 2월 4일(수) 08:50까지 사용할 수 있습니다.'],
      ['pass:5:ENDING', 'u3', '회원3님, [PT 10회 / 60일] 이용권이 2026년 1월 6일(화) 08:50에 종료됩니다. 잔여 횟수: 1회.'],
      ['pass:5:LAST_USE', 'u3', '회원3님, [PT 10회 / 60일] 이용권의 잔여 횟수가 1회 남았습니다. 2026년 1월 6일(화) 08:50까지 사용할 수 있습니다.'],
      ['pass:9:ENDING', 'u3', '회원3님, [3개월 헬스 무제한] 이용권이 2026년 1월 6일(화) 08:50에 종료됩니다. 잔여 횟수: 무제한.'],
    ];
    const shape = async () =>
      (await notifications()).map((r) => ({ event: r.event, target_key: r.target_key, pass_seq: Number(r.pass_seq), user_id: r.user_id, text: r.text, sent: Number(r.sent) }));
    const want = expected.map(([target_key, user_id, text]) => ({
      event: 'EXPIRY_REMINDER',
      target_key,
      pass_seq: Number(target_key.split(':')[1]),
      user_id,
      text,
      sent: 1,
    })).sort((a, b) => (a.target_key < b.target_key ? -1 : 1));
    expect(await shape()).toEqual(want);
    expect(sink!.requests.map((r) => r.key).sort()).toEqual(expected.map(([k]) => `EXPIRY_REMINDER:${k}`).sort());

    // A minute later: pass 3 has come within three days and gets its reminder; the others
    // keep their one row each and are not sent again.
    const second = await operator!.run('sendExpiryReminderJob', { now: new Date(NOW.getTime() + MINUTE) });
    expect(second.status).toBe('COMPLETED');
    const pass3 = { event: 'EXPIRY_REMINDER', target_key: 'pass:3:ENDING', pass_seq: 3, user_id: 'u1', text: '홍길동님, [PT 10회 / 60일] 이용권이 2026년 1월 8일(목) 08:50에 종료됩니다. 잔여 횟수: 5회.', sent: 1 };
    const withPass3 = [...want, pass3].sort((a, b) => (a.target_key < b.target_key ? -1 : 1));
    expect(await shape()).toEqual(withPass3);
    expect(sink!.requests).toHaveLength(expected.length + 1);

    // And a second run over the same passes adds nothing at all.
    const third = await operator!.run('sendExpiryReminderJob', { now: new Date(NOW.getTime() + 2 * MINUTE) });
    expect(third.status).toBe('COMPLETED');
    expect(await shape()).toEqual(withPass3);
    expect(sink!.requests).toHaveLength(expected.length + 1);
  });
});

describe('notifiers', () => {
  let sink: HttpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  test('webhook: POSTs the message as JSON with its Idempotency-Key and the configured headers', async () => {
    sink = await startHttpSink();
    await webhookNotifier({ url: sink.url, headers: { authorization: 'Bearer t0ken' } }).send(message());
    expect(sink.requests).toHaveLength(1);
    const [request] = sink.requests;
    expect(request!.key).toBe('BEFORE_CLASS:booking:1');
    expect(request!.headers.authorization).toBe('Bearer t0ken');
    expect(request!.headers['content-type']).toMatch(/application\/json/);
    expect(request!.body).toEqual(message());
  });

  test('webhook: a non-2xx answer and a timeout are errors that say what happened', async () => {
    sink = await startHttpSink({ failFraction: 1 });
    await expect(webhookNotifier({ url: sink.url }).send(message())).rejects.toThrow(/answered 503/);
    sink.failFraction = 0;
    sink.delayMs = 500;
    await expect(webhookNotifier({ url: sink.url, timeoutMs: 50 }).send(message())).rejects.toThrow(/no answer within 50 ms/);
  });

  test('webhook: sends in flight at once share kept-alive connections; a long refusing body is cut to an excerpt; a closed port is an error', async () => {
    const sockets = new Set<unknown>();
    const server = createServer((req, res) => {
      sockets.add(req.socket);
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(req.headers['idempotency-key'] === 'refuse' ? 500 : 200).end(req.headers['idempotency-key'] === 'refuse' ? 'x'.repeat(1000) : 'ok'), 20));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
    try {
      const notifier = webhookNotifier({ url });
      for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 8 }, (_, i) => notifier.send(message({ idempotencyKey: `k${round}-${i}` }))));
      expect(sockets.size).toBeLessThanOrEqual(8); // 24 sends, 8 at a time, over at most 8 connections
      const refused = await notifier.send(message({ idempotencyKey: 'refuse' })).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(/answered 500 Internal Server Error: x{200}$/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await expect(webhookNotifier({ url }).send(message())).rejects.toThrow(/Webhook http:\/\/127\.0\.0\.1:\d+\/notify: .*ECONNREFUSED/);
  });

  test('log file: one JSON line per message, appended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-notify-'));
    try {
      const path = join(dir, 'nested', 'notifications.log');
      const notifier = logFileNotifier(path);
      await notifier.send(message());
      await notifier.send(message({ idempotencyKey: 'BEFORE_CLASS:booking:2' }));
      const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.idempotencyKey)).toEqual(['BEFORE_CLASS:booking:1', 'BEFORE_CLASS:booking:2']);
      expect(lines[0]).toMatchObject({ text: message().text, userId: 'u1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('desktop: hands the shell a title in the glossary words and the text', async () => {
    const shown: unknown[] = [];
    await desktopNotifier((n) => void shown.push({ title: n.title, body: n.body })).send(message({ event: 'EXPIRY_REMINDER' }));
    expect(shown).toEqual([{ title: '만료 예정 알림', body: message().text }]);
  });

  test('rate limit: 10 sends at 50 per second go out 20 ms apart, even when started at once', async () => {
    // A fake clock: the spacing is the limiter's arithmetic, not the machine's timer jitter.
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const times: number[] = [];
      const limited = rateLimited({ send: async () => void times.push(Date.now() - 1_000_000) }, 50);
      const all = Promise.all(Array.from({ length: 10 }, () => limited.send(message())));
      await vi.advanceTimersByTimeAsync(1000);
      await all;
      expect(times).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('from the environment: the webhook when PASS_NOTIFIER_WEBHOOK_URL is set, else the log file', async () => {
    const saved = { ...process.env };
    const dir = mkdtempSync(join(tmpdir(), 'pass-notify-'));
    try {
      delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
      process.env.PASS_DATA_DIR = dir;
      delete process.env.PASS_NOTIFIER_LOG;
      await notifierFromEnv().send(message());
      expect(readFileSync(join(dir, 'notifications.log'), 'utf8')).toContain('BEFORE_CLASS:booking:1');

      sink = await startHttpSink();
      process.env.PASS_NOTIFIER_WEBHOOK_URL = sink.url;
      process.env.PASS_NOTIFIER_WEBHOOK_HEADERS = '{"x-relay":"kakao"}';
      await notifierFromEnv().send(message());
      expect(sink.requests[0]!.headers['x-relay']).toBe('kakao');

      process.env.PASS_NOTIFIER_WEBHOOK_HEADERS = 'not json';
      expect(() => notifierSettingsFromEnv()).toThrow(/PASS_NOTIFIER_WEBHOOK_HEADERS must be a JSON object/);
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
