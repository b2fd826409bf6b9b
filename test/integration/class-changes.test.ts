// A class given a new time, on both databases: every member booked into it or waiting for it is
// told through the outbox (CLASS_MOVED, one row per booking and waitlist place, naming the old and
// the new time), each move its own message, sent by the class reminders job; a change of title,
// instructor, capacity or packages tells no one. Once a member has checked in, the class keeps its
// time and can't be cancelled (a new title still can be given), and a refusal changes nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { paidFor } from '../support/payment.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('class changes tell the members', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  /** the service's clock: the real one, unless a test holds it still */
  let frozen: Date | null = null;
  const desk = () => h.sessions.FRONT_DESK;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / MINUTE) * MINUTE).toISOString();
  /** 2026-12-08 10:00~11:00, as the messages name a class's time (Seoul) */
  const span = (from: string, to: string) =>
    `${DateTime.fromISO(from, { zone: 'Asia/Seoul' }).toFormat('yyyy-MM-dd HH:mm')}~${DateTime.fromISO(to, { zone: 'Asia/Seoul' }).toFormat('HH:mm')}`;
  const kysely = () => h.database.db.kysely;
  /** `days` from today at hh:mm in Seoul, as the desk types it (so the message's particle is known: 15:30으로, 17:15로) */
  const seoul = (days: number, hhmm: string) => DateTime.now().setZone('Asia/Seoul').plus({ days }).toFormat(`yyyy-MM-dd'T'${hhmm}`);

  async function memberWithPass(packageSeq = 1): Promise<{ userId: string; passSeq: number; name: string }> {
    const name = `변경 회원 ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName: name })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at(-DAY), ...paidFor(packageSeq) });
    return { userId, passSeq: passes[0]!.passSeq, name };
  }

  async function newClass(startOffset: number, capacity = 10) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `필라테스 ${++counter}`, instructor: '김강사', startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity, packageSeqs: [1, 2] });
    return c!;
  }

  const book = (classSeq: number, m: { userId: string; passSeq: number }) => h.service.call(desk(), 'bookings.create', { classSeq, userId: m.userId, passSeq: m.passSeq });
  const movedRows = (userIds: string[]) =>
    kysely().selectFrom('notification').selectAll().where('event', '=', 'CLASS_MOVED').where('user_id', 'in', userIds).orderBy('notification_seq').execute();

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { now: () => frozen ?? new Date() } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a class given a new time tells each member booked or waiting once, in Korean naming the old and the new time; the answer and the activity log say how many were told', async () => {
    const cls = await newClass(3 * DAY, 2);
    const [a, b, c, gone] = [await memberWithPass(1), await memberWithPass(2), await memberWithPass(1), await memberWithPass(1)];
    const booked = [await book(cls.classSeq, a), await book(cls.classSeq, gone)];
    await h.service.call(desk(), 'bookings.cancel', { bookingSeq: booked[1]!.bookingSeq! }); // cancelled before the move: not told
    booked.push(await book(cls.classSeq, b));
    expect((await book(cls.classSeq, c)).outcome).toBe('WAITLISTED');
    const [waiting] = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist;

    const [from, to] = [seoul(4, '14:00'), seoul(4, '15:30')];
    const moved = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, startedAt: from, endedAt: to });
    expect(moved.notified).toBe(3);
    expect(moved.class).toMatchObject({ booked: 2, waiting: 1 });

    const rows = await movedRows([a.userId, b.userId, c.userId, gone.userId]);
    const before = span(cls.startedAt, cls.endedAt);
    const after = span(moved.class.startedAt, moved.class.endedAt);
    expect(after).toBe(`${from.replace('T', ' ')}~15:30`);
    expect(rows.map((n) => [n.user_id, n.target_key.replace(/:moved:.*$/, ''), n.booking_seq === null ? null : Number(n.booking_seq), Number(n.pass_seq), Number(n.sent)])).toEqual([
      [a.userId, `booking:${booked[0]!.bookingSeq}`, booked[0]!.bookingSeq, a.passSeq, 0],
      [b.userId, `booking:${booked[2]!.bookingSeq}`, booked[2]!.bookingSeq, b.passSeq, 0],
      [c.userId, `waitlist:${waiting!.waitlistSeq}`, null, c.passSeq, 0],
    ]);
    expect(rows.map((n) => n.text)).toEqual([
      `${a.name}님, 예약하신 ${before} ${cls.title} 수업이 ${after}으로 바뀌었습니다.`,
      `${b.name}님, 예약하신 ${before} ${cls.title} 수업이 ${after}으로 바뀌었습니다.`,
      `${c.name}님, 대기하시던 ${before} ${cls.title} 수업이 ${after}으로 바뀌었습니다. 대기 순서는 그대로입니다.`,
    ]);
    // one move, one moment: every key of it names the same one
    expect(new Set(rows.map((n) => n.target_key.replace(/^.*:moved:/, ''))).size).toBe(1);

    const [audit] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'classes.update' })).items;
    expect(audit).toMatchObject({ target: `class:${cls.classSeq}`, detail: expect.objectContaining({ notified: 3, startedAt: from }) });
  });

  it('a change of title, instructor, capacity or packages alone tells no one, nor does giving the same times again', async () => {
    const cls = await newClass(4 * DAY, 1);
    const [a, b] = [await memberWithPass(1), await memberWithPass(1)];
    await book(cls.classSeq, a);
    await book(cls.classSeq, b); // waiting
    const changes = [{ title: '필라테스 새 이름' }, { instructor: '박강사' }, { packageSeqs: [1, 2, 3] }, { startedAt: cls.startedAt, endedAt: cls.endedAt }, { capacity: 5 }];
    for (const change of changes) {
      expect((await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, ...change })).notified, JSON.stringify(change)).toBe(0);
    }
    expect(await movedRows([a.userId, b.userId])).toEqual([]);
    // the capacity raised moved b in, told as ever (WAITLIST_BOOKED), not as a move
    const told = await kysely().selectFrom('notification').select('event').where('user_id', 'in', [a.userId, b.userId]).execute();
    expect(told.map((n) => n.event)).toEqual(['WAITLIST_BOOKED']);
    const audits = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'classes.update' })).items.slice(0, changes.length);
    expect(audits.every((row) => (row.detail as { notified?: number }).notified === 0)).toBe(true);
  });

  it('two moves before the sending are two messages to each member, each with its own key (even at the same moment), and the class reminders job sends each once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-class-moved-'));
    await h.service.call(h.sessions.ADMIN, 'settings.update', { allowedFolders: [dir], notifier: { kind: 'logFile', path: join(dir, 'notifications.log') } });
    try {
      const cls = await newClass(5 * DAY, 1);
      const [a, b] = [await memberWithPass(1), await memberWithPass(1)];
      const booked = await book(cls.classSeq, a);
      await book(cls.classSeq, b);
      const [waiting] = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist;
      // both moves at one moment of the service's clock: the second must neither be dropped nor clash
      frozen = new Date();
      const first = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, startedAt: seoul(6, '15:00'), endedAt: seoul(6, '16:00') });
      const second = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, startedAt: seoul(6, '16:00'), endedAt: seoul(6, '17:15') });
      frozen = null;
      expect([first.notified, second.notified]).toEqual([2, 2]);
      const rows = await movedRows([a.userId, b.userId]);
      expect(rows.map((n) => [n.user_id, n.target_key.replace(/:moved:.*$/, '')])).toEqual([
        [a.userId, `booking:${booked.bookingSeq}`],
        [b.userId, `waitlist:${waiting!.waitlistSeq}`],
        [a.userId, `booking:${booked.bookingSeq}`],
        [b.userId, `waitlist:${waiting!.waitlistSeq}`],
      ]);
      expect(new Set(rows.map((n) => n.target_key)).size).toBe(4);
      // the first names the first new time, the second goes on from there
      const day = seoul(6, '00:00').slice(0, 10);
      expect(rows[0]!.text).toBe(`${a.name}님, 예약하신 ${span(cls.startedAt, cls.endedAt)} ${cls.title} 수업이 ${day} 15:00~16:00으로 바뀌었습니다.`);
      expect(rows[2]!.text).toBe(`${a.name}님, 예약하신 ${day} 15:00~16:00 ${cls.title} 수업이 ${day} 16:00~17:15로 바뀌었습니다.`);
      expect(rows[3]!.text).toBe(`${b.name}님, 대기하시던 ${day} 15:00~16:00 ${cls.title} 수업이 ${day} 16:00~17:15로 바뀌었습니다. 대기 순서는 그대로입니다.`);

      const run = async () => {
        const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date() }, { launchedBy: 'test' });
        expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
      };
      await run();
      const sent = await movedRows([a.userId, b.userId]);
      expect(sent.map((n) => Number(n.sent))).toEqual([1, 1, 1, 1]);
      // the log holds what this file's other tests wrote too: these four keys, each once, with their texts
      const keys = new Set(rows.map((n) => `CLASS_MOVED:${n.target_key}`));
      const logged = () =>
        readFileSync(join(dir, 'notifications.log'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { idempotencyKey: string; event: string; userId: string; text: string })
          .filter((m) => keys.has(m.idempotencyKey));
      expect(logged().map((m) => m.idempotencyKey).sort()).toEqual([...keys].sort());
      const byKey = (list: Array<[string, string, string]>) => list.sort((x, y) => x[0].localeCompare(y[0]));
      expect(byKey(logged().map((m) => [m.idempotencyKey, m.userId, m.text]))).toEqual(byKey(rows.map((n) => [`CLASS_MOVED:${n.target_key}`, n.user_id, n.text])));
      // a second run sends nothing again
      await run();
      expect(logged()).toHaveLength(4);
    } finally {
      frozen = null;
      await kysely().deleteFrom('settings').where('setting_key', 'in', ['notifier', 'allowedFolders']).execute();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('once a member has checked in, the class can neither be moved nor cancelled, saying why and what to do instead in both languages, and nothing changes; a new title or more places still go through', async () => {
    const cls = await newClass(30 * MINUTE, 1); // attendance is open: it opens an hour before
    const [a, b] = [await memberWithPass(1), await memberWithPass(1)];
    const booked = await book(cls.classSeq, a);
    await book(cls.classSeq, b); // waiting
    await h.service.call(desk(), 'bookings.markAttended', { bookingSeq: booked.bookingSeq!, attended: true });

    const before = await fullSnapshot(h);
    const move = await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, title: '옮길 수업', startedAt: at(2 * HOUR), endedAt: at(3 * HOUR) }));
    expect(move).toMatchObject({ code: 'CONFLICT', field: 'startedAt' });
    expect(move.text).toEqual({
      ko: '회원 1명이 이미 출석해 수업 시각을 바꿀 수 없습니다. 새 시각에는 수업을 새로 만들어 예약하거나, 출석을 잘못 표시했다면 먼저 출석을 취소하세요.',
      en: "1 member has already checked in, so the class's time can't be changed. Schedule a new class at the new time and book members into it instead, or, if the attendance was marked by mistake, take the mark back first.",
    });
    expect((await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, endedAt: at(2 * HOUR) }))).field).toBe('startedAt');
    const cancel = await refused(h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq }));
    expect(cancel.code).toBe('CONFLICT');
    expect(cancel.text).toEqual({
      ko: '회원 1명이 이미 출석해 수업을 취소할 수 없습니다. 오지 않는 회원의 예약만 취소하거나, 출석을 잘못 표시했다면 먼저 출석을 취소하세요.',
      en: "1 member has already checked in, so the class can't be cancelled. Cancel the bookings of the members who won't come instead, or, if the attendance was marked by mistake, take the mark back first.",
    });
    // the class row, its bookings, its waitlist, the outbox and the activity log are as they were
    expect(await fullSnapshot(h)).toEqual(before);

    // a new title, and a place more (which moves b in), still go through
    const renamed = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, title: '출석 뒤 새 이름', capacity: 2 });
    expect(renamed).toMatchObject({ notified: 0, class: { title: '출석 뒤 새 이름', capacity: 2, startedAt: cls.startedAt, booked: 2, waiting: 0 } });
    // the mark taken back (made by mistake): the class may move again, and both are told
    await h.service.call(desk(), 'bookings.markAttended', { bookingSeq: booked.bookingSeq!, attended: false });
    expect((await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, startedAt: at(2 * HOUR), endedAt: at(3 * HOUR) })).notified).toBe(2);
  });
});
