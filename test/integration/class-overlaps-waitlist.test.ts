// One member, one class at a time, in the service on both databases: a booking (or a place on the
// waitlist) of a class overlapping one the member is booked into is refused, naming that class and
// its time, and two desks booking one member into two overlapping classes at once land exactly one.
import { getJosaPicker } from 'josa';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('overlapping classes and the waitlist', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  /** a whole hour `days` days and `hours` hours from now's hour, so times read as round numbers */
  const base = Math.floor(Date.now() / HOUR) * HOUR;
  const at = (ms: number) => new Date(base + ms).toISOString();
  const local = (ms: number, format: string) => DateTime.fromMillis(base + ms, { zone: 'Asia/Seoul' }).toFormat(format);

  async function memberWithPass(packageSeq = 1): Promise<{ userId: string; passSeq: number; name: string }> {
    const name = `겹침 회원 ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName: name })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at(-DAY) });
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
});
