// Issue 18, slice 3 in the service, on both databases: classes on the calendar (repeated weekly),
// booking a member into one with a pass (refused with the reason when the pass can't pay for it),
// the waitlist of a full class and the cancellation that moves its first member in (with a
// notification in the outbox), late cancellations under the policy, two desks racing for the last
// place, and every change with its activity-log row in one transaction.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromDbTime, toDbTime } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { paidFor } from '../support/payment.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEachBackend('classes and bookings', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000).toISOString();

  /** a new member with a pass of `packageSeq` starting `startOffset` ms from now */
  async function memberWithPass(packageSeq: number, startOffset = -DAY): Promise<{ userId: string; passSeq: number }> {
    const userId = (await h.service.call(desk(), 'members.create', { userName: `예약 회원 ${++counter}` })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at(startOffset), ...paidFor(packageSeq) });
    return { userId, passSeq: passes[0]!.passSeq };
  }

  async function newClass(startOffset: number, capacity = 10, packageSeqs = [1, 2, 5]) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `필라테스 ${++counter}`, instructor: '김강사', startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity, packageSeqs });
    return c!;
  }

  const remaining = async (passSeq: number) =>
    (await h.database.db.kysely.selectFrom('pass').select('remaining_count').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).remaining_count;

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a class repeated weekly keeps its weekday and time for N weeks, shows on the calendar with its packages, and is audited once', async () => {
    const start = at(3 * DAY);
    const made = await h.service.call(desk(), 'classes.create', { title: '요가 기초', startedAt: start, endedAt: at(3 * DAY + HOUR), capacity: 8, packageSeqs: [3, 1, 1], repeatWeeks: 4 });
    expect(made).toHaveLength(4);
    expect(made.map((c) => Date.parse(c.startedAt) - Date.parse(start))).toEqual([0, 7 * DAY, 14 * DAY, 21 * DAY]);
    expect(made.every((c) => c.seriesSeq === made[0]!.classSeq && Date.parse(c.endedAt) - Date.parse(c.startedAt) === HOUR)).toBe(true);
    expect(made[0]).toMatchObject({ title: '요가 기초', instructor: null, capacity: 8, packageSeqs: [1, 3], booked: 0, waiting: 0 });
    const week = await h.service.call(desk(), 'classes.list', { from: at(2 * DAY), to: at(9 * DAY) });
    expect(week.map((c) => c.classSeq)).toContain(made[0]!.classSeq);
    expect(week.map((c) => c.classSeq)).not.toContain(made[1]!.classSeq);
    const audit = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'classes.create' })).items;
    expect(audit).toEqual([expect.objectContaining({ actor: 'desk1', detail: expect.objectContaining({ classSeqs: made.map((c) => c.classSeq) }) })]);
    // refused: an end before the start, a package that does not exist, a calendar of a year
    expect((await refused(h.service.call(desk(), 'classes.create', { title: 'x', startedAt: start, endedAt: start, capacity: 1, packageSeqs: [1] }))).field).toBe('endedAt');
    expect((await refused(h.service.call(desk(), 'classes.create', { title: 'x', startedAt: start, endedAt: at(3 * DAY + HOUR), capacity: 1, packageSeqs: [999] }))).field).toBe('packageSeqs.0');
    expect((await refused(h.service.call(desk(), 'classes.list', { from: at(0), to: at(365 * DAY) }))).field).toBe('to');
  });

  it('a class whose start has passed is refused, saying so in both languages, and a weekly series is judged by its first class; nothing is written', async () => {
    const before = await fullSnapshot(h);
    const once = await refused(h.service.call(desk(), 'classes.create', { title: '지난 수업', startedAt: at(-10 * 60_000), endedAt: at(50 * 60_000), capacity: 5, packageSeqs: [1] }));
    expect(once).toMatchObject({ code: 'VALIDATION', field: 'startedAt' });
    expect(once.text.ko).toMatch(/^시작일: 이미 지난 시각입니다\(\d{4}-\d\d-\d\d \d\d:\d\d, 지금 \d{4}-\d\d-\d\d \d\d:\d\d\)\. 지금 이후로 정하세요$/);
    expect(once.text.en).toMatch(/^startedAt: \d{4}-\d\d-\d\d \d\d:\d\d has already passed \(it is \d{4}-\d\d-\d\d \d\d:\d\d now\); choose a later start$/);
    // a year ago, weekly for 52 weeks: the later classes would be ahead, but the first is not
    const weekly = await refused(h.service.call(desk(), 'classes.create', { title: '지난 시리즈', startedAt: at(-360 * DAY), endedAt: at(-360 * DAY + HOUR), capacity: 5, packageSeqs: [1], repeatWeeks: 52 }));
    expect(weekly.field).toBe('startedAt');
    expect(await fullSnapshot(h)).toEqual(before);
    // a start a minute ahead is taken
    const [soon] = await h.service.call(desk(), 'classes.create', { title: '곧 시작', startedAt: at(2 * 60_000), endedAt: at(HOUR), capacity: 5, packageSeqs: [1] });
    expect(soon!.title).toBe('곧 시작');
  });

  it('a class is edited before it starts: title, instructor, packages, capacity and times change, its bookings follow the new times, more places move the waiting in with a notification, and the activity log keeps what it was', async () => {
    const cls = await newClass(3 * DAY, 1, [1, 2]);
    const [a, b, c] = [await memberWithPass(1), await memberWithPass(2), await memberWithPass(1)];
    const booked = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...a });
    await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...b });
    await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...c });
    // the new times read once: two reads of the clock may fall on two sides of a minute
    const [newStart, newEnd] = [at(3 * DAY + 2 * HOUR), at(3 * DAY + 3 * HOUR)];
    const edited = await h.service.call(desk(), 'classes.update', {
      classSeq: cls.classSeq,
      title: '필라테스 심화',
      instructor: null,
      startedAt: newStart,
      endedAt: newEnd,
      capacity: 2,
      packageSeqs: [2, 1, 3],
    });
    expect(edited.class).toMatchObject({ title: '필라테스 심화', instructor: null, startedAt: newStart, endedAt: newEnd, capacity: 2, packageSeqs: [1, 2, 3], booked: 2, waiting: 1 });
    // b waited first and moved in; c still waits
    expect(edited.bookings.map((x) => [x.userId, x.status])).toEqual([[a.userId, 'READY'], [b.userId, 'READY']]);
    expect(edited.waitlist.map((w) => w.userId)).toEqual([c.userId]);
    const bookingTimes = await h.database.db.kysely.selectFrom('booking').select(['started_at', 'ended_at']).where('class_seq', '=', cls.classSeq).execute();
    expect(bookingTimes.map((t) => [fromDbTime(t.started_at).toISOString(), fromDbTime(t.ended_at).toISOString()])).toEqual([
      [newStart, newEnd],
      [newStart, newEnd],
    ]);
    // b, waiting when the class moved, is told of the move first, then that they moved in
    const note = await h.database.db.kysely.selectFrom('notification').selectAll().where('user_id', '=', b.userId).orderBy('notification_seq').execute();
    expect(note).toEqual([expect.objectContaining({ event: 'CLASS_MOVED', sent: 0 }), expect.objectContaining({ event: 'WAITLIST_BOOKED', sent: 0 })]);
    expect(note[1]!.text).toContain('필라테스 심화');
    expect(edited.notified).toBe(3);
    const [audit] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'classes.update' })).items;
    expect(audit).toMatchObject({
      actor: 'desk1',
      target: `class:${cls.classSeq}`,
      detail: expect.objectContaining({ capacity: 2, before: expect.objectContaining({ title: cls.title, instructor: '김강사', capacity: 1, packageSeqs: [1, 2], startedAt: cls.startedAt }), promoted: [expect.objectContaining({ userId: b.userId })] }),
    });
    // a title alone; the rest stays
    const renamed = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, title: '필라테스 중급' });
    expect(renamed.class).toMatchObject({ title: '필라테스 중급', capacity: 2, startedAt: newStart, packageSeqs: [1, 2, 3] });
    expect(booked.bookingSeq).toBe(renamed.bookings[0]!.bookingSeq);
  });

  it('an edit is refused, saying why, when the capacity would go below the places booked, a package a booking pays with is taken off, the start is past or after the end, or a booked pass would not cover the new time; nothing is written', async () => {
    const cls = await newClass(4 * DAY, 5, [1, 5]);
    const [a, b] = [await memberWithPass(1), await memberWithPass(1)];
    const endsSoon = await memberWithPass(5, -25 * DAY); // 30 days: ends in 5 days
    for (const m of [a, b, endsSoon]) await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...m });
    const before = await fullSnapshot(h);
    const update = (change: Record<string, unknown>) => refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, ...change }));

    const small = await update({ capacity: 2 });
    expect(small).toMatchObject({ code: 'VALIDATION', field: 'capacity' });
    expect(small.text).toEqual({
      ko: '정원: 이미 3명이 예약해 정원을 3명보다 줄일 수 없습니다. 먼저 예약을 취소하세요',
      en: "capacity: 3 members are already booked, so the capacity can't be less than 3; cancel bookings first",
    });
    const dropped = await update({ packageSeqs: [5] });
    expect(dropped.field).toBe('packageSeqs');
    expect(dropped.text.en).toMatch(/^packageSeqs: 2 booked members pay with '.+' passes, so that package can't be taken off; cancel their bookings first$/);
    expect((await update({ startedAt: at(-HOUR) })).field).toBe('startedAt');
    expect((await update({ endedAt: at(4 * DAY - HOUR) })).field).toBe('endedAt');
    const moved = await update({ startedAt: at(6 * DAY), endedAt: at(6 * DAY + HOUR) });
    expect(moved).toMatchObject({ code: 'CONFLICT', field: 'startedAt' });
    expect(moved.text.en).toContain(endsSoon.userId);
    expect(moved.text.ko).toContain(endsSoon.userId);
    expect((await update({})).code).toBe('VALIDATION');
    expect((await refused(h.service.call(desk(), 'classes.update', { classSeq: 987654, title: 'x' }))).code).toBe('NOT_FOUND');
    expect(await fullSnapshot(h)).toEqual(before);
    // the same capacity as booked is taken
    expect((await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, capacity: 3 })).class.capacity).toBe(3);
  });

  it('a class that has started or ended can no longer be edited, and says since when', async () => {
    const cls = await newClass(DAY);
    const kysely = h.database.db.kysely;
    await kysely.updateTable('gym_class').set({ started_at: toDbTime(new Date(Date.now() - 10 * 60_000)) }).where('class_seq', '=', cls.classSeq).execute();
    const started = await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, title: '늦은 변경' }));
    expect(started.code).toBe('CONFLICT');
    expect(started.text.en).toMatch(/^The class started at \d{4}-\d\d-\d\d \d\d:\d\d; it can't be changed any more\.$/);
    expect(started.text.ko).toMatch(/^수업이 .+에 이미 시작해 바꿀 수 없습니다\.$/);
    await kysely.updateTable('gym_class').set({ started_at: toDbTime(new Date(Date.now() - 2 * HOUR)), ended_at: toDbTime(new Date(Date.now() - HOUR)) }).where('class_seq', '=', cls.classSeq).execute();
    expect((await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, capacity: 20 }))).text.en).toContain('The class ended at');
    expect((await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).class).toMatchObject({ title: cls.title, capacity: 10 });
  });

  it('a class cancelled before it starts cancels every booking without taking a use (even within the cut-off), empties its waitlist, tells each member through the outbox, stays on the calendar as cancelled, and is audited', async () => {
    const cls = await newClass(HOUR, 1); // within the default 3-hour cut-off: a booking's own cancellation would take a use
    const [a, b, c] = [await memberWithPass(1), await memberWithPass(2), await memberWithPass(1)];
    const booked = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...a });
    for (const m of [b, c]) expect((await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...m })).outcome).toBe('WAITLISTED');
    const waitSeqs = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist.map((w) => w.waitlistSeq);

    const usesBefore = await Promise.all([a, b, c].map((m) => remaining(m.passSeq)));
    const done = await h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq });
    expect(done).toMatchObject({ bookingsCancelled: 1, waitlistCleared: 2, notified: 3 });
    expect(done.detail.class.cancelledAt).not.toBeNull();
    expect(done.detail.class).toMatchObject({ booked: 0, waiting: 0 });
    expect(done.detail.bookings).toEqual([expect.objectContaining({ bookingSeq: booked.bookingSeq, status: 'CANCELLED', usedPass: false })]);
    expect(done.detail.waitlist).toEqual([]);
    expect(await remaining(a.passSeq)).toBe(10);
    expect(await Promise.all([a, b, c].map((m) => remaining(m.passSeq)))).toEqual(usesBefore);

    const notes = await h.database.db.kysely.selectFrom('notification').selectAll().where('event', '=', 'CLASS_CANCELLED').where('user_id', 'in', [a.userId, b.userId, c.userId]).orderBy('notification_seq').execute();
    expect(notes.map((n) => [n.user_id, n.target_key, Number(n.sent)])).toEqual([
      [a.userId, `booking:${booked.bookingSeq}`, 0],
      [b.userId, `waitlist:${waitSeqs[0]}`, 0],
      [c.userId, `waitlist:${waitSeqs[1]}`, 0],
    ]);
    expect(notes[0]!.text).toMatch(new RegExp(`^예약 회원 \\d+님, 예약하신 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d ${cls.title} 수업이 취소되었습니다\\. 이용권은 차감되지 않습니다\\.$`));
    expect(notes[1]!.text).toContain('대기하시던');

    const [audit] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'classes.cancel' })).items;
    expect(audit).toMatchObject({ actor: 'desk1', target: `class:${cls.classSeq}`, detail: { classSeq: cls.classSeq, bookingSeqs: [booked.bookingSeq], waitlist: [b.userId, c.userId], notified: 3 } });

    // still on the calendar, shown cancelled; nothing more can be done with it
    const listed = (await h.service.call(desk(), 'classes.list', { from: at(-DAY), to: at(DAY) })).find((x) => x.classSeq === cls.classSeq);
    expect(listed).toMatchObject({ cancelledAt: done.detail.class.cancelledAt, booked: 0 });
    const before = await fullSnapshot(h);
    const again = await refused(h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq }));
    expect(again.code).toBe('CONFLICT');
    expect(again.text.en).toMatch(/^The class was cancelled at \d{4}-\d\d-\d\d \d\d:\d\d; it can't be cancelled again\.$/);
    expect((await refused(h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...a }))).text.en).toContain('was cancelled');
    expect((await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, title: '다시' }))).text.ko).toMatch(/취소되어 바꿀 수 없습니다\.$/);
    expect((await refused(h.service.call(desk(), 'bookings.cancel', { bookingSeq: booked.bookingSeq! }))).text.en).toContain('already cancelled');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('a class that has started or ended can\'t be cancelled, and nothing changes', async () => {
    const cls = await newClass(DAY, 5);
    const member = await memberWithPass(1);
    await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...member });
    const kysely = h.database.db.kysely;
    await kysely.updateTable('gym_class').set({ started_at: toDbTime(new Date(Date.now() - 5 * 60_000)) }).where('class_seq', '=', cls.classSeq).execute();
    const before = await fullSnapshot(h);
    const started = await refused(h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq }));
    expect(started.code).toBe('CONFLICT');
    expect(started.text).toEqual({
      ko: expect.stringMatching(/^수업이 .+에 이미 시작해 취소할 수 없습니다\.$/),
      en: expect.stringMatching(/^The class started at .+; it can't be cancelled any more\.$/),
    });
    await kysely.updateTable('gym_class').set({ started_at: toDbTime(new Date(Date.now() - 2 * HOUR)), ended_at: toDbTime(new Date(Date.now() - HOUR)) }).where('class_seq', '=', cls.classSeq).execute();
    const snapshotEnded = await fullSnapshot(h);
    expect((await refused(h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq }))).text.en).toContain('The class ended at');
    expect(await fullSnapshot(h)).toEqual(snapshotEnded);
    expect(before).not.toEqual(snapshotEnded);
    expect((await refused(h.service.call(desk(), 'classes.cancel', { classSeq: 987654 }))).code).toBe('NOT_FOUND');
  });

  it('a booking is refused, saying why in words that fit the numbers, when the pass is of another package, not yet started, ended by then, used up, out of uses after its other bookings, or someone else\'s; nothing is written', async () => {
    const cls = await newClass(2 * DAY);
    const later = await newClass(2 * DAY + 2 * HOUR);
    const inbody = await memberWithPass(6);
    const trial = await memberWithPass(5); // one use
    const endsFirst = await memberWithPass(5, -29 * DAY); // 30 days: ends tomorrow
    const startsLater = await memberWithPass(1, 10 * DAY);
    // used up before the nightly expirePassesJob has marked it expired
    const usedUp = await memberWithPass(1);
    await h.database.db.kysely.updateTable('pass').set({ remaining_count: 0 }).where('pass_seq', '=', usedUp.passSeq).execute();
    expect((await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, userId: trial.userId, passSeq: trial.passSeq })).outcome).toBe('BOOKED');

    const before = await fullSnapshot(h);
    const cases: Array<[{ classSeq: number; userId: string; passSeq: number }, RegExp]> = [
      [{ classSeq: cls.classSeq, ...inbody }, /package/],
      [{ classSeq: later.classSeq, ...trial }, /^The pass has 1 use left, taken by another booking not deducted yet\.$/],
      [{ classSeq: cls.classSeq, ...endsFirst }, /^The pass ends (at \d\d:\d\d )?on \d{4}-\d\d-\d\d, before the class at \d{4}-\d\d-\d\d \d\d:\d\d\.$/],
      [{ classSeq: cls.classSeq, ...startsLater }, /starts on/],
      [{ classSeq: cls.classSeq, ...usedUp }, /^The pass has no uses left\.$/],
      [{ classSeq: cls.classSeq, userId: inbody.userId, passSeq: trial.passSeq }, /not this member's/],
    ];
    for (const [input, reason] of cases) {
      const error = await refused(h.service.call(desk(), 'bookings.create', input));
      expect(error.code, JSON.stringify(input)).toBe('CONFLICT');
      expect(error.field).toBe('passSeq');
      expect(error.text.en).toMatch(reason);
      expect(error.text.ko.length).toBeGreaterThan(5);
    }
    const twice = await refused(h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...trial }));
    expect(twice.text.en).toContain('already booked');
    expect((await refused(h.service.call(desk(), 'bookings.create', { classSeq: 987654, ...trial }))).code).toBe('NOT_FOUND');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('a pass that started at 09:00 can be booked for a class at 08:00 on its last day but not at 10:00, and the refusal names the time it ends', async () => {
    const lastDay = DateTime.now().setZone('Asia/Seoul').plus({ days: 1 }).startOf('day');
    const userId = (await h.service.call(desk(), 'members.create', { userName: `예약 회원 ${++counter}` })).detail.member.userId;
    const started = lastDay.minus({ days: 30 }).set({ hour: 9 }); // package 5: 30 days
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 5, startedAt: started.toISO()!, paymentMethod: 'CARD' });
    const classAt = async (hour: number) =>
      (await h.service.call(desk(), 'classes.create', { title: `아침 ${++counter}`, startedAt: lastDay.set({ hour }).toISO()!, endedAt: lastDay.set({ hour, minute: 50 }).toISO()!, capacity: 5, packageSeqs: [5] }))[0]!;
    const late = await classAt(10);
    const error = await refused(h.service.call(desk(), 'bookings.create', { classSeq: late.classSeq, userId, passSeq: passes[0]!.passSeq }));
    const day = lastDay.toFormat('yyyy-MM-dd');
    expect(error.text).toEqual({ ko: `이용권이 ${day} 09:00에 끝나 ${day} 10:00 수업에는 쓸 수 없습니다.`, en: `The pass ends at 09:00 on ${day}, before the class at ${day} 10:00.` });
    const early = await classAt(8);
    expect((await h.service.call(desk(), 'bookings.create', { classSeq: early.classSeq, userId, passSeq: passes[0]!.passSeq })).outcome).toBe('BOOKED');
  });

  it('a full class takes a waitlist; a cancellation before the cut-off is free and moves the first waiting member in, with a notification in the outbox', async () => {
    const cls = await newClass(3 * DAY, 1);
    const [a, b, c] = [await memberWithPass(1), await memberWithPass(2), await memberWithPass(1)];
    const first = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...a });
    expect(first).toMatchObject({ outcome: 'BOOKED', waitlistPosition: null });
    expect(await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...b })).toMatchObject({ outcome: 'WAITLISTED', bookingSeq: null, waitlistPosition: 1 });
    const third = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...c });
    expect(third).toMatchObject({ outcome: 'WAITLISTED', waitlistPosition: 2 });
    expect(third.detail.class).toMatchObject({ booked: 1, waiting: 2 });

    const cancelled = await h.service.call(desk(), 'bookings.cancel', { bookingSeq: first.bookingSeq! });
    expect(cancelled).toMatchObject({ late: false, countedAsUse: false, promoted: { userId: b.userId } });
    expect(cancelled.detail!.bookings.map((x) => [x.userId, x.status])).toEqual([
      [a.userId, 'CANCELLED'],
      [b.userId, 'READY'],
    ]);
    expect(cancelled.detail!.waitlist.map((w) => w.userId)).toEqual([c.userId]);
    expect(await remaining(a.passSeq)).toBe(10);
    const note = await h.database.db.kysely.selectFrom('notification').selectAll().where('user_id', '=', b.userId).execute();
    expect(note).toEqual([expect.objectContaining({ event: 'WAITLIST_BOOKED', target_key: `booking:${cancelled.promoted!.bookingSeq}`, sent: 0 })]);
    expect((await refused(h.service.call(desk(), 'bookings.cancel', { bookingSeq: first.bookingSeq! }))).text.en).toContain('already cancelled');
    const audit = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'bookings.cancel' })).items;
    expect(audit[0]).toMatchObject({ target: `booking:${first.bookingSeq}`, detail: expect.objectContaining({ late: false, promoted: cancelled.promoted }) });
  });

  it('the waiting member moved in is told: the class reminders job sends their WAITLIST_BOOKED notification on its next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-waitlist-'));
    const saved = { log: process.env.PASS_NOTIFIER_LOG, webhook: process.env.PASS_NOTIFIER_WEBHOOK_URL };
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    process.env.PASS_NOTIFIER_LOG = join(dir, 'notifications.log');
    try {
      const cls = await newClass(6 * DAY, 1);
      const [a, b] = [await memberWithPass(1), await memberWithPass(1)];
      const first = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...a });
      await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...b });
      const { promoted } = await h.service.call(desk(), 'bookings.cancel', { bookingSeq: first.bookingSeq! });
      expect(promoted?.userId).toBe(b.userId);
      const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date() }, { launchedBy: 'test' });
      expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
      const row = await h.database.db.kysely.selectFrom('notification').selectAll().where('event', '=', 'WAITLIST_BOOKED').where('user_id', '=', b.userId).executeTakeFirstOrThrow();
      expect(Number(row.sent)).toBe(1);
      const log = readFileSync(join(dir, 'notifications.log'), 'utf8');
      expect(log).toContain(`WAITLIST_BOOKED:booking:${promoted!.bookingSeq}`);
    } finally {
      for (const [name, value] of [['PASS_NOTIFIER_LOG', saved.log], ['PASS_NOTIFIER_WEBHOOK_URL', saved.webhook]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the members of a cancelled class are told: the class reminders job sends their CLASS_CANCELLED notifications on its next run', async () => {
    // the notifier saved in the settings, read at every send (the worker threads keep the environment they started with)
    const dir = mkdtempSync(join(tmpdir(), 'pass-class-cancel-'));
    await h.service.call(h.sessions.ADMIN, 'settings.update', { allowedFolders: [dir], notifier: { kind: 'logFile', path: join(dir, 'notifications.log') } });
    try {
      const cls = await newClass(5 * DAY, 1);
      const [a, b] = [await memberWithPass(1), await memberWithPass(1)];
      const booked = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...a });
      await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...b });
      const [waiting] = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist;
      await h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq });
      const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date() }, { launchedBy: 'test' });
      expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
      const rows = await h.database.db.kysely.selectFrom('notification').select(['user_id', 'sent']).where('event', '=', 'CLASS_CANCELLED').where('user_id', 'in', [a.userId, b.userId]).orderBy('notification_seq').execute();
      expect(rows.map((n) => [n.user_id, Number(n.sent)])).toEqual([
        [a.userId, 1],
        [b.userId, 1],
      ]);
      const log = readFileSync(join(dir, 'notifications.log'), 'utf8');
      expect(log).toContain(`CLASS_CANCELLED:booking:${booked.bookingSeq}`);
      expect(log).toContain(`CLASS_CANCELLED:waitlist:${waiting!.waitlistSeq}`);
    } finally {
      await h.database.db.kysely.deleteFrom('settings').where('setting_key', 'in', ['notifier', 'allowedFolders']).execute();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cancellation after the cut-off takes one use of the pass under the default policy; with the policy off it is free', async () => {
    const soon = await newClass(HOUR); // the default cut-off is 3 hours before
    const member = await memberWithPass(1);
    const booked = await h.service.call(desk(), 'bookings.create', { classSeq: soon.classSeq, ...member });
    const late = await h.service.call(desk(), 'bookings.cancel', { bookingSeq: booked.bookingSeq! });
    expect(late).toMatchObject({ late: true, countedAsUse: true });
    expect(await remaining(member.passSeq)).toBe(9);
    expect(late.detail!.bookings[0]).toMatchObject({ status: 'CANCELLED', usedPass: true });

    expect((await h.service.call(h.sessions.ADMIN, 'settings.get', {})).bookingPolicy).toEqual({ cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows: true });
    const saved = await h.service.call(h.sessions.ADMIN, 'settings.update', { bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: false } });
    // deductNoShows left out keeps its saved value
    expect(saved.bookingPolicy).toEqual({ cancelCutoffMinutes: 180, lateCancelCountsAsUse: false, deductNoShows: true });
    try {
      const again = await h.service.call(desk(), 'bookings.create', { classSeq: soon.classSeq, ...member });
      expect(await h.service.call(desk(), 'bookings.cancel', { bookingSeq: again.bookingSeq! })).toMatchObject({ late: true, countedAsUse: false });
      expect(await remaining(member.passSeq)).toBe(9);
    } finally {
      await h.database.db.kysely.deleteFrom('settings').where('setting_key', '=', 'bookingPolicy').execute();
    }
  });

  it('a class that has started can be neither booked nor cancelled', async () => {
    const future = await newClass(2 * HOUR + 30 * 60_000);
    const member = await memberWithPass(2);
    const booked = await h.service.call(desk(), 'bookings.create', { classSeq: future.classSeq, ...member });
    const started = await newClass(DAY);
    await h.database.db.kysely.updateTable('gym_class').set({ started_at: toDbTime(new Date(Date.now() - 30 * 60_000)) }).where('class_seq', '=', started.classSeq).execute();
    expect((await refused(h.service.call(desk(), 'bookings.create', { classSeq: started.classSeq, ...member }))).text.en).toContain('started');
    await h.database.db.kysely.updateTable('booking').set({ started_at: '2020-01-01 00:00:00.000' }).where('booking_seq', '=', booked.bookingSeq!).execute();
    expect((await refused(h.service.call(desk(), 'bookings.cancel', { bookingSeq: booked.bookingSeq! }))).code).toBe('CONFLICT');
  });

  it('two desks booking the last place at once: one gets it and the other is put on the waitlist', async () => {
    for (let round = 0; round < 5; round++) {
      const cls = await newClass(4 * DAY + round * HOUR, 1);
      const [x, y] = [await memberWithPass(1), await memberWithPass(2)];
      const outcomes = await Promise.all([x, y].map((m) => h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...m })));
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['BOOKED', 'WAITLISTED']);
      const detail = await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq });
      expect([detail.class.booked, detail.class.waiting]).toEqual([1, 1]);
    }
  });

  it('a booking, a cancellation or a class change whose activity-log row cannot be written is not made', async () => {
    const cls = await newClass(5 * DAY, 1);
    const member = await memberWithPass(1);
    const booked = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...member });
    const waiting = await memberWithPass(2);
    const before = await fullSnapshot(h);
    const kysely = h.database.db.kysely;
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(kysely);
    try {
      await refused(h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...waiting }));
      await refused(h.service.call(desk(), 'bookings.cancel', { bookingSeq: booked.bookingSeq! }));
      await refused(h.service.call(desk(), 'classes.create', { title: '기록 없음', startedAt: at(6 * DAY), endedAt: at(6 * DAY + HOUR), capacity: 3, packageSeqs: [1] }));
      await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, title: '기록 없음', capacity: 2 }));
      await refused(h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq }));
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(kysely);
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });
});
