// One member, one class at a time, and a waitlist nobody drops off unseen, in the service on both
// databases: a booking (or a place on the waitlist) of a class overlapping one the member is booked
// into is refused, naming that class and its time; two desks booking one member into two
// overlapping classes at once land exactly one; a place that opens for a waiting member who is now
// booked elsewhere at the time, or whose pass no longer pays (their package taken off the class by
// an edit too), takes them off the list, tells them why through the outbox, and says so in the
// activity log and in the class's detail (the class dialog); the desk takes one member off a
// waitlist (waitlist.remove), refused, changing nothing, for a class that started or was
// cancelled or a place not on its list; and the races around a place opening.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJosaPicker } from 'josa';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { paidFor } from '../support/payment.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('overlapping classes and the waitlist', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  /** today's midnight in Seoul: a class `days` days and `hours` hours from it starts and ends that day
   * at any hour the test runs (from the hour now, an evening class crossed midnight and its end read
   * with its date) */
  const base = DateTime.now().setZone('Asia/Seoul').startOf('day').toMillis();
  const at = (ms: number) => new Date(base + ms).toISOString();
  const local = (ms: number, format: string) => DateTime.fromMillis(base + ms, { zone: 'Asia/Seoul' }).toFormat(format);

  async function memberWithPass(packageSeq = 1): Promise<{ userId: string; passSeq: number; name: string }> {
    const name = `겹침 회원 ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName: name })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at(-DAY), ...paidFor(packageSeq) });
    return { userId, passSeq: passes[0]!.passSeq, name };
  }
  const pass = (m: { userId: string; passSeq: number }) => ({ userId: m.userId, passSeq: m.passSeq });

  /** a class from `from` to `to` (ms from the base hour) */
  async function newClass(from: number, to: number, capacity = 10, packageSeqs = [1, 2, 5]) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `겹침 수업 ${++counter}`, startedAt: at(from), endedAt: at(to), capacity, packageSeqs });
    return c!;
  }

  const liveIn = async (userId: string, classSeqs: number[]) =>
    h.database.db.kysely.selectFrom('booking').select(['booking_seq', 'class_seq']).where('user_id', '=', userId).where('class_seq', 'in', classSeqs).where('status', 'in', ['READY', 'PROGRESSED', 'COMPLETED']).execute();

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a member booked into a class is refused a booking, or a place on the waitlist, of another class overlapping it, in words naming that class and its time; one ending as the other starts is taken, and nothing is written by a refusal', async () => {
    const m = await memberWithPass();
    const first = await newClass(3 * DAY + 10 * HOUR, 3 * DAY + 11 * HOUR);
    expect((await h.service.call(desk(), 'bookings.create', { classSeq: first.classSeq, ...pass(m) })).outcome).toBe('BOOKED');

    const overlapping = await newClass(3 * DAY + 10 * HOUR + 30 * MINUTE, 3 * DAY + 11 * HOUR + 30 * MINUTE);
    const full = await newClass(3 * DAY + 9 * HOUR, 3 * DAY + 12 * HOUR, 1);
    await h.service.call(desk(), 'bookings.create', { classSeq: full.classSeq, ...pass(await memberWithPass()) });
    const before = await fullSnapshot(h);
    const when = `${local(3 * DAY + 10 * HOUR, 'yyyy-MM-dd HH:mm')}–${local(3 * DAY + 11 * HOUR, 'HH:mm')}`;
    const error = await refused(h.service.call(desk(), 'bookings.create', { classSeq: overlapping.classSeq, ...pass(m) }));
    expect(error.code).toBe('CONFLICT');
    expect(error.text).toEqual({
      ko: `회원 ${m.name}(${m.userId})${getJosaPicker('은')(m.userId)} 이 수업과 시간이 겹치는 '${first.title}' 수업(${when})에 이미 예약되어 있습니다. 이 수업을 예약하려면 먼저 그 예약을 취소하세요.`,
      en: `Member ${m.name} (${m.userId}) is already booked into '${first.title}' (${when}), which overlaps this class; cancel that booking first to book this one.`,
    });
    // a full class overlapping it: not the waitlist either
    expect((await refused(h.service.call(desk(), 'bookings.create', { classSeq: full.classSeq, ...pass(m) }))).text.en).toContain(`already booked into '${first.title}'`);
    expect(await fullSnapshot(h)).toEqual(before);

    // touching end to start, on either side: taken
    const after = await newClass(3 * DAY + 11 * HOUR, 3 * DAY + 12 * HOUR);
    const earlier = await newClass(3 * DAY + 9 * HOUR, 3 * DAY + 10 * HOUR);
    expect((await h.service.call(desk(), 'bookings.create', { classSeq: after.classSeq, ...pass(m) })).outcome).toBe('BOOKED');
    expect((await h.service.call(desk(), 'bookings.create', { classSeq: earlier.classSeq, ...pass(m) })).outcome).toBe('BOOKED');

    // once the first booking is cancelled, a class within its hour is taken
    const within = await newClass(3 * DAY + 10 * HOUR + 15 * MINUTE, 3 * DAY + 10 * HOUR + 45 * MINUTE);
    expect((await refused(h.service.call(desk(), 'bookings.create', { classSeq: within.classSeq, ...pass(m) }))).code).toBe('CONFLICT');
    const [booked] = await liveIn(m.userId, [first.classSeq]);
    await h.service.call(desk(), 'bookings.cancel', { bookingSeq: Number(booked!.booking_seq) });
    expect((await h.service.call(desk(), 'bookings.create', { classSeq: within.classSeq, ...pass(m) })).outcome).toBe('BOOKED');
  });

  it('a booking of the seed with no class counts too, named by its number', async () => {
    const m = await memberWithPass();
    const seed = await h.database.db.kysely
      .insertInto('booking')
      .values({ pass_seq: m.passSeq, user_id: m.userId, status: 'READY', started_at: toDbTime(new Date(base + 4 * DAY + 10 * HOUR)), ended_at: toDbTime(new Date(base + 4 * DAY + 11 * HOUR)), cancelled_at: null, created_at: toDbTime(new Date()), modified_at: null })
      .executeTakeFirst();
    const cls = await newClass(4 * DAY + 10 * HOUR + 50 * MINUTE, 4 * DAY + 12 * HOUR);
    const error = await refused(h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(m) }));
    expect(error.text.en).toContain(`is already booked into booking ${Number(seed.insertId)} (${local(4 * DAY + 10 * HOUR, 'yyyy-MM-dd HH:mm')}–${local(4 * DAY + 11 * HOUR, 'HH:mm')})`);
    expect(error.text.ko).toContain(`수업 예약 ${Number(seed.insertId)}(`);
  });

  it('two desks booking one member into two overlapping classes at the same moment: exactly one booking lands, the other is refused as overlapping', async () => {
    for (let round = 0; round < 6; round++) {
      const m = await memberWithPass();
      const start = 5 * DAY + round * 3 * HOUR;
      const [a, b] = [await newClass(start, start + HOUR), await newClass(start + 30 * MINUTE, start + 90 * MINUTE)];
      const outcomes = await Promise.allSettled([a, b].map((c) => h.service.call(desk(), 'bookings.create', { classSeq: c.classSeq, ...pass(m) })));
      const landed = outcomes.filter((o) => o.status === 'fulfilled');
      const turnedAway = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(landed.map((o) => o.value.outcome), `round ${round}`).toEqual(['BOOKED']);
      expect(turnedAway).toHaveLength(1);
      expect(turnedAway[0]!.reason).toMatchObject({ code: 'CONFLICT' });
      expect((turnedAway[0]!.reason as { text: { en: string } }).text.en).toContain('which overlaps this class');
      expect(await liveIn(m.userId, [a.classSeq, b.classSeq]), `round ${round}`).toHaveLength(1);
    }
  });

  it('a place opens: waiting members now booked elsewhere at the time, or whose pass no longer pays, are taken off the list and told why through the outbox, the activity log and the class detail say so, and the next waiting member moves in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-waitlist-removed-'));
    await h.service.call(h.sessions.ADMIN, 'settings.update', { allowedFolders: [dir], notifier: { kind: 'logFile', path: join(dir, 'notifications.log') } });
    try {
      const cls = await newClass(6 * DAY + 18 * HOUR, 6 * DAY + 19 * HOUR, 1);
      const [holder, elsewhere, usedUp, next] = [await memberWithPass(), await memberWithPass(), await memberWithPass(), await memberWithPass()];
      const held = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(holder) });
      for (const m of [elsewhere, usedUp, next]) expect((await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(m) })).outcome).toBe('WAITLISTED');
      const waitSeqs = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist.map((w) => w.waitlistSeq);
      // while waiting: one books a class at the same time (a place on a waitlist holds nothing), another's pass is used up
      const other = await newClass(6 * DAY + 18 * HOUR + 30 * MINUTE, 6 * DAY + 20 * HOUR);
      expect((await h.service.call(desk(), 'bookings.create', { classSeq: other.classSeq, ...pass(elsewhere) })).outcome).toBe('BOOKED');
      await h.database.db.kysely.updateTable('pass').set({ remaining_count: 0 }).where('pass_seq', '=', usedUp.passSeq).execute();

      const cancelled = await h.service.call(desk(), 'bookings.cancel', { bookingSeq: held.bookingSeq! });
      expect(cancelled.promoted).toMatchObject({ userId: next.userId });
      const detail = cancelled.detail!;
      expect(detail.waitlist).toEqual([]);
      expect(detail.bookings.filter((b) => b.status === 'READY').map((b) => b.userId)).toEqual([next.userId]);
      const when = `${local(6 * DAY + 18 * HOUR + 30 * MINUTE, 'yyyy-MM-dd HH:mm')}–${local(6 * DAY + 20 * HOUR, 'HH:mm')}`;
      expect(detail.removedFromWaitlist).toEqual([
        expect.objectContaining({
          userId: elsewhere.userId,
          userName: elsewhere.name,
          reason: 'OVERLAP',
          why: { ko: `시간이 겹치는 '${other.title}' 수업(${when})에 예약되어 있습니다.`, en: `Booked into '${other.title}' (${when}), which overlaps this class.` },
          told: true,
        }),
        expect.objectContaining({ userId: usedUp.userId, reason: 'PASS', why: { ko: '이용권의 잔여 횟수가 없습니다.', en: 'The pass has no uses left.' }, told: true }),
      ]);
      // both kept out of this class, the one elsewhere still booked there
      expect(await liveIn(elsewhere.userId, [cls.classSeq, other.classSeq])).toEqual([expect.objectContaining({ class_seq: other.classSeq })]);

      const notes = await h.database.db.kysely.selectFrom('notification').selectAll().where('event', '=', 'WAITLIST_REMOVED').where('user_id', 'in', [elsewhere.userId, usedUp.userId]).orderBy('notification_seq').execute();
      expect(notes.map((n) => [n.user_id, n.target_key, Number(n.sent)])).toEqual([
        [elsewhere.userId, `waitlist:${waitSeqs[0]}`, 0],
        [usedUp.userId, `waitlist:${waitSeqs[1]}`, 0],
      ]);
      const classAt = local(6 * DAY + 18 * HOUR, 'yyyy-MM-dd HH:mm');
      expect(notes[0]!.text).toBe(`${elsewhere.name}님, 대기하시던 ${classAt} ${cls.title} 수업에 예약해 드릴 수 없어 대기 명단에서 제외되었습니다. 시간이 겹치는 '${other.title}' 수업(${when})에 예약되어 있습니다.`);
      expect(notes[1]!.text).toContain('이용권의 잔여 횟수가 없습니다.');

      const audit = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'waitlist.takenOff' })).items.filter((a) => a.target === `class:${cls.classSeq}`);
      expect(audit.map((a) => [a.actor, (a.detail as { userId: string }).userId, (a.detail as { reason: string }).reason]).reverse()).toEqual([
        ['desk1', elsewhere.userId, 'OVERLAP'],
        ['desk1', usedUp.userId, 'PASS'],
      ]);
      expect((await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).removedFromWaitlist.map((r) => r.userId)).toEqual([elsewhere.userId, usedUp.userId]);

      // the class reminders job sends them
      const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date() }, { launchedBy: 'test' });
      expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
      const sent = await h.database.db.kysely.selectFrom('notification').select(['user_id', 'sent']).where('event', '=', 'WAITLIST_REMOVED').where('user_id', 'in', [elsewhere.userId, usedUp.userId]).execute();
      expect(sent.map((n) => Number(n.sent))).toEqual([1, 1]);
      expect(readFileSync(join(dir, 'notifications.log'), 'utf8')).toContain(`WAITLIST_REMOVED:waitlist:${waitSeqs[0]}`);
    } finally {
      await h.database.db.kysely.deleteFrom('settings').where('setting_key', 'in', ['notifier', 'allowedFolders']).execute();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an edit taking a package off the class takes off, at once, the members waiting with a pass of it, tells them why, and says so in the class detail and the activity log; those waiting with another package keep their places', async () => {
    const cls = await newClass(7 * DAY + 18 * HOUR, 7 * DAY + 19 * HOUR, 1, [1, 2]);
    const [holder, withTwo, withOne] = [await memberWithPass(1), await memberWithPass(2), await memberWithPass(1)];
    await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(holder) });
    await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(withTwo) });
    await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(withOne) });
    const [dropped] = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist;
    const packageTwo = (await h.service.call(desk(), 'packages.list', {})).find((p) => p.packageSeq === 2)!.packageName;

    const edited = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, packageSeqs: [1] });
    expect(edited.waitlist.map((w) => w.userId)).toEqual([withOne.userId]);
    expect(edited.removedFromWaitlist).toEqual([
      expect.objectContaining({ userId: withTwo.userId, passSeq: withTwo.passSeq, reason: 'PASS', why: expect.objectContaining({ en: `The class no longer takes '${packageTwo}' passes, the package of the pass they waited with.` }) }),
    ]);
    expect(edited.removedFromWaitlist[0]!.why.ko).toContain(`'${packageTwo}'`);
    const notes = await h.database.db.kysely.selectFrom('notification').select(['target_key', 'text']).where('event', '=', 'WAITLIST_REMOVED').where('user_id', '=', withTwo.userId).execute();
    expect(notes).toEqual([{ target_key: `waitlist:${dropped!.waitlistSeq}`, text: expect.stringContaining('대기 명단에서 제외되었습니다.') }]);
    const [audit] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'waitlist.takenOff' })).items.filter((a) => a.target === `class:${cls.classSeq}`);
    expect(audit!.detail).toMatchObject({ userId: withTwo.userId, reason: 'PASS' });
  });

  it('the desk takes one member off a waitlist: the others keep their order, no one moves in or is told, and the class detail and the activity log say so', async () => {
    const cls = await newClass(8 * DAY + 18 * HOUR, 8 * DAY + 19 * HOUR, 1);
    const [holder, a, b, c] = [await memberWithPass(), await memberWithPass(), await memberWithPass(), await memberWithPass()];
    for (const m of [holder, a, b, c]) await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(m) });
    const waitlist = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist;
    const detail = await h.service.call(desk(), 'waitlist.remove', { classSeq: cls.classSeq, waitlistSeq: waitlist[1]!.waitlistSeq });
    expect(detail.waitlist.map((w) => w.userId)).toEqual([a.userId, c.userId]);
    expect(detail.bookings.map((x) => x.userId)).toEqual([holder.userId]);
    expect(detail.removedFromWaitlist).toEqual([
      { userId: b.userId, userName: b.name, passSeq: b.passSeq, reason: 'DESK', why: { ko: '프런트에서 대기 명단에서 뺐습니다.', en: 'Taken off at the desk.' }, waitedSince: waitlist[1]!.createdAt, removedAt: expect.any(String), told: false },
    ]);
    expect(detail.class).toMatchObject({ booked: 1, waiting: 2 });
    expect(await h.database.db.kysely.selectFrom('notification').select('notification_seq').where('user_id', '=', b.userId).execute()).toEqual([]);
    const [audit] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'waitlist.remove' })).items;
    expect(audit).toMatchObject({ actor: 'desk1', target: `class:${cls.classSeq}`, detail: { classSeq: cls.classSeq, waitlistSeq: waitlist[1]!.waitlistSeq, userId: b.userId, passSeq: b.passSeq, position: 2 } });
    // taken off, they may join again, at the end
    expect(await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(b) })).toMatchObject({ outcome: 'WAITLISTED', waitlistPosition: 3 });
  });

  it('taking a member off a waitlist is refused, saying why and changing nothing, for a place not on the class\'s list, an unknown class, a class that has started or ended, and a cancelled class', async () => {
    const cls = await newClass(9 * DAY + 18 * HOUR, 9 * DAY + 19 * HOUR, 1);
    const otherCls = await newClass(9 * DAY + 20 * HOUR, 9 * DAY + 21 * HOUR, 1);
    const [holder, waiting, holder2, waiting2] = [await memberWithPass(), await memberWithPass(), await memberWithPass(), await memberWithPass()];
    for (const m of [holder, waiting]) await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(m) });
    for (const m of [holder2, waiting2]) await h.service.call(desk(), 'bookings.create', { classSeq: otherCls.classSeq, ...pass(m) });
    const [place] = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).waitlist;
    const [otherPlace] = (await h.service.call(desk(), 'classes.get', { classSeq: otherCls.classSeq })).waitlist;
    const remove = (classSeq: number, waitlistSeq: number) => refused(h.service.call(desk(), 'waitlist.remove', { classSeq, waitlistSeq }));

    const before = await fullSnapshot(h);
    const elsewhere = await remove(cls.classSeq, otherPlace!.waitlistSeq);
    expect(elsewhere).toMatchObject({ code: 'NOT_FOUND', field: 'waitlistSeq' });
    expect(elsewhere.text.en).toBe(`waitlistSeq: Waitlist place ${otherPlace!.waitlistSeq} of class ${cls.classSeq} was not found.`);
    expect((await remove(cls.classSeq, 987654)).field).toBe('waitlistSeq');
    expect(await remove(987654, place!.waitlistSeq)).toMatchObject({ code: 'NOT_FOUND', field: 'classSeq' });
    expect(await fullSnapshot(h)).toEqual(before);

    const kysely = h.database.db.kysely;
    await kysely.updateTable('gym_class').set({ started_at: toDbTime(new Date(Date.now() - 10 * MINUTE)) }).where('class_seq', '=', cls.classSeq).execute();
    const startedSnapshot = await fullSnapshot(h);
    const started = await remove(cls.classSeq, place!.waitlistSeq);
    expect(started.code).toBe('CONFLICT');
    expect(started.text.en).toMatch(/^The class started at \d{4}-\d\d-\d\d \d\d:\d\d; it can't be changed any more\.$/);
    expect(started.text.ko).toMatch(/^수업이 .+에 이미 시작해 대기 명단을 바꿀 수 없습니다\.$/);
    expect(await fullSnapshot(h)).toEqual(startedSnapshot);

    await h.service.call(desk(), 'classes.cancel', { classSeq: otherCls.classSeq });
    const cancelledSnapshot = await fullSnapshot(h);
    const cancelled = await remove(otherCls.classSeq, otherPlace!.waitlistSeq);
    expect(cancelled.code).toBe('CONFLICT');
    expect(cancelled.text.en).toMatch(/^The class was cancelled at .+; it can't be changed\.$/);
    expect(await fullSnapshot(h)).toEqual(cancelledSnapshot);
  });

  it('a place opening for a waiting member while another desk books them into an overlapping class at the same moment: they end with one of the two, never both', async () => {
    for (let round = 0; round < 6; round++) {
      const start = 10 * DAY + round * 3 * HOUR;
      const cls = await newClass(start, start + HOUR, 1);
      const other = await newClass(start + 30 * MINUTE, start + 90 * MINUTE);
      const [holder, w] = [await memberWithPass(), await memberWithPass()];
      const held = await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(holder) });
      expect((await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(w) })).outcome).toBe('WAITLISTED');
      await Promise.allSettled([h.service.call(desk(), 'bookings.cancel', { bookingSeq: held.bookingSeq! }), h.service.call(desk(), 'bookings.create', { classSeq: other.classSeq, ...pass(w) })]);
      expect(await liveIn(w.userId, [cls.classSeq, other.classSeq]), `round ${round}`).toHaveLength(1);
      const detail = await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq });
      expect(detail.waitlist, `round ${round}`).toEqual([]);
    }
  });

  it('two cancellations at the same moment in a full class move the first two waiting members in, one place each', async () => {
    for (let round = 0; round < 6; round++) {
      const start = 12 * DAY + round * 2 * HOUR;
      const cls = await newClass(start, start + HOUR, 2);
      const [a, b, w1, w2] = [await memberWithPass(), await memberWithPass(), await memberWithPass(), await memberWithPass()];
      const seqs: number[] = [];
      for (const m of [a, b]) seqs.push((await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(m) })).bookingSeq!);
      for (const m of [w1, w2]) await h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, ...pass(m) });
      await Promise.all(seqs.map((bookingSeq) => h.service.call(desk(), 'bookings.cancel', { bookingSeq })));
      const detail = await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq });
      const live = detail.bookings.filter((x) => x.status === 'READY').map((x) => x.userId);
      expect(live.sort(), `round ${round}`).toEqual([w1.userId, w2.userId].sort());
      expect(detail.waitlist).toEqual([]);
    }
  });
});
