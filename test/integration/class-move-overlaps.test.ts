// A class moved while its members are booked elsewhere, on both databases: one member, one class at
// a time holds for a move as for a booking. classes.update with new times is refused (CONFLICT,
// naming each booked member and the other class with its time, and what to do) when a member booked
// into the class holds a live booking in another class overlapping the new times, and changes
// nothing; a class touching the other end to start moves. A member only waiting is no reason to
// refuse: they keep their place, and when a place opens they are taken off and told, as promotion
// does. A move and a booking of one of its members into a class at the new time, made at the same
// moment by two desks, never both land.
import { getJosaPicker } from 'josa';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const subject = getJosaPicker('은');

describeEachBackend('a class moved onto its members’ other classes', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  /** today's midnight in Seoul: a class `days` days and `hours` hours from it starts and ends that
   * day at any hour the test runs (a base at the hour now put evening classes across midnight) */
  const base = DateTime.now().setZone('Asia/Seoul').startOf('day').toMillis();
  const at = (ms: number) => new Date(base + ms).toISOString();
  const local = (ms: number, format: string) => DateTime.fromMillis(base + ms, { zone: 'Asia/Seoul' }).toFormat(format);
  const when = (from: number, to: number) => `${local(from, 'yyyy-MM-dd HH:mm')}–${local(to, 'HH:mm')}`;

  async function memberWithPass(): Promise<{ userId: string; passSeq: number; name: string }> {
    const name = `옮김 회원 ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName: name })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    return { userId, passSeq: passes[0]!.passSeq, name };
  }
  async function newClass(from: number, to: number, capacity = 10) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `옮김 수업 ${++counter}`, startedAt: at(from), endedAt: at(to), capacity, packageSeqs: [1] });
    return c!;
  }
  const book = (classSeq: number, m: { userId: string; passSeq: number }) => h.service.call(desk(), 'bookings.create', { classSeq, userId: m.userId, passSeq: m.passSeq });
  const move = (classSeq: number, from: number, to: number, more: { capacity?: number } = {}) =>
    h.service.call(desk(), 'classes.update', { classSeq, startedAt: at(from), endedAt: at(to), ...more });
  const liveIn = (userId: string, classSeqs: number[]) =>
    h.database.db.kysely.selectFrom('booking').select(['booking_seq', 'class_seq']).where('user_id', '=', userId).where('class_seq', 'in', classSeqs).where('status', 'in', ['READY', 'PROGRESSED', 'COMPLETED']).execute();

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a move onto another class a booked member holds is refused, naming the member and that class with its time and saying to cancel one booking first, in Korean and English, and nothing changes; a class ending as the other starts moves', async () => {
    const d = 3 * DAY;
    const cls = await newClass(d + 10 * HOUR, d + 11 * HOUR);
    const [x, y, z] = [await memberWithPass(), await memberWithPass(), await memberWithPass()];
    for (const m of [x, y, z]) expect((await book(cls.classSeq, m)).outcome).toBe('BOOKED');
    const xOther = await newClass(d + 12 * HOUR, d + 13 * HOUR);
    const yOther = await newClass(d + 12 * HOUR + 30 * MINUTE, d + 13 * HOUR);
    await book(xOther.classSeq, x);
    await book(yOther.classSeq, y);

    // one member in the way
    const before = await fullSnapshot(h);
    const one = await refused(move(cls.classSeq, d + 11 * HOUR + 30 * MINUTE, d + 12 * HOUR + 30 * MINUTE));
    expect(one).toMatchObject({ code: 'CONFLICT', field: 'startedAt' });
    const newOne = when(d + 11 * HOUR + 30 * MINUTE, d + 12 * HOUR + 30 * MINUTE);
    expect(one.text).toEqual({
      ko: `회원 ${x.name}(${x.userId})${subject(x.userId)} '${xOther.title}' 수업(${when(d + 12 * HOUR, d + 13 * HOUR)})에 이미 예약되어 있어, 새 시각(${newOne})과 겹쳐 수업 시각을 바꿀 수 없습니다. 먼저 회원마다 겹치는 두 예약 중 하나(이 수업이나 그 수업)를 취소하세요.`,
      en: `Member ${x.name} (${x.userId}) is already booked into '${xOther.title}' (${when(d + 12 * HOUR, d + 13 * HOUR)}), which overlaps the new time (${newOne}), so the class's time can't be changed; cancel one of the two overlapping bookings (in this class or the other) first.`,
    });
    // two: each named with their own other class; a new end alone is checked as well
    const two = await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, startedAt: at(d + 12 * HOUR), endedAt: at(d + 13 * HOUR) }));
    const [first, second] = [x, y].sort((a, b) => (a.userId < b.userId ? -1 : 1)).map((m) => ({ m, other: m === x ? xOther : yOther, from: m === x ? d + 12 * HOUR : d + 12 * HOUR + 30 * MINUTE }));
    expect(two.text.en).toBe(
      `Member ${first!.m.name} (${first!.m.userId}) is already booked into '${first!.other.title}' (${when(first!.from, d + 13 * HOUR)}) and member ${second!.m.name} (${second!.m.userId}) into '${second!.other.title}' (${when(second!.from, d + 13 * HOUR)}), which overlap the new time (${when(d + 12 * HOUR, d + 13 * HOUR)}), so the class's time can't be changed; cancel one of the two overlapping bookings (in this class or the other) first, for each member.`,
    );
    expect(two.text.ko).toContain(`회원 ${first!.m.name}(${first!.m.userId})${subject(first!.m.userId)} '${first!.other.title}' 수업(`);
    expect(two.text.ko).toContain(`, 회원 ${second!.m.name}(${second!.m.userId})${subject(second!.m.userId)} '${second!.other.title}' 수업(`);
    expect((await refused(h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, endedAt: at(d + 12 * HOUR + 15 * MINUTE) }))).text.en).toContain(`Member ${x.name} (${x.userId}) is already booked into '${xOther.title}'`);
    // the class, its bookings, the other classes, the outbox and the activity log are as they were
    expect(await fullSnapshot(h)).toEqual(before);

    // ending as the others start: moved, and all three told
    const moved = await move(cls.classSeq, d + 11 * HOUR, d + 12 * HOUR);
    expect(moved).toMatchObject({ notified: 3, class: { startedAt: at(d + 11 * HOUR), booked: 3 } });
    // the other way round, starting as they end
    expect((await move(cls.classSeq, d + 13 * HOUR, d + 14 * HOUR)).notified).toBe(3);
    // once the booking in the way is cancelled, the move goes through
    const [held] = await liveIn(x.userId, [xOther.classSeq]);
    await h.service.call(desk(), 'bookings.cancel', { bookingSeq: Number(held!.booking_seq) });
    expect((await move(cls.classSeq, d + 11 * HOUR + 30 * MINUTE, d + 12 * HOUR + 30 * MINUTE)).class.startedAt).toBe(at(d + 11 * HOUR + 30 * MINUTE));
  });

  it('a member only waiting for the class is no reason to refuse its move onto their other class: they keep their place, and when a place opens they are taken off and told, and the next moves in', async () => {
    const d = 4 * DAY;
    const cls = await newClass(d + 10 * HOUR, d + 11 * HOUR, 1);
    const [holder, w, next] = [await memberWithPass(), await memberWithPass(), await memberWithPass()];
    await book(cls.classSeq, holder);
    for (const m of [w, next]) expect((await book(cls.classSeq, m)).outcome).toBe('WAITLISTED');
    const other = await newClass(d + 15 * HOUR, d + 16 * HOUR);
    await book(other.classSeq, w);

    const moved = await move(cls.classSeq, d + 15 * HOUR + 30 * MINUTE, d + 16 * HOUR + 30 * MINUTE);
    expect(moved.waitlist.map((x) => x.userId)).toEqual([w.userId, next.userId]);
    expect(moved.notified).toBe(3);
    // a place more: w can't take it (booked into the other class at that time), so is taken off and told, and the next moves in
    const raised = await h.service.call(desk(), 'classes.update', { classSeq: cls.classSeq, capacity: 2 });
    expect(raised.waitlist).toEqual([]);
    expect(raised.bookings.filter((b) => b.status === 'READY').map((b) => b.userId).sort()).toEqual([holder.userId, next.userId].sort());
    expect(raised.removedFromWaitlist).toEqual([expect.objectContaining({ userId: w.userId, reason: 'OVERLAP', why: expect.objectContaining({ en: `Booked into '${other.title}' (${when(d + 15 * HOUR, d + 16 * HOUR)}), which overlaps this class.` }) })]);
    const told = await h.database.db.kysely.selectFrom('notification').select('event').where('user_id', '=', w.userId).where('event', '=', 'WAITLIST_REMOVED').execute();
    expect(told).toHaveLength(1);
    expect(await liveIn(w.userId, [cls.classSeq, other.classSeq])).toEqual([expect.objectContaining({ class_seq: other.classSeq })]);
  });

  it('a class moved onto another class while another desk books one of its members into that class at the same moment: never both, exactly one of the two goes through', async () => {
    for (let round = 0; round < 8; round++) {
      const start = 6 * DAY + round * 3 * HOUR;
      const [cls, other] = [await newClass(start, start + HOUR), await newClass(start + 90 * MINUTE, start + 150 * MINUTE)];
      const m = await memberWithPass();
      await book(cls.classSeq, m);
      const [moving, booking] = await Promise.allSettled([move(cls.classSeq, start + 2 * HOUR, start + 3 * HOUR), book(other.classSeq, m)]);
      const through = [moving, booking].filter((o) => o.status === 'fulfilled');
      expect(through, `round ${round}: ${[moving, booking].map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok')).join(' / ')}`).toHaveLength(1);
      const turnedAway = [moving, booking].find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
      expect(turnedAway.reason).toMatchObject({ code: 'CONFLICT' });
      expect((turnedAway.reason as { text: { en: string } }).text.en).toMatch(moving.status === 'rejected' ? /so the class's time can't be changed/ : /which overlaps this class/);
      const live = await liveIn(m.userId, [cls.classSeq, other.classSeq]);
      expect(live.map((b) => b.class_seq).sort(), `round ${round}`).toEqual(booking.status === 'fulfilled' ? [cls.classSeq, other.classSeq].sort() : [cls.classSeq]);
      const now = await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq });
      expect(now.class.startedAt, `round ${round}`).toBe(at(moving.status === 'fulfilled' ? start + 2 * HOUR : start));
    }
  });
});
